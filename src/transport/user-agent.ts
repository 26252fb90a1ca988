// Names acrx to the registry, the way registries' logs and rate limiters expect a client to.
import type { HttpRequest, Transport } from './types.js';

export function userAgentTransport(next: Transport, userAgent: string): Transport {
  return (request: HttpRequest) =>
    next({ ...request, headers: { 'user-agent': userAgent, ...request.headers } });
}
