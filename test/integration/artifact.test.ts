// acrx artifact push, pull, attach and discover against the real distribution 2.8 registry (a
// throw-away one: these tests corrupt its storage), checked with independent readers: skopeo, plain
// HTTP, and a tar reader of this file's own. Third-party artifacts are written through the raw
// registry API or by skopeo; hostile ones are crafted here, byte by byte.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer, request as forward } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAzJson, runCli, type CliResult } from '../support/cli.js';
import { close, listen } from '../support/listen.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { EMPTY_DESCRIPTOR, fetchReferrersIndex, MediaType, pushBlob, pushManifest, referrersTag, type Descriptor } from '../support/seed.js';
import { missingToolMessage, requireBinary } from '../support/tools.js';

const missing = (['docker-registry', 'skopeo'] as const).filter((tool) => !requireBinary(tool));
if (missing.length > 0 && process.env.CI === 'true') throw new Error(missing.map(missingToolMessage).join('\n'));

const sha256 = (bytes: Uint8Array | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

const TITLE = 'org.opencontainers.image.title';
const CREATED = 'org.opencontainers.image.created';
const UNPACK = 'io.deis.oras.content.unpack';
const CONTENT_DIGEST = 'io.deis.oras.content.digest';
/** What oras (and acrx) name a file pushed without a media type, and a pushed directory. */
const FILE_LAYER = 'application/vnd.oci.image.layer.v1.tar';
const DIRECTORY_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
const TEST_TYPE = 'application/vnd.acrx.test.v1';
const SIGNATURE = 'application/vnd.acrx.test.signature.v1';
const SBOM = 'application/vnd.acrx.test.sbom.v1+json';
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const ACCEPT_MANIFESTS = [MediaType.ociManifest, MediaType.ociIndex, MediaType.dockerManifest].join(', ');

interface Manifest {
  schemaVersion: number;
  mediaType: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

interface Pushed {
  digest: string;
  mediaType: string;
  artifactType?: string;
  size: number;
  reference: string;
  subject?: string;
}

interface PulledFile {
  path: string;
  digest: string;
  size: number;
  mediaType: string;
  outcome: 'written' | 'unpacked' | 'kept';
}

interface Pulled {
  reference: string;
  digest: string;
  artifactType?: string;
  files: PulledFile[];
}

interface ReferrerNode {
  reference: string;
  digest: string;
  mediaType: string;
  size: number;
  artifactType?: string;
  manifests: ReferrerNode[];
}

// --- Reading the file system ----------------------------------------------------------------------

/** Every entry under `root` (relative path → what it is), hidden ones included; {} when `root` is absent. */
function snapshot(root: string): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (directory: string, prefix: string): void => {
    for (const name of readdirSync(directory).sort()) {
      const absolute = path.join(directory, name);
      const relative = prefix === '' ? name : `${prefix}/${name}`;
      const stats = lstatSync(absolute);
      if (stats.isSymbolicLink()) {
        found[relative] = `link -> ${readlinkSync(absolute)}`;
      } else if (stats.isDirectory()) {
        found[relative] = 'directory';
        walk(absolute, relative);
      } else {
        found[relative] = `file ${sha256(readFileSync(absolute))}${stats.mode & 0o100 ? ' executable' : ''}`;
      }
    }
  };
  if (existsSync(root)) walk(root, '');
  return found;
}

const entriesUnder = (root: string): string[] => Object.keys(snapshot(root));

// --- tar, written and read here (independently of acrx's own tar code) ------------------------------

interface TarItem {
  name: string;
  type: 'file' | 'directory' | 'symlink';
  content?: Buffer;
  target?: string;
}

/** A plain ustar archive, names exactly as given: what a hostile artifact would hold. */
function ustar(items: readonly TarItem[]): Buffer {
  const blocks: Buffer[] = [];
  for (const item of items) {
    const content = item.type === 'file' ? (item.content ?? Buffer.alloc(0)) : Buffer.alloc(0);
    const header = Buffer.alloc(512);
    const put = (offset: number, length: number, text: string): void => {
      const bytes = Buffer.from(text, 'utf8');
      if (bytes.length > length) throw new Error(`'${text}' does not fit in ${length} bytes of a ustar header`);
      bytes.copy(header, offset);
    };
    put(0, 100, item.name);
    put(100, 8, item.type === 'file' ? '0000644\0' : '0000755\0');
    put(108, 8, '0000000\0');
    put(116, 8, '0000000\0');
    put(124, 12, `${content.length.toString(8).padStart(11, '0')}\0`);
    put(136, 12, '00000000000\0');
    put(148, 8, '        ');
    put(156, 1, { file: '0', directory: '5', symlink: '2' }[item.type]);
    if (item.target !== undefined) put(157, 100, item.target);
    put(257, 8, 'ustar\u000000');
    let checksum = 0;
    for (const byte of header) checksum += byte;
    put(148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(header, content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

interface ReadTarEntry {
  path: string;
  type: string;
  linkpath: string;
  content: Buffer;
}

/** Entries of a tar (ustar with pax extended headers for long or non-ASCII names). */
function readTar(tar: Buffer): ReadTarEntry[] {
  const entries: ReadTarEntry[] = [];
  let pax: Record<string, string> = {};
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number): string => {
      const raw = header.subarray(start, start + length);
      const end = raw.indexOf(0);
      return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
    };
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      let at = 0;
      while (at < body.length) {
        const space = body.indexOf(0x20, at);
        const length = Number.parseInt(body.subarray(at, space).toString('ascii'), 10);
        const record = body.subarray(space + 1, at + length - 1).toString('utf8');
        const equals = record.indexOf('=');
        pax[record.slice(0, equals)] = record.slice(equals + 1);
        at += length;
      }
      continue;
    }
    const prefix = field(345, 155);
    const name = field(0, 100);
    entries.push({ path: pax.path ?? (prefix ? `${prefix}/${name}` : name), type, linkpath: pax.linkpath ?? field(157, 100), content: Buffer.from(body) });
    pax = {};
  }
  return entries;
}

/** The tree a tar describes, in `snapshot`'s terms, below `root/`. */
function tarSnapshot(entries: readonly ReadTarEntry[], root: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const entry of entries) {
    const relative = entry.path.replace(/\/$/, '');
    expect(relative === root || relative.startsWith(`${root}/`), `tar entry ${entry.path} lies under ${root}/`).toBe(true);
    if (relative === root) continue;
    const name = relative.slice(root.length + 1);
    if (entry.type === '5') found[name] = 'directory';
    else if (entry.type === '2') found[name] = `link -> ${entry.linkpath}`;
    else found[name] = `file ${sha256(entry.content)}`;
  }
  return found;
}

/** `snapshot` without the executable marks, which a tar entry's mode is not compared by here. */
const withoutModes = (tree: Record<string, string>) => Object.fromEntries(Object.entries(tree).map(([name, kind]) => [name, kind.replace(/ executable$/, '')]));

// --- the other clients ------------------------------------------------------------------------------

function skopeo(...args: string[]): Buffer {
  return execFileSync('skopeo', args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

// --- a proxy that makes two writers of a referrers tag index interleave -----------------------------

interface InterleavingProxy {
  host: string;
  /** "METHOD /path STATUS" of the requests to a referrers tag, in the order they were answered. */
  log: string[];
  stop(): Promise<void>;
}

/** A promise resolved by `open()`, or by itself after `ms` so a writer that never comes cannot hang the test. */
function gate(ms: number): { passed: Promise<void>; open(): void } {
  let open = (): void => undefined;
  const passed = new Promise<void>((resolve) => {
    open = resolve;
    setTimeout(resolve, ms).unref();
  });
  return { passed, open };
}

/**
 * Forwards everything to `target`, holding requests to a referrers tag (`/manifests/sha256-…`) so
 * that: the first two reads are answered together, after both arrived; the second write goes on only
 * once a read that began after the first write was answered (the first writer's check). A client that
 * never has two writers in flight only waits out the gates' timeouts.
 */
async function startInterleavingProxy(target: string): Promise<InterleavingProxy> {
  const log: string[] = [];
  const bothRead = gate(1_000);
  const firstChecked = gate(1_000);
  let reads = 0;
  let writes = 0;
  let firstWritten = false;
  const server = createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    const indexTag = /\/manifests\/sha256-[0-9a-f]{64}$/.test(pathname);
    const line = `${req.method} ${pathname}`;
    const send = (after?: () => void): void => {
      const upstream = forward(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
        if (indexTag) log.push(`${line} ${answer.statusCode}`);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', () => after?.());
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (!indexTag) return void send();
    if (req.method === 'GET' || req.method === 'HEAD') {
      reads += 1;
      const read = reads;
      const checksFirstWrite = firstWritten;
      if (read === 2) bothRead.open();
      const go = () => send(checksFirstWrite ? () => firstChecked.open() : undefined);
      if (read <= 2) return void bothRead.passed.then(go);
      return void go();
    }
    if (req.method === 'PUT') {
      writes += 1;
      if (writes === 1) return void send(() => (firstWritten = true));
      if (writes === 2) return void firstChecked.passed.then(() => send());
    }
    send();
  });
  const port = await listen(server);
  return { host: `127.0.0.1:${port}`, log, stop: () => close(server) };
}

describe.skipIf(missing.length > 0)('acrx artifact on distribution 2.8, read back by skopeo and plain HTTP', () => {
  let registry: RunningRegistry;
  let work: string;

  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });
  beforeEach(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'acrx-artifact-'));
  });
  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  const artifact = (command: 'push' | 'pull' | 'attach' | 'discover', ...args: string[]): Promise<CliResult> =>
    runCli(['artifact', command, '-n', registry.host, ...args]);
  const push = async (reference: string, files: string[], ...flags: string[]): Promise<Pushed> =>
    parseAzJson(await artifact('push', reference, ...files, ...flags)) as Pushed;
  const pull = (reference: string, directory: string, ...flags: string[]): Promise<CliResult> =>
    artifact('pull', reference, '--output-dir', directory, ...flags);
  const attach = async (subject: string, file: string, artifactType: string): Promise<Pushed> =>
    parseAzJson(await artifact('attach', subject, file, '--artifact-type', artifactType)) as Pushed;
  const discover = async (subject: string, ...flags: string[]): Promise<ReferrerNode> => parseAzJson(await artifact('discover', subject, ...flags)) as ReferrerNode;

  const skopeoRaw = (reference: string): Buffer => skopeo('inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/${reference}`);
  const manifestOf = (reference: string): Manifest => JSON.parse(skopeoRaw(reference).toString('utf8')) as Manifest;

  async function http(method: 'GET' | 'HEAD', pathname: string, accept?: string): Promise<{ status: number; digest?: string; body: Buffer }> {
    const answer = await request(`${registry.url}${pathname}`, { method, headers: accept ? { accept } : {} });
    const body = Buffer.from(await answer.body.arrayBuffer());
    const digest = answer.headers['docker-content-digest'];
    return { status: answer.statusCode, ...(typeof digest === 'string' ? { digest } : {}), body };
  }

  /** Every blob digest the registry stores, whatever the repository (manifests are blobs there too). */
  function storedBlobs(): string[] {
    const root = path.join(registry.storageDir, 'docker/registry/v2/blobs/sha256');
    return readdirSync(root)
      .flatMap((prefix) => readdirSync(path.join(root, prefix)).map((hex) => `sha256:${hex}`))
      .sort();
  }

  function file(relative: string, content: Buffer | string): string {
    const absolute = path.join(work, relative);
    mkdirSync(path.dirname(absolute), { recursive: true });
    writeFileSync(absolute, content);
    return absolute;
  }

  /** A directory with nested directories, an empty one, unicode and long names, an empty file, an executable and a link. */
  function tree(relative: string): string {
    const root = path.join(work, relative);
    file(`${relative}/top.txt`, 'at the top\n');
    file(`${relative}/empty.txt`, '');
    file(`${relative}/nested/deeper/data.bin`, randomBytes(300_000));
    file(`${relative}/nested/ünï файл – 名前.txt`, 'unicode inside a directory\n');
    file(`${relative}/nested/${'long-name-'.repeat(12)}.txt`, 'a name longer than ustar holds\n');
    chmodSync(file(`${relative}/run.sh`, '#!/bin/sh\necho run\n'), 0o755);
    mkdirSync(path.join(root, 'empty-subdir'));
    symlinkSync('top.txt', path.join(root, 'link-to-top'));
    return root;
  }

  interface RawLayer {
    bytes: Buffer;
    mediaType: string;
    annotations?: Record<string, string>;
  }

  const titled = (title: string, bytes: Buffer | string, mediaType = FILE_LAYER, annotations: Record<string, string> = {}): RawLayer => ({
    bytes: Buffer.from(bytes),
    mediaType,
    annotations: { [TITLE]: title, ...annotations },
  });

  /** An OCI manifest and its blobs PUT through the registry API, as another client would write them. */
  async function pushRaw(
    repository: string,
    tag: string,
    layers: readonly RawLayer[],
    options: { artifactType?: string; config?: { bytes: Buffer; mediaType: string } } = {},
  ): Promise<{ digest: string; layers: Descriptor[] }> {
    const config = options.config
      ? await pushBlob(registry.url, repository, options.config.bytes, options.config.mediaType)
      : await pushBlob(registry.url, repository, Buffer.from('{}'), MediaType.ociEmpty);
    const descriptors: Descriptor[] = [];
    for (const layer of layers) {
      const descriptor = await pushBlob(registry.url, repository, layer.bytes, layer.mediaType);
      descriptors.push({ ...descriptor, ...(layer.annotations ? { annotations: layer.annotations } : {}) });
    }
    const artifactType = options.config ? options.artifactType : (options.artifactType ?? TEST_TYPE);
    const manifest = { schemaVersion: 2, mediaType: MediaType.ociManifest, ...(artifactType ? { artifactType } : {}), config, layers: descriptors };
    const { digest } = await pushManifest(registry.url, repository, tag, manifest, MediaType.ociManifest);
    return { digest, layers: descriptors };
  }

  describe('push', () => {
    it('pushes files and a directory under two tags as an OCI 1.1 artifact that skopeo reads byte for byte', async () => {
      const text = file('src/a file.txt', 'hello, artifact\n');
      const unicode = file('src/ünïcode – файл.txt', randomBytes(70_000));
      const directory = tree('src/tree');
      const exported = path.join(work, 'exported manifest.json');
      const before = Date.now();
      const pushed = await push('art/demo:t1,t2', [text, unicode, directory], '--artifact-type', TEST_TYPE, '-a', 'foo=bar', '-a', 'org.example.note=a=b c', '--export-manifest', exported);
      const after = Date.now();

      const raw = skopeoRaw('art/demo:t1');
      expect(pushed).toEqual({ digest: sha256(raw), mediaType: MediaType.ociManifest, artifactType: TEST_TYPE, size: raw.length, reference: `${registry.host}/art/demo:t1` });
      expect(readFileSync(exported).equals(raw)).toBe(true);

      const manifest = JSON.parse(raw.toString('utf8')) as Manifest;
      expect(manifest.schemaVersion).toBe(2);
      expect(manifest.mediaType).toBe(MediaType.ociManifest);
      expect(manifest.artifactType).toBe(TEST_TYPE);
      expect(manifest.config).toEqual({ mediaType: 'application/vnd.oci.empty.v1+json', digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', size: 2 });
      expect(manifest.subject).toBeUndefined();
      expect(manifest.layers.map((layer) => layer.annotations?.[TITLE])).toEqual(['a file.txt', 'ünïcode – файл.txt', 'tree']);
      const [textLayer, unicodeLayer, treeLayer] = manifest.layers as [Descriptor, Descriptor, Descriptor];
      expect(textLayer).toEqual({ mediaType: FILE_LAYER, digest: sha256(readFileSync(text)), size: readFileSync(text).length, annotations: { [TITLE]: 'a file.txt' } });
      expect(unicodeLayer).toMatchObject({ digest: sha256(readFileSync(unicode)), size: 70_000 });
      expect(treeLayer).toMatchObject({ mediaType: DIRECTORY_LAYER, annotations: { [TITLE]: 'tree', [UNPACK]: 'true' } });

      const annotations = manifest.annotations ?? {};
      expect(annotations).toMatchObject({ foo: 'bar', 'org.example.note': 'a=b c' });
      expect(annotations[CREATED]).toMatch(RFC3339);
      const created = Date.parse(annotations[CREATED] ?? '');
      // Second precision: the push happened within these bounds.
      expect(created).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(created).toBeLessThanOrEqual(after);

      // Both tags name the same bytes.
      const head = await http('HEAD', '/v2/art/demo/manifests/t2', ACCEPT_MANIFESTS);
      expect(head).toMatchObject({ status: 200, digest: pushed.digest });
      expect(skopeoRaw('art/demo:t2').equals(raw)).toBe(true);
    });

    it('what it pushed, skopeo copies blob for blob into an OCI layout and plain HTTP reads back as the files', async () => {
      const text = file('src/notes.txt', 'some notes\n');
      const binary = file('src/data.bin', randomBytes(400_000));
      const directory = tree('src/tree dir');
      const pushed = await push('art/layout:v1', [text, binary, directory], '--artifact-type', TEST_TYPE);

      const layout = path.join(work, 'layout');
      skopeo('copy', '--quiet', '--src-tls-verify=false', `docker://${registry.host}/art/layout:v1`, `oci:${layout}:v1`);
      const blob = (digest: string) => readFileSync(path.join(layout, 'blobs/sha256', digest.slice('sha256:'.length)));
      const index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
      expect(index.manifests.map((entry) => entry.digest)).toEqual([pushed.digest]);
      const manifest = JSON.parse(blob(pushed.digest).toString('utf8')) as Manifest;
      expect(sha256(blob(pushed.digest))).toBe(pushed.digest);

      for (const descriptor of [manifest.config, ...manifest.layers]) {
        expect(sha256(blob(descriptor.digest)), descriptor.annotations?.[TITLE] ?? 'config').toBe(descriptor.digest);
        expect(blob(descriptor.digest).length).toBe(descriptor.size);
      }
      expect(blob(manifest.config.digest).toString('utf8')).toBe('{}');
      const [textLayer, binaryLayer, treeLayer] = manifest.layers as [Descriptor, Descriptor, Descriptor];
      for (const [layer, source] of [
        [textLayer, text],
        [binaryLayer, binary],
      ] as const) {
        expect(blob(layer.digest).equals(readFileSync(source))).toBe(true);
        const fetched = await http('GET', `/v2/art/layout/blobs/${layer.digest}`);
        expect(fetched.status).toBe(200);
        expect(fetched.body.equals(readFileSync(source))).toBe(true);
      }

      // The directory layer: a tar+gzip whose tar is the annotated content digest and holds the tree.
      const tar = gunzipSync(blob(treeLayer.digest));
      expect(treeLayer.annotations?.[CONTENT_DIGEST]).toBe(sha256(tar));
      expect(tarSnapshot(readTar(tar), 'tree dir')).toEqual(withoutModes(snapshot(directory)));
      const script = readTar(tar).find((entry) => entry.path === 'tree dir/run.sh');
      expect(script?.content.toString('utf8')).toBe('#!/bin/sh\necho run\n');
    });

    it('--image-spec v1.0 carries the artifact type as the config media type and no artifactType', async () => {
      const text = file('src/legacy.txt', 'for an old registry\n');
      const exported = path.join(work, 'manifest.json');
      const pushed = await push('art/legacy:v1', [text], '--artifact-type', TEST_TYPE, '--image-spec', 'v1.0', '--export-manifest', exported);
      const raw = skopeoRaw('art/legacy:v1');
      expect(sha256(raw)).toBe(pushed.digest);
      expect(readFileSync(exported).equals(raw)).toBe(true);
      const manifest = JSON.parse(raw.toString('utf8')) as Manifest;
      expect('artifactType' in manifest).toBe(false);
      expect(manifest.config).toEqual({ mediaType: TEST_TYPE, digest: EMPTY_DESCRIPTOR.digest, size: 2 });
      expect((await http('GET', `/v2/art/legacy/blobs/${EMPTY_DESCRIPTOR.digest}`)).body.toString('utf8')).toBe('{}');

      // Pulled, its type is read from the config.
      const pulled = parseAzJson(await pull('art/legacy:v1', path.join(work, 'out'), '--artifact-type', TEST_TYPE)) as Pulled;
      expect(pulled.artifactType).toBe(TEST_TYPE);
      expect(readFileSync(path.join(work, 'out/legacy.txt')).equals(readFileSync(text))).toBe(true);
    });
  });

  describe('files round trip', () => {
    it('pulls back names with spaces, unicode names, an empty file and a directory tree byte for byte', async () => {
      const source = path.join(work, 'src');
      const inputs = [
        file('src/a file with spaces.txt', 'spaces in the name\n'),
        file('src/ünïcode – файл.txt', randomBytes(50_000)),
        file('src/empty.bin', ''),
        tree('src/tree dir'),
      ];
      const pushed = await push('files/roundtrip:v1', inputs, '--artifact-type', TEST_TYPE);
      const out = path.join(work, 'out');
      const pulled = parseAzJson(await pull('files/roundtrip:v1', out)) as Pulled;
      expect(pulled).toMatchObject({ reference: `${registry.host}/files/roundtrip:v1`, digest: pushed.digest, artifactType: TEST_TYPE });
      expect(pulled.files.map((entry) => [entry.path, entry.outcome])).toEqual([
        ['a file with spaces.txt', 'written'],
        ['ünïcode – файл.txt', 'written'],
        ['empty.bin', 'written'],
        ['tree dir', 'unpacked'],
      ]);
      const layers = manifestOf('files/roundtrip:v1').layers;
      expect(pulled.files.map((entry) => entry.digest)).toEqual(layers.map((layer) => layer.digest));
      // Same names, same bytes, same directories (the empty one too), same link, same executable bit.
      expect(snapshot(out)).toEqual(snapshot(source));
      expect(readFileSync(path.join(out, 'empty.bin')).length).toBe(0);
    });

    it('packs a directory to the same layer whatever its files’ times, and a second push uploads nothing', async () => {
      const directory = tree('src/tree');
      const fixed = ['-a', `${CREATED}=2024-01-01T00:00:00Z`];
      const first = await push('repro/dir:one', [directory], '--artifact-type', TEST_TYPE, ...fixed);
      const layer = manifestOf('repro/dir:one').layers[0] as Descriptor;
      const blobs = storedBlobs();

      const past = new Date('2001-02-03T04:05:06Z');
      for (const name of Object.keys(snapshot(directory))) {
        if (!lstatSync(path.join(directory, name)).isSymbolicLink()) utimesSync(path.join(directory, name), past, past);
      }
      utimesSync(directory, past, past);
      const again = await artifact('push', 'repro/dir:two', directory, '--artifact-type', TEST_TYPE, ...fixed, '--verbose');
      expect(again.code).toBe(0);
      const second = JSON.parse(again.stdout) as Pushed;
      expect(second.digest).toBe(first.digest);
      expect(manifestOf('repro/dir:two').layers[0]?.digest).toBe(layer.digest);
      expect(again.stderr).toMatch(/INFO: exists tree \(/);
      expect(again.stderr).toMatch(/INFO: exists config \(/);
      expect(again.stderr).not.toMatch(/INFO: pushed/);
      expect(storedBlobs()).toEqual(blobs);

      // A copy elsewhere (new inodes, new times) packs to the same bytes too.
      const copy = path.join(work, 'elsewhere/tree');
      cpSync(directory, copy, { recursive: true, verbatimSymlinks: true });
      await push('repro/copy:v1', [copy], '--artifact-type', TEST_TYPE);
      expect(manifestOf('repro/copy:v1').layers[0]?.digest).toBe(layer.digest);
    });
  });

  describe('third-party artifacts', () => {
    it('pulls byte for byte what another client wrote through the registry API, reading a helm-style config type as the artifact type', async () => {
      const chart = gzipSync(ustar([{ name: 'demo/Chart.yaml', type: 'file', content: Buffer.from('name: demo\nversion: 0.1.0\n') }]));
      const provenance = Buffer.from('-----BEGIN PGP SIGNED MESSAGE-----\nnot really\n');
      const configType = 'application/vnd.cncf.helm.config.v1+json';
      const { digest } = await pushRaw(
        'charts/demo',
        '0.1.0',
        [titled('chart.tgz', chart, 'application/vnd.cncf.helm.chart.content.v1.tar+gzip'), titled('chart.tgz.prov', provenance, 'application/vnd.cncf.helm.chart.provenance.v1.prov')],
        { config: { bytes: Buffer.from('{"name":"demo","version":"0.1.0"}'), mediaType: configType } },
      );
      const out = path.join(work, 'out');
      const pulled = parseAzJson(await pull('charts/demo:0.1.0', out)) as Pulled;
      expect(pulled).toEqual({
        reference: `${registry.host}/charts/demo:0.1.0`,
        digest,
        artifactType: configType,
        files: [
          { path: 'chart.tgz', digest: sha256(chart), size: chart.length, mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', outcome: 'written' },
          { path: 'chart.tgz.prov', digest: sha256(provenance), size: provenance.length, mediaType: 'application/vnd.cncf.helm.chart.provenance.v1.prov', outcome: 'written' },
        ],
      });
      // A tar+gzip without the unpack annotation is a file, kept as it came.
      expect(snapshot(out)).toEqual({ 'chart.tgz': `file ${sha256(chart)}`, 'chart.tgz.prov': `file ${sha256(provenance)}` });
    });

    it('pulls nothing from an image skopeo pushed, whose layers have no file names, and warns about each', async () => {
      const layout = path.join(work, 'layout');
      const layer = ustar([{ name: 'hello.txt', type: 'file', content: Buffer.from('hello from an image\n') }]);
      const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(layer)] }, config: {} }));
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaType.ociManifest,
          config: { mediaType: MediaType.ociConfig, digest: sha256(config), size: config.length },
          layers: [{ mediaType: MediaType.ociLayer, digest: sha256(layer), size: layer.length }],
        }),
      );
      for (const bytes of [layer, config, manifest]) file(`layout/blobs/sha256/${sha256(bytes).slice('sha256:'.length)}`, bytes);
      file('layout/oci-layout', JSON.stringify({ imageLayoutVersion: '1.0.0' }));
      const ref = { mediaType: MediaType.ociManifest, digest: sha256(manifest), size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': 'v1' } };
      file('layout/index.json', JSON.stringify({ schemaVersion: 2, manifests: [ref] }));
      skopeo('copy', '--quiet', '--dest-tls-verify=false', `oci:${layout}:v1`, `docker://${registry.host}/images/hello:v1`);
      // skopeo compresses the tar layer on the way: what it stored is what acrx must deal with.
      const stored = skopeoRaw('images/hello:v1');
      const image = JSON.parse(stored.toString('utf8')) as Manifest;
      expect(image.config.digest).toBe(sha256(config));
      expect(image.layers).toHaveLength(1);
      expect(image.layers[0]?.annotations?.[TITLE]).toBeUndefined();

      const out = path.join(work, 'out');
      const result = await pull('images/hello:v1', out);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(`WARNING: layer ${image.layers[0]?.digest} has no file name (${TITLE}); it is not pulled`);
      const pulled = parseAzJson(result) as Pulled;
      expect(pulled).toEqual({ reference: `${registry.host}/images/hello:v1`, digest: sha256(stored), files: [] });
      expect(entriesUnder(out)).toEqual([]);
    });

    it('what acrx pushed, skopeo copies to another repository unchanged, and acrx pulls the copy', async () => {
      const inputs = [file('src/one.txt', 'one\n'), tree('src/tree')];
      const pushed = await push('origin/art:v1', inputs, '--artifact-type', TEST_TYPE, '-a', 'origin=acrx');
      skopeo('copy', '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${registry.host}/origin/art:v1`, `docker://${registry.host}/copied/art:v1`);
      expect(sha256(skopeoRaw('copied/art:v1'))).toBe(pushed.digest);
      const out = path.join(work, 'out');
      const pulled = parseAzJson(await pull('copied/art:v1', out)) as Pulled;
      expect(pulled.digest).toBe(pushed.digest);
      expect(snapshot(out)).toEqual(snapshot(path.join(work, 'src')));
    });
  });

  describe('pull safety', () => {
    it('refuses layer titles that lead out of the output directory, and writes nothing anywhere', async () => {
      const cases: Array<{ title: string; problem: RegExp }> = [
        { title: '../escape.txt', problem: /'\.\.'/ },
        { title: 'ABSOLUTE', problem: /absolute/ },
        { title: 'a/../../x', problem: /'\.\.'/ },
        { title: 'C:\\evil.txt', problem: /backslash|drive letter/ },
        { title: 'C:/evil.txt', problem: /drive letter/ },
      ];
      for (const [index, { title: given, problem }] of cases.entries()) {
        const place = path.join(work, `case-${index}`);
        mkdirSync(place);
        const title = given === 'ABSOLUTE' ? path.join(place, 'abs.txt') : given;
        // A harmless layer first: the refusal must come before it is written.
        await pushRaw('hostile/titles', `case-${index}`, [titled('fine.txt', 'harmless\n'), titled(title, `escaped via ${title}\n`)]);
        const result = await pull(`hostile/titles:case-${index}`, path.join(place, 'out'));
        expect(result.code, title).toBe(1);
        expect(result.stdout).toBe('');
        expect(result.stderr, title).toContain(title);
        expect(result.stderr, title).toMatch(problem);
        expect(entriesUnder(place), title).toEqual([]);
      }
      // Nothing landed anywhere else in the test's directory either (e.g. a file literally named C:\evil.txt).
      expect(entriesUnder(work).filter((name) => !/^case-\d$/.test(name))).toEqual([]);
    });

    it('refuses an artifact with two layers of one name, and a multi-platform index, with exit 1 and nothing written', async () => {
      const twice = await pushRaw('hostile/twice', 'v1', [titled('same.txt', 'first\n'), titled('same.txt', 'second\n')]);
      const out = path.join(work, 'out');
      const result = await pull('hostile/twice:v1', out);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/two layers named 'same\.txt'/);
      expect(existsSync(out) ? entriesUnder(out) : []).toEqual([]);

      const index = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [{ mediaType: MediaType.ociManifest, digest: twice.digest, size: skopeoRaw('hostile/twice:v1').length }] };
      await pushManifest(registry.url, 'hostile/twice', 'index', index, MediaType.ociIndex);
      const indexed = await pull('hostile/twice:index', out);
      expect(indexed.code).toBe(1);
      expect(indexed.stderr).toMatch(/is a multi-platform index, not an artifact/);
      expect(existsSync(out) ? entriesUnder(out) : []).toEqual([]);
    });

    it('refuses a layer whose stored bytes do not match its digest, naming it, and leaves no file and no temporary file', async () => {
      const content = randomBytes(200_000);
      await pushRaw('hostile/corrupt', 'v1', [titled('data.bin', content)]);
      const digest = sha256(content);
      const data = path.join(registry.storageDir, 'docker/registry/v2/blobs/sha256', digest.slice(7, 9), digest.slice(7), 'data');
      expect(existsSync(data)).toBe(true);
      const handle = openSync(data, 'r+');
      writeSync(handle, Buffer.from('corrupted'), 0, 9, 150_000);
      closeSync(handle);

      const out = path.join(work, 'out');
      const result = await pull('hostile/corrupt:v1', out);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(digest);
      expect(entriesUnder(out)).toEqual([]);

      // Over a file already there (--overwrite): it stays as it was, and nothing is left beside it.
      const kept = path.join(out, 'data.bin');
      writeFileSync(kept, 'the old content\n');
      const again = await pull('hostile/corrupt:v1', out, '--overwrite');
      expect(again.code).toBe(1);
      expect(again.stderr).toContain(digest);
      expect(snapshot(out)).toEqual({ 'data.bin': `file ${sha256('the old content\n')}` });
    });

    it('refuses a directory layer whose archive climbs out, names an absolute path, or writes through a link that leads out', async () => {
      const outside = path.join(work, 'outside');
      mkdirSync(outside);
      const archives: Array<{ what: string; items: TarItem[]; escapes: string[] }> = [
        {
          what: 'an entry climbing out with ..',
          items: [
            { name: 'd/', type: 'directory' },
            { name: 'd/ok.txt', type: 'file', content: Buffer.from('ok\n') },
            { name: '../evil.txt', type: 'file', content: Buffer.from('evil\n') },
          ],
          escapes: ['evil.txt'],
        },
        {
          what: 'an entry climbing out from inside the title',
          items: [
            { name: 'd/', type: 'directory' },
            { name: 'd/../../evil2.txt', type: 'file', content: Buffer.from('evil\n') },
          ],
          escapes: ['evil2.txt'],
        },
        {
          what: 'an absolute entry',
          items: [
            { name: 'd/', type: 'directory' },
            { name: path.join(outside, 'absolute.txt'), type: 'file', content: Buffer.from('evil\n') },
          ],
          escapes: ['outside/absolute.txt'],
        },
        {
          what: 'an absolute symlink, then a file through it',
          items: [
            { name: 'd/', type: 'directory' },
            { name: 'd/link', type: 'symlink', target: outside },
            { name: 'd/link/through.txt', type: 'file', content: Buffer.from('evil\n') },
          ],
          escapes: ['outside/through.txt'],
        },
        {
          what: 'a relative symlink climbing out, then a file through it',
          items: [
            { name: 'd/', type: 'directory' },
            { name: 'd/up', type: 'symlink', target: '../../outside' },
            { name: 'd/up/climbed.txt', type: 'file', content: Buffer.from('evil\n') },
          ],
          escapes: ['outside/climbed.txt'],
        },
      ];
      for (const [index, { what, items, escapes }] of archives.entries()) {
        const tar = ustar(items);
        await pushRaw('hostile/archives', `case-${index}`, [titled('d', gzipSync(tar), DIRECTORY_LAYER, { [UNPACK]: 'true' })]);
        const out = path.join(work, `out-${index}`);
        const result = await pull(`hostile/archives:case-${index}`, out);
        expect(result.code, what).toBe(1);
        expect(result.stderr, what).toMatch(/refused to unpack "d"/);
        expect(entriesUnder(out), what).toEqual([]);
        for (const escape of escapes) expect(existsSync(path.join(work, escape)), `${what}: ${escape}`).toBe(false);
        expect(entriesUnder(outside), what).toEqual([]);
      }
      // Between them, only the output directories (empty) and the untouched target directory.
      expect(entriesUnder(work).filter((name) => !/^out-\d$/.test(name))).toEqual(['outside']);
    });

    it('a hostile directory layer beside a harmless file leaves nothing of either behind, as its refusal says', async () => {
      const tar = ustar([
        { name: 'd/', type: 'directory' },
        { name: '../evil.txt', type: 'file', content: Buffer.from('evil\n') },
      ]);
      await pushRaw('hostile/mixed', 'v1', [titled('fine.txt', 'harmless\n'), titled('d', gzipSync(tar), DIRECTORY_LAYER, { [UNPACK]: 'true' })]);
      const out = path.join(work, 'out');
      const result = await pull('hostile/mixed:v1', out);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/refused to unpack "d".*nothing was written/);
      expect(existsSync(path.join(work, 'evil.txt'))).toBe(false);
      expect(entriesUnder(out)).toEqual([]);
    });

    it('refuses to write through a symlink already in the output directory', async () => {
      const elsewhere = path.join(work, 'elsewhere');
      mkdirSync(elsewhere);
      const out = path.join(work, 'out');
      mkdirSync(out);
      symlinkSync(elsewhere, path.join(out, 'link'));
      await pushRaw('hostile/link', 'v1', [titled('link/x.txt', 'through the link\n')]);
      const result = await pull('hostile/link:v1', out);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/symbolic link/);
      expect(entriesUnder(elsewhere)).toEqual([]);
      expect(snapshot(out)).toEqual({ link: `link -> ${elsewhere}` });
      // --overwrite does not make it any less a link on the way.
      expect((await pull('hostile/link:v1', out, '--overwrite')).code).toBe(1);
      expect(entriesUnder(elsewhere)).toEqual([]);
    });

    it('an existing file stops the pull; --overwrite replaces it, --keep-old-files keeps it and says so', async () => {
      const note = file('src/note.txt', 'the pushed note\n');
      const docs = path.join(work, 'src/docs');
      file('src/docs/readme.md', '# docs\n');
      await push('exists/art:v1', [note, docs], '--artifact-type', TEST_TYPE);
      const out = path.join(work, 'out');
      expect((await pull('exists/art:v1', out)).code).toBe(0);
      expect(snapshot(out)).toEqual(snapshot(path.join(work, 'src')));

      writeFileSync(path.join(out, 'note.txt'), 'edited here\n');
      writeFileSync(path.join(out, 'docs/local.md'), 'added here\n');
      const edited = snapshot(out);
      const refused = await pull('exists/art:v1', out);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/already exists/);
      expect(refused.stderr).toContain('--overwrite');
      expect(snapshot(out)).toEqual(edited);

      const kept = parseAzJson(await pull('exists/art:v1', out, '--keep-old-files')) as Pulled;
      expect(kept.files.map((entry) => [entry.path, entry.outcome])).toEqual([
        ['note.txt', 'kept'],
        ['docs', 'kept'],
      ]);
      expect(snapshot(out)).toEqual(edited);

      const replaced = parseAzJson(await pull('exists/art:v1', out, '--overwrite')) as Pulled;
      expect(replaced.files.map((entry) => [entry.path, entry.outcome])).toEqual([
        ['note.txt', 'written'],
        ['docs', 'unpacked'],
      ]);
      // The directory layer replaces the directory whole, as it was pushed.
      expect(snapshot(out)).toEqual(snapshot(path.join(work, 'src')));

      expect((await pull('exists/art:v1', out, '--overwrite', '--keep-old-files')).code).toBe(2);
    });

    it('--media-type pulls only layers of those types; --artifact-type refuses another type and writes nothing', async () => {
      const readme = file('src/readme.md', '# read me\n');
      const data = file('src/data.json', '{"a":1}\n');
      await push('filters/art:v1', [`${readme}:text/markdown`, `${data}:application/json`], '--artifact-type', TEST_TYPE);

      const markdown = path.join(work, 'markdown');
      const onlyMarkdown = parseAzJson(await pull('filters/art:v1', markdown, '--media-type', 'text/markdown')) as Pulled;
      expect(onlyMarkdown.files.map((entry) => [entry.path, entry.mediaType])).toEqual([['readme.md', 'text/markdown']]);
      expect(snapshot(markdown)).toEqual({ 'readme.md': `file ${sha256(readFileSync(readme))}` });

      const both = path.join(work, 'both');
      expect((await pull('filters/art:v1', both, '--media-type', 'text/markdown,application/json', '--artifact-type', TEST_TYPE)).code).toBe(0);
      expect(snapshot(both)).toEqual(snapshot(path.join(work, 'src')));

      const none = path.join(work, 'none');
      expect(parseAzJson(await pull('filters/art:v1', none, '--media-type', 'text/plain'))).toMatchObject({ files: [] });
      expect(entriesUnder(none)).toEqual([]);

      const wrong = path.join(work, 'wrong');
      const refused = await pull('filters/art:v1', wrong, '--artifact-type', 'application/vnd.acrx.other');
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(TEST_TYPE);
      expect(refused.stderr).toContain('application/vnd.acrx.other');
      expect(existsSync(wrong)).toBe(false);
    });
  });

  describe('attach and discover without the referrers API', () => {
    it('attach keeps the referrers tag index; discover shows the graph as JSON, filtered, two levels deep, and as a tree', async () => {
      const subject = await push('graph/app:v1', [file('src/app.txt', 'the app\n')], '--artifact-type', TEST_TYPE);
      const signature = await attach('graph/app:v1', file('src/signature.sig', 'a signature\n'), SIGNATURE);
      const sbom = await attach(`graph/app@${subject.digest}`, file('src/sbom.json', '{"packages":[]}\n'), SBOM);
      for (const referrer of [signature, sbom]) {
        expect(referrer).toMatchObject({ subject: subject.digest, reference: `${registry.host}/graph/app@${referrer.digest}` });
        const manifest = manifestOf(`graph/app@${referrer.digest}`);
        expect(manifest.subject).toEqual({ mediaType: MediaType.ociManifest, digest: subject.digest, size: subject.size });
        expect(manifest.artifactType).toBe(referrer.artifactType);
      }

      // The index under sha256-<hex>, read with plain HTTP and with skopeo.
      const index = await fetchReferrersIndex(registry.url, 'graph/app', subject.digest);
      expect(index?.referrers.map((entry) => [entry.digest, entry.artifactType])).toEqual([
        [signature.digest, SIGNATURE],
        [sbom.digest, SBOM],
      ]);
      expect(sha256(skopeoRaw(`graph/app:${referrersTag(subject.digest)}`))).toBe(index?.index.descriptor.digest);

      const graph = await discover('graph/app:v1');
      expect(graph).toMatchObject({ reference: `${registry.host}/graph/app@${subject.digest}`, digest: subject.digest });
      expect(graph.manifests.map((node) => [node.digest, node.artifactType, node.manifests.length])).toEqual([
        [signature.digest, SIGNATURE, 0],
        [sbom.digest, SBOM, 0],
      ]);
      const filtered = await discover('graph/app:v1', '--artifact-type', SBOM);
      expect(filtered.manifests.map((node) => node.digest)).toEqual([sbom.digest]);

      // A signature of the SBOM: depth 2.
      const sbomSignature = await attach(`graph/app@${sbom.digest}`, file('src/sbom.sig', 'a signature of the sbom\n'), SIGNATURE);
      expect((await fetchReferrersIndex(registry.url, 'graph/app', sbom.digest))?.referrers.map((entry) => entry.digest)).toEqual([sbomSignature.digest]);
      const deep = await discover('graph/app:v1');
      const sbomNode = deep.manifests.find((node) => node.digest === sbom.digest);
      expect(sbomNode?.manifests.map((node) => [node.digest, node.artifactType])).toEqual([[sbomSignature.digest, SIGNATURE]]);
      expect(deep.manifests.find((node) => node.digest === signature.digest)?.manifests).toEqual([]);
      const shallow = await discover('graph/app:v1', '--depth', '1');
      expect(shallow.manifests.find((node) => node.digest === sbom.digest)?.manifests).toEqual([]);

      const drawn = await artifact('discover', 'graph/app:v1', '-o', 'tree');
      expect(drawn.code).toBe(0);
      const lines = drawn.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe(`${registry.host}/graph/app@${subject.digest}`);
      const lineOf = (text: string) => lines.findIndex((line) => line.endsWith(text));
      const indent = (at: number) => (lines[at] ?? '').search(/[a-z]/);
      const [sbomLine, nestedLine, signatureLine] = [lineOf(sbom.digest), lineOf(sbomSignature.digest), lineOf(signature.digest)];
      expect(Math.min(sbomLine, nestedLine, signatureLine)).toBeGreaterThan(0);
      expect(lines.some((line) => /^[├└]── application\/vnd\.acrx\.test\.sbom\.v1\+json$/.test(line))).toBe(true);
      expect(nestedLine).toBeGreaterThan(sbomLine);
      expect(indent(nestedLine)).toBeGreaterThan(indent(sbomLine));
      expect(indent(signatureLine)).toBe(indent(sbomLine));
      expect(lines.every((line, at) => at === 0 || /^[│├└ ]/.test(line))).toBe(true);
    });

    it('two attaches at the same time both end up in the index, also when their reads and writes of it interleave', async () => {
      // As they come: both attaches at once, a few times over.
      for (const round of [1, 2]) {
        const subject = await push(`concurrent/app:r${round}`, [file(`src/r${round}/app.txt`, `round ${round}\n`)], '--artifact-type', TEST_TYPE);
        const [first, second] = await Promise.all([
          attach(`concurrent/app:r${round}`, file(`src/r${round}/a.sig`, `signature a, round ${round}\n`), SIGNATURE),
          attach(`concurrent/app:r${round}`, file(`src/r${round}/b.json`, `{"sbom":"b","round":${round}}\n`), SBOM),
        ]);
        const listed = (await fetchReferrersIndex(registry.url, 'concurrent/app', subject.digest))?.referrers.map((entry) => entry.digest) ?? [];
        expect(listed.sort(), `round ${round}`).toEqual([first.digest, second.digest].sort());
      }

      // The interleaving that happens now and then above, made to happen: both read the (missing)
      // index, one writes it and reads its write back, then the other writes.
      const proxy = await startInterleavingProxy(registry.url);
      try {
        const subject = await push('concurrent/app:interleaved', [file('src/i/app.txt', 'interleaved\n')], '--artifact-type', TEST_TYPE);
        const viaProxy = (reference: string, source: string, artifactType: string) =>
          runCli(['artifact', 'attach', '-n', proxy.host, reference, source, '--artifact-type', artifactType]);
        const results = await Promise.all([
          viaProxy('concurrent/app:interleaved', file('src/i/a.sig', 'signature a, interleaved\n'), SIGNATURE),
          viaProxy('concurrent/app:interleaved', file('src/i/b.json', '{"sbom":"b","interleaved":true}\n'), SBOM),
        ]);
        const attached = results.map((result) => (parseAzJson(result) as Pushed).digest);
        const listed = (await fetchReferrersIndex(registry.url, 'concurrent/app', subject.digest))?.referrers.map((entry) => entry.digest) ?? [];
        expect(listed.sort(), `requests to the index, in order:\n${proxy.log.join('\n')}`).toEqual(attached.sort());
        expect((await discover('concurrent/app:interleaved')).manifests.map((node) => node.digest).sort()).toEqual(attached.sort());
      } finally {
        await proxy.stop();
      }
    });

    it('deleting a referrer takes it out of its subject’s index, and deleting the last one removes the referrers tag', async () => {
      const subject = await push('deleting/app:v1', [file('src/app.txt', 'to be signed\n')], '--artifact-type', TEST_TYPE);
      const signature = await attach('deleting/app:v1', file('src/a.sig', 'signature\n'), SIGNATURE);
      const sbom = await attach('deleting/app:v1', file('src/b.json', '{"sbom":true}\n'), SBOM);
      const tag = referrersTag(subject.digest);
      expect((await http('GET', `/v2/deleting/app/manifests/${tag}`, MediaType.ociIndex)).status).toBe(200);

      const first = await runCli(['manifest', 'delete', '-r', registry.host, '-n', `deleting/app@${signature.digest}`, '--yes']);
      expect(first.code).toBe(0);
      expect((await http('HEAD', `/v2/deleting/app/manifests/${signature.digest}`, ACCEPT_MANIFESTS)).status).toBe(404);
      expect((await fetchReferrersIndex(registry.url, 'deleting/app', subject.digest))?.referrers.map((entry) => entry.digest)).toEqual([sbom.digest]);
      expect((await discover('deleting/app:v1')).manifests.map((node) => node.digest)).toEqual([sbom.digest]);

      const last = await runCli(['manifest', 'delete', '-r', registry.host, '-n', `deleting/app@${sbom.digest}`, '--yes']);
      expect(last.code).toBe(0);
      expect((await http('GET', `/v2/deleting/app/manifests/${tag}`, MediaType.ociIndex)).status).toBe(404);
      expect(await fetchReferrersIndex(registry.url, 'deleting/app', subject.digest)).toBeUndefined();
      const tags = parseAzJson(await runCli(['repository', 'show-tags', '-n', registry.host, '--repository', 'deleting/app'])) as string[];
      expect(tags).toEqual(['v1']);
      expect((await discover('deleting/app:v1')).manifests).toEqual([]);
      expect(sha256(skopeoRaw('deleting/app:v1'))).toBe(subject.digest);
    });
  });
});
