// Streamed request bodies (blobs) through the layers that repeat a request: each attempt must send the
// whole body from a freshly opened stream, never a stream an earlier attempt consumed.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionError, RegistryError } from '../../../src/errors.js';
import { createAuth } from '../../../src/transport/auth.js';
import { createBaseTransport, createDispatcher } from '../../../src/transport/base.js';
import { redirectTransport } from '../../../src/transport/redirect.js';
import { retryTransport } from '../../../src/transport/retry.js';
import { traceTransport } from '../../../src/transport/trace.js';
import type { StreamBody } from '../../../src/transport/types.js';
import { sendJson } from '../../support/http-server.js';
import { close, listen } from '../../support/listen.js';
import { baseTransport as base, NO_SLEEP, serversStoppedAfterEach } from '../../support/transport.js';

const { serve } = serversStoppedAfterEach();
const rawServers: Server[] = [];
afterEach(async () => {
  await Promise.all(rawServers.splice(0).map((server) => close(server)));
});

const CONTENT = randomBytes(3 * 1024 * 1024 + 17);

/** A body over CONTENT in 64 KiB pieces, counting how often it was opened. */
function countedBody(content = CONTENT): StreamBody & { opened: number } {
  const body = {
    opened: 0,
    length: content.length,
    open: () => {
      body.opened++;
      return Readable.from(
        (function* () {
          for (let at = 0; at < content.length; at += 65_536) yield content.subarray(at, at + 65_536);
        })(),
        { objectMode: false },
      );
    },
  };
  return body;
}

describe('streamed request bodies', () => {
  it('are opened afresh when the retry layer repeats a PUT the registry answered 503', async () => {
    const server = await serve((req, res) => sendJson(res, server.requests.length === 1 ? 503 : 201, {}));
    const body = countedBody();
    const response = await retryTransport(base, NO_SLEEP)({ method: 'PUT', url: new URL('/upload', server.url), headers: {}, body });
    expect(response.status).toBe(201);
    expect(body.opened).toBe(2);
    expect(server.requests.map((request) => request.bytes.equals(CONTENT))).toEqual([true, true]);
    expect(server.requests[1]?.headers['content-length']).toBe(String(CONTENT.length));
  });

  it('are opened afresh when the connection drops halfway through the body', async () => {
    const received: number[] = [];
    const server = createServer((req, res) => {
      let bytes = 0;
      const first = received.length === 0;
      received.push(0);
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        received[received.length - 1] = bytes;
        if (first && bytes > CONTENT.length / 2) req.socket.destroy();
      });
      req.on('end', () => sendJson(res, 201, {}));
    });
    rawServers.push(server);
    const port = await listen(server);
    const body = countedBody();
    const response = await retryTransport(base, NO_SLEEP)({ method: 'PUT', url: new URL(`http://127.0.0.1:${port}/upload`), headers: {}, body });
    expect(response.status).toBe(201);
    expect(body.opened).toBe(2);
    expect(received[0]).toBeLessThan(CONTENT.length);
    expect(received[1]).toBe(CONTENT.length);
  });

  it('are sent whole again, with credentials, after a 401 the registry answered before reading the body', async () => {
    const arrived: Array<{ authorization: boolean; bytes: number }> = [];
    const server = createServer((req, res) => {
      if (!req.headers.authorization) {
        arrived.push({ authorization: false, bytes: 0 });
        // As Go's server does: answer at once, unread body and all, and close the connection.
        res.writeHead(401, { 'www-authenticate': 'Basic realm="test"', 'content-type': 'application/json', connection: 'close' });
        return void res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}', () => req.socket.destroy());
      }
      let bytes = 0;
      req.on('data', (chunk: Buffer) => (bytes += chunk.length));
      req.on('end', () => {
        arrived.push({ authorization: true, bytes });
        sendJson(res, 202, {});
      });
    });
    rawServers.push(server);
    const registry = new URL(`http://127.0.0.1:${await listen(server)}`);
    const { transport } = createAuth(base, { registry, credentials: async () => ({ kind: 'basic', username: 'u', password: 'p' }) });
    const body = countedBody();
    const response = await transport({ method: 'PATCH', url: new URL('/v2/a/blobs/uploads/1', registry), headers: {}, body });
    expect(response.status).toBe(202);
    expect(body.opened).toBe(2);
    expect(arrived).toEqual([
      { authorization: false, bytes: 0 },
      { authorization: true, bytes: CONTENT.length },
    ]);
  });

  it('follow a 307 and a 308 whole, and go to another origin without credentials', async () => {
    const storage = await serve((_req, res) => sendJson(res, 201, {}));
    const registry = await serve((req, res) => {
      if (req.url === '/first') return res.writeHead(307, { location: '/second' }).end();
      res.writeHead(308, { location: `${storage.url}/put?sig=x` }).end();
    });
    const body = countedBody();
    const response = await redirectTransport(base)({ method: 'PUT', url: new URL('/first', registry.url), headers: { authorization: 'Bearer TOKEN' }, body });
    expect(response.status).toBe(201);
    expect(body.opened).toBe(3);
    expect(registry.requests.map((request) => request.bytes.equals(CONTENT))).toEqual([true, true]);
    expect(storage.requests[0]?.bytes.equals(CONTENT)).toBe(true);
    expect(storage.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('appear in the trace by their length only', async () => {
    const server = await serve((_req, res) => sendJson(res, 201, {}));
    const lines: string[] = [];
    await (await traceTransport(base, (line) => lines.push(line))({ method: 'PUT', url: new URL('/x', server.url), headers: {}, body: countedBody() })).discard();
    expect(lines).toContain(`> body: ${CONTENT.length} bytes (stream, not shown)`);
  });

  it('that fail to read fail the request with their own error, which is not retried', async () => {
    const server = await serve((_req, res) => sendJson(res, 201, {}));
    let opened = 0;
    const failing: StreamBody = {
      length: 100_000,
      open: () => {
        opened++;
        return new Readable({
          read() {
            this.destroy(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }));
          },
        });
      },
    };
    const request = retryTransport(base, NO_SLEEP)({ method: 'PUT', url: new URL('/x', server.url), headers: {}, body: failing });
    await expect(request).rejects.toThrow('EIO: i/o error, read');
    await expect(request).rejects.not.toBeInstanceOf(ConnectionError);
    expect(opened).toBe(1);
  });

  it('that yield fewer bytes than announced are refused as a source that changed', async () => {
    const server = await serve((_req, res) => sendJson(res, 201, {}));
    const short: StreamBody = { length: CONTENT.length + 10, open: () => Readable.from([CONTENT], { objectMode: false }) };
    await expect(base({ method: 'PUT', url: new URL('/x', server.url), headers: {}, body: short })).rejects.toThrow(RegistryError);
    await expect(base({ method: 'PUT', url: new URL('/x', server.url), headers: {}, body: short })).rejects.toThrow(/changed while it was read/);
  });
});

