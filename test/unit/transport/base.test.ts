import { afterEach, describe, expect, it } from 'vitest';
import { createBaseTransport, createDispatcher } from '../../../src/transport/base.js';
import { redirectTransport } from '../../../src/transport/redirect.js';
import { parseRetryAfter, retryTransport } from '../../../src/transport/retry.js';
import { redactUrl, traceTransport } from '../../../src/transport/trace.js';
import type { Transport } from '../../../src/transport/types.js';
import { sendJson, startServer, type TestServer } from '../../support/http-server.js';

const servers: TestServer[] = [];
const dispatcher = createDispatcher({ timeoutMs: 5_000 });
const base = createBaseTransport(dispatcher);
const noSleep = { retries: 3, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 60_000 };

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function serve(...args: Parameters<typeof startServer>): Promise<TestServer> {
  const server = await startServer(...args);
  servers.push(server);
  return server;
}

describe('base transport', () => {
  it('names the host and what happened when nothing listens', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, {}));
    const url = new URL('/v2/', server.url);
    await server.stop();
    servers.pop();
    await expect(base({ method: 'GET', url, headers: {} })).rejects.toThrow(`cannot reach ${url.host}: connection refused`);
  });

  it('names plain HTTP as the remedy when an HTTPS request meets a plain-HTTP server', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, {}));
    const url = new URL(`https://${server.origin.host}/v2/`);
    await expect(base({ method: 'GET', url, headers: {} })).rejects.toMatchObject({ peerSpeaksPlainHttp: true, remedy: { kind: 'use-plain-http' } });
  });
});
