// HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured (PRODUCT §1), through a CONNECT proxy on loopback.
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createBaseTransport, createDispatcher } from '../../../src/transport/base.js';
import { sendJson, startServer, type TestServer } from '../../support/http-server.js';

let proxy: Server | undefined;
let registry: TestServer | undefined;
const tunnels: string[] = [];

afterEach(async () => {
  tunnels.length = 0;
  await registry?.stop();
  await new Promise<void>((resolve) => (proxy ? (proxy.closeAllConnections(), proxy.close(() => resolve())) : resolve()));
});

async function startProxy(): Promise<string> {
  proxy = createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, socket, head) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

describe('proxy settings', () => {
  it('tunnels through HTTP_PROXY, and goes direct for hosts in NO_PROXY', async () => {
    registry = await startServer((_req, res) => sendJson(res, 200, {}));
    const proxyUrl = await startProxy();
    const get = async (env: NodeJS.ProcessEnv) => {
      const dispatcher = createDispatcher({ env });
      try {
        const response = await createBaseTransport(dispatcher)({ method: 'GET', url: new URL('/v2/', registry?.url), headers: {} });
        await response.discard();
        return response.status;
      } finally {
        await dispatcher.close();
      }
    };
    expect(await get({ HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl })).toBe(200);
    expect(tunnels).toEqual([registry.origin.host]);
    expect(await get({ HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' })).toBe(200);
    expect(tunnels).toHaveLength(1);
  });
});