describe('streamed response bodies', () => {
  it('arrive as a stream, byte for byte', async () => {
    const server = await serve((_req, res) => res.writeHead(200, { 'content-length': CONTENT.length }).end(CONTENT));
    const response = await base({ method: 'GET', url: new URL('/blob', server.url), headers: {} });
    const chunks: Buffer[] = [];
    for await (const chunk of response.stream()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(CONTENT)).toBe(true);
  });

  it('fail naming the host when the connection is cut midway', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': CONTENT.length });
      res.write(CONTENT.subarray(0, 1000), () => res.socket?.destroy());
    });
    const response = await base({ method: 'GET', url: new URL('/blob', server.url), headers: {} });
    const reading = (async () => {
      for await (const _chunk of response.stream());
    })();
    await expect(reading).rejects.toThrow(ConnectionError);
    await expect(reading).rejects.toThrow(`cannot reach ${server.origin.host}`);
  });

  it('fail when the body stalls longer than the timeout', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': CONTENT.length });
      res.write(CONTENT.subarray(0, 1000));
    });
    const dispatcher = createDispatcher({ timeoutMs: 300 });
    try {
      const response = await createBaseTransport(dispatcher)({ method: 'GET', url: new URL('/blob', server.url), headers: {} });
      const reading = (async () => {
        for await (const _chunk of response.stream());
      })();
      await expect(reading).rejects.toThrow(`cannot reach ${server.origin.host}: it stalled: the answer stopped arriving for longer than the time limit`);
    } finally {
      await dispatcher.destroy();
    }
  });
});
