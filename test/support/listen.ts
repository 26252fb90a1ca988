// Starting and stopping the loopback servers of the test fixtures.
import type { AddressInfo, Server } from 'node:net';

/** Listens on host:port (0 = a free port) and answers the port it got. */
export async function listen(server: Server, host = '127.0.0.1', port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Closes the server, dropping kept-alive connections so the close does not wait for them. */
export async function close(server: Server & { closeAllConnections?: () => void }): Promise<void> {
  server.closeAllConnections?.();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
