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

describe('trace', () => {
  it('never writes credentials, secret query values or bodies', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { token: 'SECRET-TOKEN' }, { 'set-cookie': 'session=SECRET-COOKIE' }));
    const lines: string[] = [];
    const transport = traceTransport(base, (line) => lines.push(line));
    const response = await transport({
      method: 'POST',
      url: new URL('/token?scope=repository:a:pull&password=SECRET-QUERY', server.url),
      headers: { authorization: 'Basic SECRET-BASIC', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'refresh_token=SECRET-REFRESH',
    });
    await response.json();
    const trace = lines.join('\n');
    expect(trace).toContain('POST');
    expect(trace).toContain('scope=repository%3Aa%3Apull');
    expect(trace).toContain('Basic <redacted>');
    for (const secret of ['SECRET-TOKEN', 'SECRET-COOKIE', 'SECRET-QUERY', 'SECRET-BASIC', 'SECRET-REFRESH']) {
      expect(trace).not.toContain(secret);
    }
  });

  it('drops user info from URLs', () => {
    expect(redactUrl(new URL('https://user:pw@r.example/v2/?n=10&token=abc'))).toBe('https://r.example/v2/?n=10&token=<redacted>');
  });
});
