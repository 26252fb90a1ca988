// Microsoft Entra ID for ACR (PRODUCT §4): a token for the ACR audience from DefaultAzureCredential
// (environment, workload identity, managed identity, Azure CLI, ...), exchanged at the registry's own
// /oauth2/exchange for an ACR refresh token. @azure/identity is loaded only on this path.
import { createRequire } from 'node:module';
import { AuthError, RegistryError } from '../errors.js';
import type { Credential, Transport } from '../transport/index.js';
import { describeOciErrors, readOciErrors } from '../transport/registry-errors.js';
import { BODY_LIMITS, isSuccess } from '../transport/types.js';

export const ACR_AUDIENCE_SCOPE = 'https://containerregistry.azure.net/.default';

export interface EntraOptions {
  /** https://LOGIN-SERVER/ — the exchange goes to the login server itself, never to a URL a challenge named. */
  registry: URL;
  /** The transport for the exchange, asked for only once there is an Entra token to exchange. */
  transport: () => Promise<Transport>;
  env: NodeJS.ProcessEnv;
  log: (message: string) => void;
}

/**
 * The one way from Microsoft Entra ID to ACR: an ACR refresh token for the registry, as the credential
 * docker and acrx send (`identity-token`); undefined when Entra ID has no identity to offer here.
 */
export async function entraCredential(options: EntraOptions): Promise<Credential | undefined> {
  const aadToken = await entraAccessToken(options.env, options.log);
  if (aadToken === undefined) return undefined;
  return { kind: 'identity-token', token: await exchangeForRefreshToken(await options.transport(), options.registry, aadToken) };
}

async function entraAccessToken(env: NodeJS.ProcessEnv, log: (message: string) => void): Promise<string | undefined> {
  if (env.ACRX_AZURE_IDENTITY === '0') {
    log('Microsoft Entra ID is switched off (ACRX_AZURE_IDENTITY=0)');
    return undefined;
  }
  // require(), not import(): the bundle is compiled through V8's code cache (bin/load-bundle.cjs), where
  // Node 20 has no import() without an experimental flag. @azure/identity ships CommonJS too.
  const { DefaultAzureCredential } = createRequire(import.meta.url)('@azure/identity') as typeof import('@azure/identity');
  // MSAL validates a custom authority host (sovereign or private clouds, Azure Stack) against the
  // public cloud's discovery endpoint; where the host is set explicitly, trust it as given.
  const custom = Boolean(env.AZURE_AUTHORITY_HOST) && !/^https:\/\/login\.microsoftonline\.com\/?$/i.test(env.AZURE_AUTHORITY_HOST ?? '');
  try {
    const token = await new DefaultAzureCredential(custom ? { disableInstanceDiscovery: true } : {}).getToken(ACR_AUDIENCE_SCOPE);
    log('got a Microsoft Entra ID token for the ACR audience');
    return token.token;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`Microsoft Entra ID gave no token: ${message.split('\n', 1)[0]}`);
    return undefined;
  }
}

async function exchangeForRefreshToken(transport: Transport, registry: URL, aadToken: string): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'access_token', service: registry.host, access_token: aadToken });
  const tenant = tenantOf(aadToken);
  if (tenant) form.set('tenant', tenant);
  const url = new URL('/oauth2/exchange', registry);
  const response = await transport({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
    sensitive: true,
  });
  if (!isSuccess(response.status)) {
    const said = describeOciErrors(await readOciErrors(response));
    const detail = said ? `: ${said}` : '';
    if (response.status === 401 || response.status === 403) {
      throw new AuthError(`${registry.host} refused the Microsoft Entra ID token at /oauth2/exchange (HTTP ${response.status})${detail}`);
    }
    throw new RegistryError(`${registry.host} answered HTTP ${response.status} to the token exchange at /oauth2/exchange${detail}`);
  }
  const body = (await response.json(BODY_LIMITS.token)) as { refresh_token?: unknown };
  if (typeof body.refresh_token !== 'string' || !body.refresh_token) {
    throw new RegistryError(`${registry.host} answered the token exchange without a refresh token`);
  }
  return body.refresh_token;
}

// The tenant is read from the token itself (not verified: the registry verifies it).
function tenantOf(jwt: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { tid?: unknown };
    return typeof payload.tid === 'string' ? payload.tid : undefined;
  } catch {
    return undefined;
  }
}
