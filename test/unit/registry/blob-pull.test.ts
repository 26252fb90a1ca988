// Blob pulls verified while they stream: what a registry (or the storage it redirects to) sends must be
// the blob, or the stream fails naming it, so the caller can throw away what it wrote.
import { createHash, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { BlobMismatchError } from '../../../src/errors.js';
import { RegistryClient } from '../../../src/registry/client.js';
import { createConnection } from '../../../src/transport/index.js';
import type { Transport } from '../../../src/transport/types.js';
import type { TestServer } from '../../support/http-server.js';
import { baseTransport, serversStoppedAfterEach } from '../../support/transport.js';

const { serve } = serversStoppedAfterEach();
const CONTENT = randomBytes(700_000);
const BLOB = { digest: `sha256:${createHash('sha256').update(CONTENT).digest('hex')}`, size: CONTENT.length };

function clientOf(server: TestServer, transport: Transport = baseTransport): RegistryClient {
  return new RegistryClient({ loginServer: server.origin.host, protocol: 'http:', plainHttpFallback: false, acrApi: false }, transport, { concurrency: 2 });
}

/** Reads the stream to its end into memory (fine for a test blob), or rejects with its error. */
async function readAll(client: RegistryClient, onProgress?: (received: number) => void): Promise<{ bytes: Buffer; written: number }> {
  const chunks: Buffer[] = [];
  let written = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      written += chunk.length;
      done();
    },
  });
  try {
    await pipeline(await client.fetchBlob('app', BLOB, onProgress ? { onProgress } : {}), sink);
  } catch (error) {
    throw Object.assign(error as Error, { written });
  }
  return { bytes: Buffer.concat(chunks), written };
}

describe('pulling a blob', () => {
  it('streams the blob and reports the bytes received', async () => {
    const server = await serve((_req, res) => res.writeHead(200, { 'content-length': CONTENT.length, 'docker-content-digest': BLOB.digest }).end(CONTENT));
    const received: number[] = [];
    const { bytes } = await readAll(clientOf(server), (count) => received.push(count));
    expect(bytes.equals(CONTENT)).toBe(true);
    expect(received.at(-1)).toBe(CONTENT.length);
  });

  it('fails after the last byte, naming the blob, when the bytes do not hash to its digest', async () => {
    const corrupt = Buffer.from(CONTENT);
    corrupt.writeUInt8(corrupt.readUInt8(123_456) ^ 0xff, 123_456);
    const server = await serve((_req, res) => res.writeHead(200, { 'content-length': corrupt.length }).end(corrupt));
    const reading = readAll(clientOf(server));
    await expect(reading).rejects.toBeInstanceOf(BlobMismatchError);
    await expect(reading).rejects.toMatchObject({ digest: BLOB.digest, repository: 'app', message: expect.stringContaining(`blob ${BLOB.digest} of 'app' failed verification`) });
    // The bytes passed through: the caller had to write them to know, and must delete them now.
    await expect(reading).rejects.toMatchObject({ written: CONTENT.length });
  });

  it('fails before writing anything when the registry announces another size or digest', async () => {
    const longer = await serve((_req, res) => res.writeHead(200, { 'content-length': CONTENT.length + 1 }).end(Buffer.concat([CONTENT, Buffer.from('x')])));
    await expect(clientOf(longer).fetchBlob('app', BLOB)).rejects.toThrow(`announced ${CONTENT.length + 1} bytes, not ${CONTENT.length}`);
    const renamed = await serve((_req, res) => res.writeHead(200, { 'docker-content-digest': `sha256:${'0'.repeat(64)}` }).end(CONTENT));
    await expect(clientOf(renamed).fetchBlob('app', BLOB)).rejects.toThrow(BlobMismatchError);
  });

  it('fails as soon as more bytes arrive than the blob has, when no length was announced', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      res.write(CONTENT);
      res.end(CONTENT);
    });
    await expect(readAll(clientOf(server))).rejects.toThrow(`more than ${CONTENT.length} bytes arrived`);
  });

  it('follows a redirect to storage on another origin without the registry’s credentials', async () => {
    const storage = await serve((_req, res) => res.writeHead(200, { 'content-length': CONTENT.length }).end(CONTENT));
    const registry = await serve((req, res) => {
      if (!req.headers.authorization) return void res.writeHead(401, { 'www-authenticate': 'Basic realm="test"' }).end();
      res.writeHead(307, { location: `${storage.url}/blob?sig=secret` }).end();
    });
    const connection = createConnection({ userAgent: 'acrx-test' });
    try {
      const { transport } = connection.withAuth(registry.origin, async () => ({ kind: 'basic', username: 'u', password: 'p' }));
      expect((await readAll(clientOf(registry, transport))).bytes.equals(CONTENT)).toBe(true);
      expect(registry.requests.at(-1)?.headers.authorization).toMatch(/^Basic /);
      expect(storage.requests.map((r) => r.headers.authorization)).toEqual([undefined]);
    } finally {
      await connection.close();
    }
  });
});
