// Opening a registry session: the one place that assembles transport, credentials and clients, and
// the one place that decides, once, whether the registry is served through ACR's metadata API or
// through the OCI API alone. Nothing connects until the first request needs to.
import { AuthError, UsageError } from '../../errors.js';
import { registryBaseUrl, type RegistryTarget } from '../../reference/login-server.js';
import { createConnection, withProtocolFallback, type Connection, type Credential, type CredentialSource, type RegistryAuth, type TlsProbe, type Transport } from '../../transport/index.js';
import { AcrClient } from '../acr.js';
import { DEFAULT_CONCURRENCY, RegistryClient } from '../client.js';
import { AcrRegistryService } from './acr.js';
import { OciRegistryService } from './oci.js';
import type { RegistryService, Reporter } from './types.js';

/**
 * Which credentials a session uses. `stored`: PRODUCT §4's chain (given, docker config, auth.json,
 * Entra ID for ACR, anonymous). `sign-in` (login): exactly the given credentials, else the registry's
 * own sign-in (Entra ID for ACR) — never what happens to be stored already.
 */
export type CredentialChoice = 'stored' | 'sign-in';

export interface SessionOptions {
  target: RegistryTarget;
  /** -u/-p, --password-stdin or ACRX_USERNAME/ACRX_PASSWORD. */
  explicit?: Credential;
  credentials: CredentialChoice;
  userAgent: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  reporter: Reporter;
  /** Requests in flight for per-tag work. */
  concurrency?: number;
  insecure?: boolean;
  /** Extra trusted CA certificates, PEM. */
  extraCa?: string;
  /** The TLS probe of a loopback registry, when it was started before the session (probeTarget). */
  tlsProbe?: Promise<TlsProbe>;
  /** --debug: one redacted line per request and response. */
  trace?: (line: string) => void;
  now?: () => number;
}

export interface RegistrySession {
  readonly loginServer: string;
  readonly service: RegistryService;
  /** GET /v2/ answering the challenge: proves the credentials are accepted. */
  verifyAccess(): Promise<void>;
  /** The credential the session uses (loaded once); undefined when it is anonymous. */
  credential(): Promise<Credential | undefined>;
  /** A token to hand to another client: a refresh token as given, else a bearer token for the bare API. */
  accessToken(): Promise<string>;
  close(): Promise<void>;
}

interface Connected {
  client: RegistryClient;
  acr: AcrClient;
  auth: RegistryAuth;
}

export function openSession(options: SessionOptions): RegistrySession {
  const { target, env, signal, reporter } = options;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  let connection: Connection | undefined;
  let ready: Promise<Connected> | undefined;

  const connect = (): Promise<Connected> =>
    (ready ??= (async () => {
      connection = createConnection({
        userAgent: options.userAgent,
        connections: concurrency,
        env,
        ...(options.insecure ? { insecure: true } : {}),
        ...(options.extraCa ? { extraCa: options.extraCa } : {}),
        ...(options.trace ? { trace: options.trace } : {}),
      });
      const opened = connection;
      // The ping (GET /v2/) is the first request: over HTTPS, and for a loopback registry that answers
      // in plain HTTP, once more over plain HTTP.
      return withProtocolFallback(target, async (reached) => {
        const registry = registryBaseUrl(reached);
        const auth = opened.withAuth(registry, credentialSource(options, opened.plain, registry), options.now);
        const client = new RegistryClient(reached, auth.transport, { concurrency, signal });
        await client.ping();
        reporter.info(`registry ${reached.loginServer} over ${reached.protocol === 'https:' ? 'HTTPS' : 'plain HTTP'}`);
        return { client, acr: new AcrClient(auth.transport, registry, signal), auth };
      }, { ...(options.tlsProbe ? { probed: options.tlsProbe } : {}), ...(options.trace ? { debug: options.trace } : {}) });
    })());

  const oci = new OciRegistryService(target.loginServer, async () => (await connect()).client, reporter);
  const service = target.acrApi
    ? new AcrRegistryService(target.loginServer, async () => {
        const { acr, client } = await connect();
        return { acr, oci: client };
      }, oci, reporter)
    : oci;

  return {
    loginServer: target.loginServer,
    service,
    verifyAccess: async () => (await connect()).client.verifyAccess(),
    credential: async () => (await connect()).auth.credential(),
    accessToken: async () => (await connect()).auth.accessToken([]),
    close: async () => {
      await connection?.close();
    },
  };
}

function credentialSource(options: SessionOptions, plain: Transport, registry: URL): CredentialSource {
  const { target, env, reporter, explicit } = options;
  if (options.credentials === 'stored') {
    return async () => {
      const { credentialChain } = await import('../../auth/chain.js');
      return credentialChain({
        loginServer: target.loginServer,
        ...(explicit ? { explicit } : {}),
        acr: target.acrApi,
        env,
        plain,
        registry,
        log: (message) => reporter.info(message),
      })();
    };
  }
  return async () => {
    if (explicit) return explicit;
    if (!target.acrApi) throw new UsageError('login needs credentials', { remedy: { kind: 'give-credentials' } });
    const { entraCredential } = await import('../../auth/azure.js');
    const found = await entraCredential({ registry, transport: async () => plain, env, log: (message) => reporter.info(message) });
    if (!found) throw new AuthError(`no credentials for ${registry.host}`, { remedy: { kind: 'sign-in-to-entra' } });
    return found;
  };
}
