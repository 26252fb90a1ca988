// A loopback listener that counts every TCP connection made to it, whatever is spoken on it (plain
// HTTP, a TLS ClientHello, a proxy CONNECT), and answers nothing useful. Given as the registry and as
// HTTP(S)_PROXY, it sees any request a command would make, to any host, without a name lookup.
import { createServer, type AddressInfo, type Socket } from 'node:net';

export interface ConnectionCounter {
  /** `127.0.0.1:PORT`, for -n. */
  host: string;
  /** The environment that routes every request of acrx through the counter. */
  proxyEnv: NodeJS.ProcessEnv;
  connections(): number;
  stop(): Promise<void>;
}

export async function startConnectionCounter(): Promise<ConnectionCounter> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    count += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    // A proxy or registry that refuses outright, so a command that does connect fails fast.
    socket.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    proxyEnv: { HTTPS_PROXY: `http://${host}`, HTTP_PROXY: `http://${host}`, NO_PROXY: '' },
    connections: () => count,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
