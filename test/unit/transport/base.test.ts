import { describe, expect, it } from 'vitest';
import { sendJson } from '../../support/http-server.js';
import { baseTransport as base, serversStoppedAfterEach } from '../../support/transport.js';

const { serve, forget } = serversStoppedAfterEach();

describe('base transport', () => {
  it('names the host and what happened when nothing listens', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, {}));
    const url = new URL('/v2/', server.url);
    await server.stop();
    forget(server);
    await expect(base({ method: 'GET', url, headers: {} })).rejects.toThrow(`cannot reach ${url.host}: connection refused`);
  });

  it('names plain HTTP as the remedy when an HTTPS request meets a plain-HTTP server', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, {}));
    const url = new URL(`https://${server.origin.host}/v2/`);
    await expect(base({ method: 'GET', url, headers: {} })).rejects.toMatchObject({ peerSpeaksPlainHttp: true, remedy: { kind: 'use-plain-http' } });
  });
});
