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
  registry: URL;
  credentials: CredentialSource;
  userAgent: string;
  trace?: (line: string) => void;
  retry?: RetryPolicy;
}

export interface RegistryTransport {
  transport: Transport;
  close(): Promise<void>;
}

export function createRegistryTransport(options: TransportOptions): RegistryTransport {
  const dispatcher = createDispatcher(options);
  let transport = createBaseTransport(dispatcher);
  if (options.trace) transport = traceTransport(transport, options.trace);
  transport = userAgentTransport(transport, options.userAgent);
  transport = retryTransport(transport, options.retry ?? DEFAULT_RETRY_POLICY);
  transport = redirectTransport(transport);
  transport = authTransport(transport, { registry: options.registry, credentials: options.credentials });
  return { transport, close: () => dispatcher.close() };
}
