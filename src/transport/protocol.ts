// Loopback registries may serve plain HTTP: like docker, try HTTPS first and fall back only when the
// server answers the TLS handshake in plain HTTP. Nothing else (refused, bad certificate) falls back.
import { ConnectionError } from '../errors.js';
import type { RegistryTarget } from '../reference/login-server.js';
import type { Transport } from './types.js';

export async function negotiateProtocol(base: Transport, target: RegistryTarget, signal?: AbortSignal): Promise<RegistryTarget> {
  if (!target.plainHttpFallback || target.protocol === 'http:') return target;
  try {
    const response = await base({ method: 'GET', url: new URL(`https://${target.loginServer}/v2/`), headers: {}, ...(signal ? { signal } : {}) });
    await response.discard();
    return target;
  } catch (error) {
    if (error instanceof ConnectionError && error.peerSpeaksPlainHttp) return { ...target, protocol: 'http:' };
    // Refused, timed out, untrusted: asking again over the same protocol would only repeat it.
    throw error;
  }
}
