// Bounds the transport keeps whatever a server does: a body larger than what is read fails after
// reading no more than the limit, and a server that accepts and then says nothing ends the request
// after one more try, naming the host.
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionError, RegistryError } from '../../../src/errors.js';
import { createConnection, type Connection } from '../../../src/transport/index.js';
import { writeJunk } from '../../support/junk-body.js';
import { close, listen } from '../../support/listen.js';

let server: Server | undefined;
let connection: Connection | undefined;
afterEach(async () => {
  await connection?.close();
  if (server) await close(server);
  server = undefined;
  connection = undefined;
});

/** Serves `bytes` of filler forever-ish, honouring backpressure; counts what it managed to write. */
async function endlessBody(announce?: number, status = 200): Promise<{ url: string; written: () => number }> {
  let written = 0;
  server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...(announce ? { 'content-length': String(announce) } : {}) });
    writeJunk(res, 600 * 1024 * 1024, (bytes) => (written = bytes), 64 * 1024);
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}/v2/r/tags/list`, written: () => written };
}

describe('transport bounds', () => {
  it('stops reading a body past its limit and names the host and the limit', async () => {
    const endless = await endlessBody();
    connection = createConnection({ userAgent: 'test' });
    const response = await connection.plain({ method: 'GET', url: new URL(endless.url), headers: {} });
    await expect(response.json(1024 * 1024)).rejects.toThrow(RegistryError);
    await expect(
      (await connection.plain({ method: 'GET', url: new URL(endless.url), headers: {} })).bytes(1024 * 1024),
    ).rejects.toThrow(/127\.0\.0\.1:\d+ \(\/v2\/r\/tags\/list\) sent more than 1048576 bytes; acrx reads at most 1 MiB/);
    // What the server got out before the client stopped is the limit plus socket buffers, not 600 MiB.
    expect(endless.written()).toBeLessThan(32 * 1024 * 1024);
  });

  it('refuses a body announced larger than its limit without reading it', async () => {
    const announced = await endlessBody(600 * 1024 * 1024);
    connection = createConnection({ userAgent: 'test' });
    const response = await connection.plain({ method: 'GET', url: new URL(announced.url), headers: {} });
    await expect(response.bytes(1024 * 1024)).rejects.toThrow(/announced 629145600 bytes; acrx reads at most 1 MiB/);
    expect(announced.written()).toBeLessThan(32 * 1024 * 1024);
  });

  it('keeps an excerpt of an endless error page and reads no further', async () => {
    const failing = await endlessBody(undefined, 500);
    connection = createConnection({ userAgent: 'test', retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 0 } });
    const response = await connection.plain({ method: 'GET', url: new URL(failing.url), headers: {} });
    expect(response.status).toBe(500);
    expect((await response.excerpt(64 * 1024)).length).toBe(64 * 1024);
    expect(failing.written()).toBeLessThan(32 * 1024 * 1024);
  });

  it('gives up on a server that never answers after asking once more, naming the host', async () => {
    let requests = 0;
    server = createServer(() => {
      requests++;
    });
    const port = await listen(server);
    connection = createConnection({ userAgent: 'test', timeoutMs: 300 });
    const failure = connection.plain({ method: 'GET', url: new URL(`http://127.0.0.1:${port}/v2/`), headers: {} });
    await expect(failure).rejects.toThrow(ConnectionError);
    await expect(failure).rejects.toThrow(new RegExp(`cannot reach 127\\.0\\.0\\.1:${port}: it stalled`));
    expect(requests).toBe(2);
  });
});
