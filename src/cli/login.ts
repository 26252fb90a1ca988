// acrx login / acrx logout: verify credentials against the registry, then store or remove them the way
// docker does (helper or store named in config.json, else its auths), or print a token instead.
import type { Credential } from '../auth/credential.js';
import { dockerConfigPath, eraseCredential, storeCredential } from '../auth/docker-config.js';
import { AuthError, RefusedError, UsageError } from '../errors.js';
import { parseChallenges } from '../transport/challenge.js';
import { credentialsRefused } from '../transport/auth.js';
import { realmMayReceiveCredentials } from '../transport/realm-policy.js';
import { fetchToken } from '../transport/token.js';
import type { Transport } from '../transport/types.js';
import { explicitCredential, openRegistry, resolveTarget, type CommandContext, type RegistryOptions } from './context.js';

export interface ExposedToken {
  accessToken: string;
  loginServer: string;
}

export async function login(context: CommandContext, options: RegistryOptions & { exposeToken?: boolean }): Promise<ExposedToken | undefined> {
  const given = await explicitCredential(options, context.io);
  let chosen: Promise<Credential> | undefined;
  // Exactly the credentials given, else (ACR) Entra ID: never what happens to be stored already.
  const choose = (plain: Transport, registry: URL): Promise<Credential> =>
    (chosen ??= given ? Promise.resolve(given) : entraCredential(session.target.acrApi, plain, registry, context));
  const session = await openRegistry(context, options, { credentials: (plain, registry) => () => choose(plain, registry) });
  try {
    const client = await session.client();
    await client.verifyAccess();
    const { plain, registry } = await session.connection();
    const loginServer = session.target.loginServer;
    // A registry that never asked for credentials still gets them stored, as docker login does.
    const credential = await choose(plain, registry);

    if (options.exposeToken) {
      return { accessToken: await tokenToExpose(credential, plain, registry), loginServer };
    }
    const stored = await storeCredential(dockerConfigPath(context.io.env), loginServer, credential, context.io.env);
    context.status.info(`credentials stored in ${stored.where}`);
    context.status.note('Login Succeeded');
    return undefined;
  } finally {
    await session.close();
  }
}

export async function logout(context: CommandContext, options: RegistryOptions): Promise<undefined> {
  const { loginServer } = resolveTarget(context, options);
  const erased = await eraseCredential(dockerConfigPath(context.io.env), loginServer, context.io.env);
  if (erased) context.status.note(`Removing login credentials for ${loginServer}`);
  else context.status.warn(`Not logged in to ${loginServer}`);
  return undefined;
}

async function entraCredential(acr: boolean, plain: Transport, registry: URL, context: CommandContext): Promise<Credential> {
  if (!acr) {
    throw new UsageError('login needs credentials: pass -u/--username with -p/--password or --password-stdin');
  }
  const { entraRefreshToken } = await import('../auth/azure.js');
  const token = await entraRefreshToken({ registry, transport: plain, env: context.io.env, log: (m) => context.status.info(m) });
  if (!token) {
    throw new AuthError(
      `no credentials for ${registry.host}: pass -u/-p, or sign in to Microsoft Entra ID (az login, a managed identity, or AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET)`,
    );
  }
  return { kind: 'identity-token', token };
}

/** az prints the ACR refresh token as `accessToken`; other registries give a bearer token for the bare API. */
async function tokenToExpose(credential: Credential, plain: Transport, registry: URL): Promise<string> {
  if (credential.kind === 'identity-token') return credential.token;
  if (credential.kind === 'registry-token') return credential.token;
  const probe = await plain({ method: 'GET', url: new URL('/v2/', registry), headers: {} });
  await probe.discard();
  const bearer = parseChallenges(probe.headers['www-authenticate']).find((c) => c.scheme === 'bearer' && c.params.realm);
  if (!bearer?.params.realm) {
    throw new RefusedError(`${registry.host} uses Basic authentication and issues no tokens to expose`);
  }
  const realm = new URL(bearer.params.realm, registry);
  if (!realmMayReceiveCredentials(realm, registry)) throw credentialsRefused(registry, realm);
  const token = await fetchToken(plain, { realm, service: bearer.params.service, scopes: [], credential }, Date.now);
  return token.value;
}
