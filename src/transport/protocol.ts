// Loopback registries may serve plain HTTP: like docker, try HTTPS first and use plain HTTP when the TLS
// attempt fails in any way before a TLS session exists — the server closes or resets the connection,
// answers in plain HTTP, or says nothing for a couple of seconds. Once a TLS session exists (even with a
// certificate acrx will not trust), HTTPS it is: a downgrade is never chosen for a server that speaks TLS.
import { connect } from 'node:tls';
import { ConnectionError } from '../errors.js';
import type { RegistryTarget } from '../reference/login-server.js';

/** How long a loopback server may take to complete a TLS handshake before it is taken for plain HTTP. */
export const TLS_PROBE_TIMEOUT_MS = 2_000;

export type TlsProbe = { tls: true } | { tls: false; reason: string };

/**
 * Runs `attempt` (the first request to the registry) over the target's protocol. For a loopback
 * registry that may use plain HTTP, a TLS handshake is tried first and decides; a server that still
 * answers the HTTPS request in plain HTTP is asked again over plain HTTP.
 */
export async function withProtocolFallback<T>(
  target: RegistryTarget,
  attempt: (target: RegistryTarget) => Promise<T>,
  options: { probe?: (host: string, port: number) => Promise<TlsProbe>; debug?: (line: string) => void } = {},
): Promise<T> {
  if (!target.plainHttpFallback || target.protocol === 'http:') return attempt(target);
  const url = new URL(`https://${target.loginServer}`);
  const probed = await (options.probe ?? probeTls)(url.hostname.replace(/^\[|\]$/g, ''), Number(url.port || 443));
  if (!probed.tls) {
    options.debug?.(`${target.loginServer} did not complete a TLS handshake (${probed.reason}): using plain HTTP, as for any loopback registry`);
    return attempt({ ...target, protocol: 'http:' });
  }
  options.debug?.(`${target.loginServer} completed a TLS handshake: using HTTPS`);
  try {
    return await attempt(target);
  } catch (error) {
    if (error instanceof ConnectionError && error.peerSpeaksPlainHttp) return attempt({ ...target, protocol: 'http:' });
    // Refused, timed out, untrusted: asking again over the same protocol would only repeat it.
    throw error;
  }
}

/** Whether a TLS session can be set up with host:port within the time limit (the certificate is not judged here). */
export function probeTls(host: string, port: number, timeoutMs = TLS_PROBE_TIMEOUT_MS): Promise<TlsProbe> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, rejectUnauthorized: false, ...(/^[\d.]+$|:/.test(host) ? {} : { servername: host }) });
    const finish = (result: TlsProbe): void => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ tls: false, reason: `no TLS handshake within ${timeoutMs / 1000} s` }), timeoutMs);
    socket.once('secureConnect', () => finish({ tls: true }));
    socket.once('error', (error: NodeJS.ErrnoException) => finish({ tls: false, reason: error.code ?? error.message }));
    socket.once('close', () => finish({ tls: false, reason: 'the connection was closed' }));
  });
}
