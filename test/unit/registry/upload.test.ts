// Blob uploads against a loopback registry that keeps sessions in memory the way the spec describes
// (Location per answer, Range, 416 out of order), scripted to fail in ways the real registry cannot be
// made to: a 5xx midway through a chunk, a session it can resume or cannot, a refusal, another origin.
import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { AuthError, ExitCode, RefusedError, RegistryError } from '../../../src/errors.js';
import { bytesBlobSource } from '../../../src/registry/blob-source.js';
import { RegistryClient } from '../../../src/registry/client.js';
import { createAuth } from '../../../src/transport/auth.js';
import type { HttpResponse, Transport } from '../../../src/transport/types.js';
import { sendJson, type RecordedRequest, type TestServer } from '../../support/http-server.js';
import { baseTransport, serversStoppedAfterEach } from '../../support/transport.js';

const { serve } = serversStoppedAfterEach();
const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Answers a request itself (true) or leaves it to the fake registry (false). */
type Script = (request: RecordedRequest, response: ServerResponse, registry: FakeRegistry) => boolean;

interface FakeRegistry {
  server: TestServer;
  blobs: Map<string, Buffer>;
  sessions: Map<string, Buffer>;
  /** Opens a session as a POST would; answers its Location path. */
  openSession(): string;
  /** Method and path (query left out) of every request, with Content-Range where sent. */
  log(): string[];
}

async function fakeRegistry(options: { minChunk?: number; script?: Script } = {}): Promise<FakeRegistry> {
  let nextSession = 0;
  const state = new Map<string, number>();
  const blobs = new Map<string, Buffer>();
  const sessions = new Map<string, Buffer>();
  const open = (): string => {
    const id = `s${++nextSession}`;
    sessions.set(id, Buffer.alloc(0));
    return id;
  };
  const sessionAnswer = (res: ServerResponse, status: number, id: string) => {
    const next = (state.get(id) ?? 0) + 1;
    state.set(id, next);
    const length = sessions.get(id)?.length ?? 0;
    res.writeHead(status, {
      location: `/v2/app/blobs/uploads/${id}?state=${next}`,
      range: `0-${Math.max(0, length - 1)}`,
      'content-length': 0,
      ...(options.minChunk ? { 'oci-chunk-min-length': String(options.minChunk) } : {}),
    });
    res.end();
  };
  const server = await serve((req, res) => {
    if (options.script?.(req, res, registry)) return;
    const url = new URL(req.url, 'http://registry.invalid');
    const blob = /^\/v2\/app\/blobs\/(sha256:[0-9a-f]{64})$/.exec(url.pathname)?.[1];
    if (blob && req.method === 'HEAD') {
      const stored = blobs.get(blob);
      res.writeHead(stored ? 200 : 404, stored ? { 'content-length': stored.length } : {}).end();
      return;
    }
    if (url.pathname === '/v2/app/blobs/uploads/' && req.method === 'POST') return sessionAnswer(res, 202, open());
    const id = /^\/v2\/app\/blobs\/uploads\/(s\d+)$/.exec(url.pathname)?.[1];
    const held = id ? sessions.get(id) : undefined;
    if (!id || !held) return sendJson(res, 404, { errors: [{ code: 'BLOB_UPLOAD_UNKNOWN', message: 'blob upload unknown' }] });
    // Like distribution, each Location holds the session's state: an earlier one is refused.
    if (url.searchParams.get('state') !== String(state.get(id))) return sendJson(res, 400, { errors: [{ code: 'BLOB_UPLOAD_INVALID', message: 'stale location' }] });
    if (req.method === 'GET') return sessionAnswer(res, 204, id);
    if (req.method === 'DELETE') {
      sessions.delete(id);
      return res.writeHead(204).end();
    }
    const range = /^(\d+)-(\d+)$/.exec(String(req.headers['content-range'] ?? ''));
    if (range && Number(range[1]) !== held.length) return sendJson(res, 416, { errors: [{ code: 'BLOB_UPLOAD_INVALID', message: 'out of order' }] });
    const whole = Buffer.concat([held, req.bytes]);
    sessions.set(id, whole);
    if (req.method === 'PATCH') return sessionAnswer(res, 202, id);
    const digest = url.searchParams.get('digest') ?? '';
    if (sha256(whole) !== digest) return sendJson(res, 400, { errors: [{ code: 'DIGEST_INVALID', message: 'provided digest did not match uploaded content' }] });
    blobs.set(digest, whole);
    sessions.delete(id);
    res.writeHead(201, { location: `/v2/app/blobs/${digest}`, 'docker-content-digest': digest, 'content-length': 0 }).end();
  });
  const registry: FakeRegistry = {
    server,
    blobs,
    sessions,
    openSession: () => {
      const id = open();
      state.set(id, 1);
      return `/v2/app/blobs/uploads/${id}?state=1`;
    },
    log: () => server.requests.map((r) => `${r.method} ${r.url.split('?')[0]}${r.headers['content-range'] ? ` ${String(r.headers['content-range'])}` : ''}`),
  };
  return registry;
}

