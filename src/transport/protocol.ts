// Loopback registries may serve plain HTTP: like docker, try HTTPS first and use plain HTTP when the TLS
// server does not answer a TLS ClientHello in TLS — it closes or resets the connection, answers in plain
// HTTP, or says nothing for a couple of seconds. A server that answers in TLS (even one whose certificate
// acrx will not trust, even with an alert) gets HTTPS: a downgrade is never chosen for a server that
// speaks TLS.
import { connect, isIP } from 'node:net';
import type { RegistryTarget } from '../reference/login-server.js';
import { clientHello, isTlsAnswer } from './client-hello.js';

/** How long a loopback server may take to answer the ClientHello before it is taken for plain HTTP. */
const TLS_PROBE_TIMEOUT_MS = 2_000;

export type TlsProbe = { tls: true } | { tls: false; reason: string };

/**
 * Runs `attempt` (the first request to the registry) over the target's protocol. For a loopback
 * registry that may use plain HTTP, the TLS probe decides, once: a server that answered in TLS is never
 * asked again over plain HTTP, whatever its HTTPS answer (refused, untrusted, timed out).
 */
export async function withProtocolFallback<T>(
  target: RegistryTarget,
  attempt: (target: RegistryTarget) => Promise<T>,
  options: { probed?: Promise<TlsProbe>; debug?: (line: string) => void } = {},
): Promise<T> {
  const pending = options.probed ?? probeTarget(target);
  if (pending === undefined) return attempt(target);
  const probed = await pending;
  if (!probed.tls) {
    options.debug?.(`${target.loginServer} did not answer a TLS handshake (${probed.reason}): using plain HTTP, as for any loopback registry`);
    return attempt({ ...target, protocol: 'http:' });
  }
  options.debug?.(`${target.loginServer} answered a TLS handshake: using HTTPS`);
  return attempt(target);
}

/**
 * The TLS probe of a registry that may use plain HTTP (a loopback one not asked for http:), else
 * undefined. Started early, it runs while the registry stack loads (see withProtocolFallback's `probed`).
 */
export function probeTarget(target: RegistryTarget): Promise<TlsProbe> | undefined {
  if (!target.plainHttpFallback || target.protocol === 'http:') return undefined;
  const url = new URL(`https://${target.loginServer}`);
  return probeTls(url.hostname.replace(/^\[|\]$/g, ''), Number(url.port || 443));
}

/**
 * Whether host:port speaks TLS: it answers a ClientHello with a TLS record (its ServerHello, or an alert)
 * within the time limit. No certificate is judged here, and no TLS session is finished.
 */
export function probeTls(host: string, port: number, timeoutMs = TLS_PROBE_TIMEOUT_MS): Promise<TlsProbe> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let received = Buffer.alloc(0);
    const finish = (result: TlsProbe): void => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ tls: false, reason: `no TLS handshake within ${timeoutMs / 1000} s` }), timeoutMs);
    // SNI carries host names only, never addresses (RFC 6066).
    socket.once('connect', () => socket.write(clientHello(isIP(host) ? undefined : host)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 3) return;
      if (isTlsAnswer(received)) finish({ tls: true });
      else finish({ tls: false, reason: received.subarray(0, 5).toString('latin1') === 'HTTP/' ? 'it answered in plain HTTP' : 'it answered, not in TLS' });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => finish({ tls: false, reason: error.code ?? error.message }));
    socket.once('close', () => finish({ tls: false, reason: 'the connection was closed' }));
  });
}
