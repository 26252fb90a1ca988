import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryTransport } from '../../../src/transport/retry.js';
import { sendJson } from '../../support/http-server.js';
import { baseTransport as base, NO_SLEEP as noSleep, serversStoppedAfterEach } from '../../support/transport.js';

const { serve } = serversStoppedAfterEach();

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

  describe('a DELETE, never repeated blindly', () => {
    it('is not repeated without a way to tell whether it took effect', async () => {
      const server = await serve((_req, res) => sendJson(res, 503, { errors: [] }));
      const transport = retryTransport(base, noSleep);
      expect((await transport({ method: 'DELETE', url: new URL('/x', server.url), headers: {} })).status).toBe(503);
      expect(server.requests).toHaveLength(1);
    });

    it('is repeated after a busy answer, as long as Retry-After says, once alreadyDone finds it still to do', async () => {
      let calls = 0;
      const server = await serve((_req, res) => {
        calls++;
        if (calls === 1) return sendJson(res, 429, { errors: [] }, { 'retry-after': '2' });
        res.writeHead(202).end();
      });
      const waits: number[] = [];
      let asked = 0;
      const transport = retryTransport(base, { ...noSleep, sleep: async (ms) => void waits.push(ms) });
      const alreadyDone = async (): Promise<boolean> => (asked++, false);
      expect((await transport({ method: 'DELETE', url: new URL('/x', server.url), headers: {}, alreadyDone })).status).toBe(202);
      expect({ deletes: server.requests.length, asked, waits }).toEqual({ deletes: 2, asked: 1, waits: [2000] });
    });

    it('whose answer was lost and whose effect is there is answered with an empty 204, not sent again', async () => {
      const server = await serve((_req, res) => res.socket?.destroy());
      const transport = retryTransport(base, noSleep);
      const response = await transport({ method: 'DELETE', url: new URL('/x', server.url), headers: {}, alreadyDone: async () => true });
      expect({ status: response.status, body: await response.text(), deletes: server.requests.length }).toEqual({ status: 204, body: '', deletes: 1 });
    });

    it('fails with the check when the check itself fails', async () => {
      const server = await serve((_req, res) => sendJson(res, 503, { errors: [] }));
      const transport = retryTransport(base, noSleep);
      const failing = async (): Promise<boolean> => {
        throw new Error('the lookup failed');
      };
      await expect(transport({ method: 'DELETE', url: new URL('/x', server.url), headers: {}, alreadyDone: failing })).rejects.toThrow('the lookup failed');
      expect(server.requests).toHaveLength(1);
    });
  });
});
