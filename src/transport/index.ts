// Assembles the transport stack, outermost first: auth → redirect guard → retry → user-agent → trace → undici.
// Everything above the transport floor gets its transports from here.
import { createAuth, type RegistryAuth } from './auth.js';
import { createBaseTransport, createDispatcher, type ConnectionOptions } from './base.js';
import type { CredentialSource } from './credential.js';
import { redirectTransport } from './redirect.js';
import { DEFAULT_RETRY_POLICY, retryTransport, type RetryPolicy } from './retry.js';
import { traceTransport } from './trace.js';
import type { Transport } from './types.js';
import { userAgentTransport } from './user-agent.js';

export type { RegistryAuth } from './auth.js';
export type { Credential, CredentialSource } from './credential.js';
export type { HttpRequest, HttpResponse, Transport } from './types.js';

export interface TransportOptions extends ConnectionOptions {
  userAgent: string;
  trace?: (line: string) => void;
  retry?: RetryPolicy;
}

export interface Connection {
  /** Everything but auth: for token services, the ACR exchange, and protocol probes. */
  plain: Transport;
  /** The full stack for one registry origin. */
  withAuth(registry: URL, credentials: CredentialSource, now?: () => number): RegistryAuth;
  close(): Promise<void>;
}

export function createConnection(options: TransportOptions): Connection {
  const dispatcher = createDispatcher(options);
  let plain = createBaseTransport(dispatcher);
  if (options.trace) plain = traceTransport(plain, options.trace);
  plain = userAgentTransport(plain, options.userAgent);
  plain = retryTransport(plain, options.retry ?? DEFAULT_RETRY_POLICY);
  plain = redirectTransport(plain);
  return {
    plain,
    withAuth: (registry, credentials, now) => createAuth(plain, { registry, credentials, ...(now ? { now } : {}) }),
    close: () => dispatcher.close(),
  };
}
export { withProtocolFallback, type TlsProbe } from './protocol.js';
