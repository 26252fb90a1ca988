// A loopback TCP proxy in front of a plain-HTTP registry that does not answer a TLS ClientHello the way
// a plain HTTP server would: it closes the connection, resets it, or says nothing. Plain HTTP passes
// through to the registry, so a client that falls back to plain HTTP reaches it.
import { connect, createServer, type Socket } from 'node:net';
import { listen } from './listen.js';

export type TlsRefusal = 'close' | 'reset' | 'silent';

export interface TlsShyProxy {
  /** "127.0.0.1:PORT" */
  host: string;
  /** How many connections opened with a TLS ClientHello. */
  tlsAttempts(): number;
  /** How many plain-HTTP connections from clients are open now. */
  openPlainConnections(): number;
  stop(): Promise<void>;
}

export async function startTlsShyProxy(target: string, refusal: TlsRefusal): Promise<TlsShyProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  let attempts = 0;
  const plain = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    client.once('data', (first: Buffer) => {
      // 0x16: a TLS handshake record.
      if (first[0] === 0x16) {
        attempts++;
        if (refusal === 'close') client.end();
        else if (refusal === 'reset') client.resetAndDestroy();
        return;
      }
      plain.add(client);
      client.on('close', () => plain.delete(client));
      const registry = connect(Number(upstream.port), upstream.hostname);
      sockets.add(registry);
      registry.on('close', () => sockets.delete(registry));
      registry.on('error', () => client.destroy());
      registry.write(first);
      client.pipe(registry).pipe(client);
    });
  });
  const port = await listen(server);
  return {
    host: `127.0.0.1:${port}`,
    tlsAttempts: () => attempts,
    openPlainConnections: () => plain.size,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