function clientOf(server: TestServer, transport: Transport = baseTransport): RegistryClient {
  return new RegistryClient({ loginServer: server.origin.host, protocol: 'http:', plainHttpFallback: false, acrApi: false }, transport, { concurrency: 2 });
}

const CONTENT = randomBytes(250_000);
const SOURCE = bytesBlobSource(CONTENT, 'application/octet-stream');
const SMALL = { monolithicLimit: 10_000, chunkSize: 40_000 };

describe('pushing a blob', () => {
  it('sends a small blob in one PUT with the digest', async () => {
    const registry = await fakeRegistry();
    const sent: number[] = [];
    expect(await clientOf(registry.server).pushBlob('app', SOURCE, { onProgress: (bytes) => sent.push(bytes) })).toBe('uploaded');
    expect(registry.log()).toEqual(['HEAD /v2/app/blobs/' + SOURCE.digest, 'POST /v2/app/blobs/uploads/', 'PUT /v2/app/blobs/uploads/s1']);
    expect(registry.server.requests[2]?.url).toContain(`digest=${encodeURIComponent(SOURCE.digest)}`);
    expect(registry.blobs.get(SOURCE.digest)?.equals(CONTENT)).toBe(true);
    expect(sent.at(-1)).toBe(CONTENT.length);
  });

  it('sends nothing for a blob the repository has', async () => {
    const registry = await fakeRegistry();
    registry.blobs.set(SOURCE.digest, CONTENT);
    expect(await clientOf(registry.server).pushBlob('app', SOURCE)).toBe('exists');
    expect(registry.log()).toEqual(['HEAD /v2/app/blobs/' + SOURCE.digest]);
  });

  it('sends a large blob in PATCH chunks no smaller than OCI-Chunk-Min-Length, each to the Location the last answer gave', async () => {
    const registry = await fakeRegistry({ minChunk: 100_000 });
    const sent: number[] = [];
    expect(await clientOf(registry.server).pushBlob('app', SOURCE, { ...SMALL, onProgress: (bytes) => sent.push(bytes) })).toBe('uploaded');
    expect(registry.log().slice(1)).toEqual([
      'POST /v2/app/blobs/uploads/',
      'PATCH /v2/app/blobs/uploads/s1 0-99999',
      'PATCH /v2/app/blobs/uploads/s1 100000-199999',
      'PATCH /v2/app/blobs/uploads/s1 200000-249999',
      'PUT /v2/app/blobs/uploads/s1',
    ]);
    const patches = registry.server.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => [r.headers['content-type'], r.headers['content-length']])).toEqual([
      ['application/octet-stream', '100000'],
      ['application/octet-stream', '100000'],
      ['application/octet-stream', '50000'],
    ]);
    // The spec asks for an explicit empty body on the POST that opens a chunked upload.
    expect(registry.server.requests[1]?.headers['content-length']).toBe('0');
    expect(registry.server.requests.at(-1)?.bytes.length).toBe(0);
    expect(registry.blobs.get(SOURCE.digest)?.equals(CONTENT)).toBe(true);
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
    expect(sent.at(-1)).toBe(CONTENT.length);
  });

  it('resumes from the Range the registry reports when a chunk fails midway with a 500', async () => {
    let failed = false;
    const registry = await fakeRegistry({
      script: (req, res, self) => {
        if (req.method !== 'PATCH' || failed || !String(req.headers['content-range']).startsWith('40000-')) return false;
        failed = true;
        // Half the chunk reached storage before the registry failed.
        self.sessions.set('s1', Buffer.concat([self.sessions.get('s1') ?? Buffer.alloc(0), req.bytes.subarray(0, 15_000)]));
        sendJson(res, 500, { errors: [{ code: 'UNKNOWN', message: 'storage hiccup' }] });
        return true;
      },
    });
    expect(await clientOf(registry.server).pushBlob('app', SOURCE, SMALL)).toBe('uploaded');
    expect(registry.log().slice(1, 6)).toEqual([
      'POST /v2/app/blobs/uploads/',
      'PATCH /v2/app/blobs/uploads/s1 0-39999',
      'PATCH /v2/app/blobs/uploads/s1 40000-79999',
      'GET /v2/app/blobs/uploads/s1',
      'PATCH /v2/app/blobs/uploads/s1 55000-94999',
    ]);
    expect(registry.blobs.get(SOURCE.digest)?.equals(CONTENT)).toBe(true);
  });

  it('starts over in a new session when the registry cannot say how far the failed one got', async () => {
    let failed = false;
    const registry = await fakeRegistry({
      script: (req, res) => {
        if (req.method === 'GET') {
          sendJson(res, 400, { errors: [{ code: 'BLOB_UPLOAD_INVALID', message: 'upload resumed at wrong offset' }] });
          return true;
        }
        if (req.method !== 'PATCH' || failed || !String(req.headers['content-range']).startsWith('40000-')) return false;
        failed = true;
        res.socket?.destroy();
        return true;
      },
    });
    expect(await clientOf(registry.server).pushBlob('app', SOURCE, SMALL)).toBe('uploaded');
    expect(registry.log().slice(3, 7)).toEqual([
      'PATCH /v2/app/blobs/uploads/s1 40000-79999',
      'GET /v2/app/blobs/uploads/s1',
      'POST /v2/app/blobs/uploads/',
      'PATCH /v2/app/blobs/uploads/s2 0-39999',
    ]);
    expect(registry.blobs.get(SOURCE.digest)?.equals(CONTENT)).toBe(true);
  });

  it('starts over in a new session when the registry lost the one it was sending to', async () => {
    const registry = await fakeRegistry({
      script: (req, res, self) => {
        if (req.method !== 'PATCH' || !self.sessions.has('s1')) return false;
        self.sessions.delete('s1');
        sendJson(res, 404, { errors: [{ code: 'BLOB_UPLOAD_UNKNOWN', message: 'blob upload unknown to registry' }] });
        return true;
      },
    });
    expect(await clientOf(registry.server).pushBlob('app', SOURCE, SMALL)).toBe('uploaded');
    expect(registry.log().slice(2, 5)).toEqual(['PATCH /v2/app/blobs/uploads/s1 0-39999', 'GET /v2/app/blobs/uploads/s1', 'POST /v2/app/blobs/uploads/']);
    expect(registry.blobs.get(SOURCE.digest)?.equals(CONTENT)).toBe(true);
  });

  it('gives up after three recoveries with the registry’s last answer, and cancels the session', async () => {
    const registry = await fakeRegistry({
      script: (req, res) => {
        if (req.method !== 'PATCH') return false;
        sendJson(res, 503, { errors: [{ code: 'UNAVAILABLE', message: 'try later' }] }, { 'retry-after': '0' });
        return true;
      },
    });
    const push = clientOf(registry.server).pushBlob('app', SOURCE, SMALL);
    await expect(push).rejects.toThrow(RegistryError);
    await expect(push).rejects.toThrow(/HTTP 503.*try later/);
    expect(registry.log().filter((line) => line.startsWith('PATCH'))).toHaveLength(4);
    expect(registry.log().at(-1)).toBe('DELETE /v2/app/blobs/uploads/s1');
  });

  it.each([
    [413, 'SIZE_INVALID', 'blob exceeds the 100 MB quota'],
    [415, 'UNSUPPORTED', 'media type not allowed here'],
    [400, 'BLOB_UPLOAD_INVALID', 'blob upload invalid'],
    [404, 'BLOB_UPLOAD_INVALID', 'blob upload invalid'],
    [403, 'DENIED', 'requested access to the resource is denied'],
  ])('reports a refusal (HTTP %i %s) as exit 5 with the registry’s message, and cancels the session', async (status, code, message) => {
    const registry = await fakeRegistry({
      script: (req, res) => {
        if (req.method !== 'PUT') return false;
        sendJson(res, status, { errors: [{ code, message }] });
        return true;
      },
    });
    const push = clientOf(registry.server).pushBlob('app', SOURCE);
    await expect(push).rejects.toBeInstanceOf(RefusedError);
    await expect(push).rejects.toMatchObject({ exitCode: ExitCode.refused, message: expect.stringContaining(`${code}: ${message}`) });
    expect(registry.log().at(-1)).toBe('DELETE /v2/app/blobs/uploads/s1');
  });

  it('names a registry that stores the blob under another digest', async () => {
    const registry = await fakeRegistry({
      script: (req, res) => {
        if (req.method !== 'PUT') return false;
        res.writeHead(201, { 'docker-content-digest': sha256(Buffer.from('other')) }).end();
        return true;
      },
    });
    await expect(clientOf(registry.server).pushBlob('app', SOURCE)).rejects.toThrow(/stored blob 'app@sha256:[0-9a-f]+' under the digest/);
  });

  it('sends the upload to a Location on another origin without credentials', async () => {
    const storage = await fakeRegistry();
    const registry = await fakeRegistry({
      script: (req, res) => {
        if (!req.headers.authorization) {
          res.writeHead(401, { 'www-authenticate': 'Basic realm="test"' }).end();
          return true;
        }
        if (req.method !== 'POST') return false;
        res.writeHead(202, { location: `${storage.server.url}${storage.openSession()}` }).end();
        return true;
      },
    });
    const { transport } = createAuth(baseTransport, { registry: registry.server.origin, credentials: async () => ({ kind: 'basic', username: 'u', password: 'p' }) });
    expect(await clientOf(registry.server, transport).pushBlob('app', SOURCE)).toBe('uploaded');
    expect(registry.server.requests.filter((r) => r.method === 'POST').map((r) => r.headers.authorization)).toEqual([expect.stringMatching(/^Basic /)]);
    expect(storage.server.requests.map((r) => [r.method, r.headers.authorization])).toEqual([['PUT', undefined]]);
    expect(storage.blobs.get(SOURCE.digest)?.equals(CONTENT)).toBe(true);
  });

  it('refuses a Location that leads from HTTPS to plain HTTP', async () => {
    const answers: Record<string, Partial<HttpResponse>> = {
      HEAD: { status: 404 },
      POST: { status: 202, headers: { location: 'http://storage.example/upload?sig=1' } },
    };
    const fake: Transport = async (request) => ({
      url: request.url,
      headers: {},
      bytes: async () => Buffer.alloc(0),
      text: async () => '',
      json: async () => ({}),
      excerpt: async () => Buffer.alloc(0),
      stream: () => {
        throw new Error('not read');
      },
      discard: async () => undefined,
      status: 500,
      ...answers[request.method],
    });
    const client = new RegistryClient({ loginServer: 'registry.example', protocol: 'https:', plainHttpFallback: false, acrApi: false }, fake);
    await expect(client.pushBlob('app', SOURCE)).rejects.toThrow(/non-HTTPS URL \(http:\/\/storage\.example\); refusing/);
  });

  it('asks to mount with a token for both repositories, and continues the session a 202 opens', async () => {
    const registry = await fakeRegistry({
      script: (req, res, self) => {
        if (req.method !== 'POST' || !req.url.includes('mount=')) return false;
        res.writeHead(202, { location: self.openSession() }).end();
        return true;
      },
    });
    const scopes: string[][] = [];
    const recording: Transport = (request) => {
      scopes.push(request.scopes ?? []);
      return baseTransport(request);
    };
    expect(await clientOf(registry.server, recording).pushBlob('app', SOURCE, { mountFrom: 'team/base' })).toBe('uploaded');
    expect(registry.server.requests[1]?.url).toBe(`/v2/app/blobs/uploads/?mount=${encodeURIComponent(SOURCE.digest)}&from=team%2Fbase`);
    expect(scopes[1]).toEqual(['repository:app:pull,push', 'repository:team/base:pull']);
    expect(registry.log().slice(2)).toEqual(['PUT /v2/app/blobs/uploads/s1']);
    expect(registry.blobs.get(SOURCE.digest)?.equals(CONTENT)).toBe(true);
  });

  it('uploads as usual when the token service will not let it read the repository to mount from', async () => {
    const registry = await fakeRegistry();
    const refusing: Transport = (request) =>
      request.url.searchParams.has('mount') ? Promise.reject(new AuthError('rejected the credentials')) : baseTransport(request);
    expect(await clientOf(registry.server, refusing).pushBlob('app', SOURCE, { mountFrom: 'secret' })).toBe('uploaded');
    expect(registry.blobs.get(SOURCE.digest)?.equals(CONTENT)).toBe(true);
  });
});
