import { afterEach, describe, expect, it } from 'vitest';
import { createBaseTransport, createDispatcher } from '../../src/transport/base.js';
import { redirectTransport } from '../../src/transport/redirect.js';
import { parseRetryAfter, retryTransport } from '../../src/transport/retry.js';
import { redactUrl, traceTransport } from '../../src/transport/trace.js';
import type { Transport } from '../../src/transport/types.js';
import { sendJson, startServer, type TestServer } from '../support/http-server.js';

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

describe('retry', () => {
  it('retries 503 and 429 on GET, waiting as long as Retry-After says', async () => {
    let calls = 0;
    const server = await serve((_req, res) => {
      calls++;
      if (calls === 1) return sendJson(res, 503, { errors: [] });
      if (calls === 2) return sendJson(res, 429, { errors: [] }, { 'retry-after': '1' });
      sendJson(res, 200, { ok: true });
    });
    const waits: number[] = [];
    const transport = retryTransport(base, { ...noSleep, sleep: async (ms) => void waits.push(ms) });
    const response = await transport({ method: 'GET', url: new URL('/v2/', server.url), headers: {} });
    expect(response.status).toBe(200);
    expect(calls).toBe(3);
    expect(waits[1]).toBe(1000);
  });

  it('does not retry a POST, and gives up after the last attempt with the last answer', async () => {
    const server = await serve((_req, res) => sendJson(res, 502, { errors: [] }));
    const transport = retryTransport(base, noSleep);
    expect((await transport({ method: 'POST', url: new URL('/x', server.url), headers: {} })).status).toBe(502);
    expect(server.requests).toHaveLength(1);
    expect((await transport({ method: 'GET', url: new URL('/x', server.url), headers: {} })).status).toBe(502);
    expect(server.requests).toHaveLength(1 + 4);
  });

  it('returns at once when Retry-After is longer than it is willing to wait', async () => {
    const server = await serve((_req, res) => sendJson(res, 429, {}, { 'retry-after': '3600' }));
    const transport = retryTransport(base, noSleep);
    expect((await transport({ method: 'GET', url: new URL('/x', server.url), headers: {} })).status).toBe(429);
    expect(server.requests).toHaveLength(1);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('retries a connection the server drops', async () => {
    let calls = 0;
    const server = await serve((_req, res) => {
      calls++;
      if (calls === 1) return res.socket?.destroy();
      sendJson(res, 200, {});
    });
    const transport = retryTransport(base, noSleep);
    expect((await transport({ method: 'GET', url: new URL('/x', server.url), headers: {} })).status).toBe(200);
  });
});

describe('redirect guard', () => {
  it('follows a same-origin redirect with credentials and a cross-origin one without', async () => {
    const other = await serve((_req, res) => sendJson(res, 200, { where: 'other' }));
    const registry = await serve((req, res) => {
      if (req.url === '/same') return res.writeHead(307, { location: '/cross' }).end();
      res.writeHead(302, { location: `${other.url}/blob?sig=secret` }).end();
    });
    const transport = redirectTransport(base);
    const response = await transport({ method: 'GET', url: new URL('/same', registry.url), headers: { authorization: 'Bearer TOKEN', accept: 'x' } });
    expect(await response.json()).toEqual({ where: 'other' });
    expect(registry.requests.map((r) => r.headers.authorization)).toEqual(['Bearer TOKEN', 'Bearer TOKEN']);
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
    expect(other.requests[0]?.headers.accept).toBe('x');
  });

  it('refuses to go from https to http', async () => {
    const next: Transport = async (request) => ({
      status: 302,
      headers: { location: 'http://127.0.0.1:1/downgrade' },
      url: request.url,
      bytes: async () => Buffer.alloc(0),
      text: async () => '',
      json: async () => ({}),
      discard: async () => undefined,
    });
    await expect(redirectTransport(next)({ method: 'GET', url: new URL('https://registry.example/v2/'), headers: {} })).rejects.toThrow(/non-HTTPS/);
  });

  it('does not follow redirects of token exchanges', async () => {
    const registry = await serve((_req, res) => res.writeHead(302, { location: '/elsewhere' }).end());
    const response = await redirectTransport(base)({ method: 'GET', url: new URL('/token', registry.url), headers: {}, sensitive: true });
    expect(response.status).toBe(302);
    expect(registry.requests).toHaveLength(1);
  });
});

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

describe('base transport', () => {
  it('names the host and what happened when nothing listens', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, {}));
    const url = new URL('/v2/', server.url);
    await server.stop();
    servers.pop();
    await expect(base({ method: 'GET', url, headers: {} })).rejects.toThrow(`cannot reach ${url.host}: connection refused`);
  });

  it('suggests --plain-http when an HTTPS request meets a plain-HTTP server', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, {}));
    const url = new URL(`https://${server.origin.host}/v2/`);
    await expect(base({ method: 'GET', url, headers: {} })).rejects.toThrow(/--plain-http/);
  });
});
