// Loopback registries may serve plain HTTP: like docker, try HTTPS first and fall back only when the
// server answers the TLS handshake in plain HTTP. Nothing else (refused, bad certificate) falls back.
import { ConnectionError } from '../errors.js';
import type { RegistryTarget } from '../reference/login-server.js';

/**
 * Runs `attempt` (the first request to the registry) over the target's protocol; for a loopback
 * registry that turns out to speak plain HTTP, runs it again over plain HTTP. The attempt itself is
 * the probe, so no request is spent on finding the protocol out.
 */
export async function withProtocolFallback<T>(target: RegistryTarget, attempt: (target: RegistryTarget) => Promise<T>): Promise<T> {
  if (!target.plainHttpFallback || target.protocol === 'http:') return attempt(target);
  try {
    return await attempt(target);
  } catch (error) {
    if (error instanceof ConnectionError && error.peerSpeaksPlainHttp) return attempt({ ...target, protocol: 'http:' });
    // Refused, timed out, untrusted: asking again over the same protocol would only repeat it.
    throw error;
  }
}
