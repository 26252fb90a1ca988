// Assembles the transport stack, outermost first: auth → redirect guard → retry → user-agent → trace → undici.
import type { CredentialSource } from '../auth/credential.js';
import { authTransport } from './auth.js';
import { createBaseTransport, createDispatcher, type ConnectionOptions } from './base.js';
import { redirectTransport } from './redirect.js';
import { DEFAULT_RETRY_POLICY, retryTransport, type RetryPolicy } from './retry.js';
import { traceTransport } from './trace.js';
import type { Transport } from './types.js';
import { userAgentTransport } from './user-agent.js';

export interface TransportOptions extends ConnectionOptions {
  userAgent: string;
  trace?: (line: string) => void;
  retry?: RetryPolicy;
}

export interface Connection {
  /** Everything but auth: for token services, the ACR exchange, and protocol probes. */
  plain: Transport;
  /** The full stack for one registry origin. */
  withAuth(registry: URL, credentials: CredentialSource): Transport;
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
    withAuth: (registry, credentials) => authTransport(plain, { registry, credentials }),
    close: () => dispatcher.close(),
  };
}
