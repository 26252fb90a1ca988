// Blobs and manifests pushed and pulled through the registry client against the real distribution 2.8
// registry (a throw-away one: these tests corrupt its storage), checked with plain HTTP and skopeo.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, open, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode, RefusedError, RegistryError } from '../../src/errors.js';
import { BlobMismatchError } from '../../src/errors.js';
import { bytesBlobSource, fileBlobSource, type BlobSource } from '../../src/registry/blob-source.js';
import { RegistryClient } from '../../src/registry/client.js';
import { createConnection, type Connection } from '../../src/transport/index.js';
import { startCuttingProxy, type CuttingProxy } from '../support/cutting-proxy.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { EMPTY_DESCRIPTOR, MediaType } from '../support/seed.js';
import { missingToolMessage, requireBinary } from '../support/tools.js';

const missing = (['docker-registry', 'skopeo'] as const).filter((tool) => !requireBinary(tool));
if (missing.length > 0 && process.env.CI === 'true') throw new Error(missing.map(missingToolMessage).join('\n'));

const MiB = 1024 * 1024;
const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe.skipIf(missing.length > 0)('blobs and manifests on distribution 2.8', () => {
  let registry: RunningRegistry;
  let proxy: CuttingProxy;
  const connections: Connection[] = [];
  let scratch: string;
  const trace: string[] = [];

  /** A client of `host` (the registry, or the proxy in front of it), tracing into `trace`. */
  function clientOf(host: string): RegistryClient {
    const connection = createConnection({ userAgent: 'acrx-test', trace: (line) => trace.push(line) });
    connections.push(connection);
    const { transport } = connection.withAuth(new URL(`http://${host}`), async () => undefined);
    return new RegistryClient({ loginServer: host, protocol: 'http:', plainHttpFallback: false, acrApi: false }, transport, { concurrency: 4 });
  }
  let client: RegistryClient;

  /** "METHOD /v2/..." of the requests traced from `mark` on (queries left out). */
  const sentSince = (mark: number) =>
    trace
      .slice(mark)
      .flatMap((line) => /^> (\w+) http:\/\/[^/]+(\/[^?]*)/.exec(line) ?? [])
      .filter((_, index) => index % 3 === 0)
      .map((line) => line.replace(/^> (\w+) http:\/\/[^/]+(\/[^?]*).*$/, '$1 $2'));

  /** The blob as plain HTTP reads it from the registry: an independent check of what was stored. */
  async function stored(repository: string, digest: string): Promise<Buffer> {
    const answer = await request(`${registry.url}/v2/${repository}/blobs/${digest}`);
    expect(answer.statusCode).toBe(200);
    return Buffer.from(await answer.body.arrayBuffer());
  }

  async function fileOf(name: string, content: Buffer): Promise<string> {
    const file = path.join(scratch, name);
    await writeFile(file, content);
    return file;
  }

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startCuttingProxy(registry.url);
    scratch = await mkdtemp(path.join(os.tmpdir(), 'acrx-blobs-'));
    client = clientOf(registry.host);
  });

  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.close()));
    await proxy?.stop();
    await registry?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('pushes a small blob in one PUT and a larger one in PATCH chunks, both stored byte for byte', async () => {
    const small = randomBytes(50_000);
    let mark = trace.length;
    expect(await client.pushBlob('mono', bytesBlobSource(small, 'application/octet-stream'))).toBe('uploaded');
    expect(sentSince(mark)).toEqual([`HEAD /v2/mono/blobs/${sha256(small)}`, 'POST /v2/mono/blobs/uploads/', expect.stringMatching(/^PUT \/v2\/mono\/blobs\/uploads\/[0-9a-f-]+$/)]);
    expect((await stored('mono', sha256(small))).equals(small)).toBe(true);

    const large = randomBytes(MiB + 3);
    const source = await fileBlobSource(await fileOf('large.bin', large), 'application/octet-stream');
    const progress: number[] = [];
    mark = trace.length;
    expect(await client.pushBlob('chunked', source, { monolithicLimit: 256 * 1024, chunkSize: 256 * 1024, onProgress: (sent) => progress.push(sent) })).toBe('uploaded');
    const sent = sentSince(mark);
    expect(sent.filter((line) => line.startsWith('PATCH'))).toHaveLength(5);
    expect(sent.at(-1)).toMatch(/^PUT /);
    expect(progress.at(-1)).toBe(large.length);
    expect((await stored('chunked', source.digest)).equals(large)).toBe(true);
  });

  it('sends nothing for a blob the repository has, mounts one another repository has, and uploads when the mount cannot be done', async () => {
    const content = randomBytes(20_000);
    const source = bytesBlobSource(content, 'application/octet-stream');
    expect(await client.pushBlob('mount-src', source)).toBe('uploaded');
    let mark = trace.length;
    expect(await client.pushBlob('mount-src', source)).toBe('exists');
    expect(sentSince(mark)).toEqual([`HEAD /v2/mount-src/blobs/${source.digest}`]);

    mark = trace.length;
    expect(await client.pushBlob('mount-dst', source, { mountFrom: 'mount-src' })).toBe('mounted');
    expect(sentSince(mark)).toEqual([`HEAD /v2/mount-dst/blobs/${source.digest}`, 'POST /v2/mount-dst/blobs/uploads/']);
    expect((await stored('mount-dst', source.digest)).equals(content)).toBe(true);

    // distribution answers a mount from a repository without the blob with 202 and a fresh session.
    mark = trace.length;
    expect(await client.pushBlob('mount-other', source, { mountFrom: 'nowhere' })).toBe('uploaded');
    expect(sentSince(mark)).toEqual([`HEAD /v2/mount-other/blobs/${source.digest}`, 'POST /v2/mount-other/blobs/uploads/', expect.stringMatching(/^PUT /)]);
    expect((await stored('mount-other', source.digest)).equals(content)).toBe(true);
  });

  it('pushes a manifest under a tag and by digest, answering its digest; distribution 2.8 sends no OCI-Subject', async () => {
    const layer = bytesBlobSource(Buffer.from('artifact content\n'), 'application/vnd.example.data');
    await client.pushBlob('manifests', bytesBlobSource(Buffer.from('{}'), MediaType.ociEmpty));
    await client.pushBlob('manifests', layer);
    const subject = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, artifactType: 'application/vnd.example', config: EMPTY_DESCRIPTOR, layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }] }));
    const pushed = await client.pushManifest('manifests', 'v1', { bytes: subject, mediaType: MediaType.ociManifest });
    expect(pushed).toEqual({ digest: sha256(subject), mediaType: MediaType.ociManifest, size: subject.length });

    const referrer = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, artifactType: 'application/vnd.example.sig', config: EMPTY_DESCRIPTOR, layers: [EMPTY_DESCRIPTOR], subject: { mediaType: MediaType.ociManifest, digest: pushed.digest, size: pushed.size } }));
    const attached = await client.pushManifest('manifests', sha256(referrer), { bytes: referrer, mediaType: MediaType.ociManifest });
    // No OCI-Subject: the client must keep the referrers tag index itself on this registry.
    expect(attached).toEqual({ digest: sha256(referrer), mediaType: MediaType.ociManifest, size: referrer.length });
    expect((await client.fetchManifest({ repository: 'manifests', digest: attached.digest })).bytes.equals(referrer)).toBe(true);
  });

  it('reads a manifest’s ETag; distribution 2.8 ignores If-Match and overwrites anyway', async () => {
    const first = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] }));
    const second = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [], annotations: { n: '2' } }));
    await client.pushManifest('etags', 'index', { bytes: first, mediaType: MediaType.ociIndex });
    const read = await client.fetchManifest({ repository: 'etags', tag: 'index' });
    expect(read.etag).toBe(`"${sha256(first)}"`);
    const stale = `"sha256:${'0'.repeat(64)}"`;
    await expect(client.pushManifest('etags', 'index', { bytes: second, mediaType: MediaType.ociIndex }, { ifMatch: stale })).resolves.toMatchObject({ digest: sha256(second) });
    expect((await client.fetchManifest({ repository: 'etags', tag: 'index' })).descriptor.digest).toBe(sha256(second));
  });

  it('reports the registry’s refusals: a manifest naming a missing blob is exit 5 with its message, bytes that are not the digest exit 1', async () => {
    const absent = { mediaType: 'application/vnd.example.data', digest: `sha256:${'9'.repeat(64)}`, size: 9 };
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: EMPTY_DESCRIPTOR, layers: [absent] }));
    const refused = client.pushManifest('refusals', 'v1', { bytes: manifest, mediaType: MediaType.ociManifest });
    await expect(refused).rejects.toBeInstanceOf(RefusedError);
    await expect(refused).rejects.toMatchObject({ exitCode: ExitCode.refused, message: expect.stringMatching(/refused to store manifest 'refusals:v1' \(HTTP 400: MANIFEST_BLOB_UNKNOWN: blob unknown to registry/) });

    const lying: BlobSource = { ...bytesBlobSource(Buffer.from('these bytes'), 'text/plain'), digest: sha256(Buffer.from('other bytes')) };
    const mislabelled = client.pushBlob('refusals', lying);
    await expect(mislabelled).rejects.toThrow(RegistryError);
    await expect(mislabelled).rejects.toMatchObject({ exitCode: ExitCode.error, message: expect.stringContaining('DIGEST_INVALID') });
  });

  it('pulls a blob verified while it streams, and fails naming it once its bytes in storage are corrupted', async () => {
    const content = randomBytes(3 * MiB);
    const source = bytesBlobSource(content, 'application/octet-stream');
    await client.pushBlob('pull', source);
    const target = path.join(scratch, 'pulled.bin');
    let received = 0;
    await pipeline(await client.fetchBlob('pull', source, { onProgress: (count) => (received = count) }), createWriteStream(target));
    expect((await readFile(target)).equals(content)).toBe(true);
    expect(received).toBe(content.length);

    const data = path.join(registry.storageDir, 'docker/registry/v2/blobs/sha256', source.digest.slice(7, 9), source.digest.slice(7), 'data');
    expect(existsSync(data)).toBe(true);
    const handle = await open(data, 'r+');
    await handle.write(Buffer.from('corrupt'), 0, 7, 2 * MiB);
    await handle.close();
    const reading = pipeline(await client.fetchBlob('pull', source), createWriteStream(path.join(scratch, 'corrupt.bin')));
    await expect(reading).rejects.toBeInstanceOf(BlobMismatchError);
    await expect(reading).rejects.toThrow(`blob ${source.digest} of 'pull' failed verification: the bytes that arrived hash to sha256:`);
  });

  it('starts an upload over when distribution 2.8 cannot resume it after a connection cut midway through a chunk', async () => {
    const content = randomBytes(MiB);
    const source = await fileBlobSource(await fileOf('cut.bin', content), 'application/octet-stream');
    proxy.cutNext((req) => req.method === 'PATCH' && String(req.headers['content-range']).startsWith(`${256 * 1024}-`), 50_000);
    const first = proxy.log.length;
    expect(await clientOf(proxy.host).pushBlob('cut', source, { monolithicLimit: 256 * 1024, chunkSize: 256 * 1024 })).toBe('uploaded');
    const log = proxy.log.slice(first).map((line) => line.replace(/uploads\/[0-9a-f-]+/, 'uploads/ID'));
    expect(log.slice(0, 7)).toEqual([
      `HEAD /v2/cut/blobs/${source.digest} 404`,
      'POST /v2/cut/blobs/uploads/ 202',
      'PATCH /v2/cut/blobs/uploads/ID 202',
      'PATCH /v2/cut/blobs/uploads/ID cut',
      // The session's signed state still says 256 KiB, its file holds 50,000 bytes more: 2.8 cancels
      // the session and answers 404 BLOB_UPLOAD_INVALID, so the upload starts over.
      'GET /v2/cut/blobs/uploads/ID 404',
      'POST /v2/cut/blobs/uploads/ 202',
      'PATCH /v2/cut/blobs/uploads/ID 202',
    ]);
    expect(log.at(-1)).toBe('PUT /v2/cut/blobs/uploads/ID 201');
    expect((await stored('cut', source.digest)).equals(content)).toBe(true);
  });

  it('reads back with skopeo what it pushed: the manifest byte for byte, every blob in an OCI layout copy', async () => {
    const config = bytesBlobSource(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } })), MediaType.ociConfig);
    const layer = await fileBlobSource(await fileOf('layer.bin', randomBytes(600_000)), 'application/vnd.example.data');
    for (const blob of [config, layer]) await client.pushBlob('skopeo', blob, { monolithicLimit: 100_000, chunkSize: 128 * 1024 });
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: { mediaType: config.mediaType, digest: config.digest, size: config.size }, layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }] }));
    await client.pushManifest('skopeo', 'v1', { bytes: manifest, mediaType: MediaType.ociManifest });

    expect(execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/skopeo:v1`]).equals(manifest)).toBe(true);
    const layout = path.join(scratch, 'layout');
    execFileSync('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${registry.host}/skopeo:v1`, `oci:${layout}:v1`]);
    for (const blob of [config, layer]) {
      const copied = readFileSync(path.join(layout, 'blobs/sha256', blob.digest.slice(7)));
      expect(sha256(copied)).toBe(blob.digest);
    }
  });

  it('hashes, uploads and pulls back a 1 GiB file with flat memory', async () => {
    const file = path.join(scratch, 'sparse-1g.bin');
    const handle = await open(file, 'w');
    await handle.truncate(1024 * MiB);
    await handle.close();

    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      const source = await fileBlobSource(file, 'application/octet-stream');
      expect(await client.pushBlob('big', source)).toBe('uploaded');
      let received = 0;
      await pipeline(
        await client.fetchBlob('big', source),
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            received += chunk.length;
            done();
          },
        }),
      );
      expect(received).toBe(1024 * MiB);
    } finally {
      clearInterval(sampler);
    }
    expect(peak - baseline).toBeLessThan(100 * MiB);
  }, 120_000);
});
