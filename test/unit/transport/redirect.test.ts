import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { redirectTransport } from '../../../src/transport/redirect.js';
import type { Transport } from '../../../src/transport/types.js';
import { sendJson } from '../../support/http-server.js';
import { baseTransport as base, serversStoppedAfterEach } from '../../support/transport.js';

const { serve } = serversStoppedAfterEach();

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
      excerpt: async () => Buffer.alloc(0),
      stream: () => Readable.from([]),
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
