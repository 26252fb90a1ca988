// Pushes known images, indexes and artifacts into a registry over its HTTP API and records what was
// pushed, so tests can compare acrx's answers (and skopeo's) with a ground truth they did not compute.
import { createHash } from 'node:crypto';
import { request, type Dispatcher } from 'undici';

export const MediaType = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
} as const;

export interface Platform {
  architecture: string;
  os: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  platform?: Platform;
}

export interface ManifestTruth {
  mediaType: string;
  /** Length of the manifest bytes. */
  size: number;
  /** Sorted; [] for an untagged manifest. */
  tags: string[];
  /** From the image config; images only. */
  created?: string;
  architecture?: string;
  os?: string;
  artifactType?: string;
  /** Digest of the manifest this artifact refers to. */
  subject?: string;
  configMediaType?: string;
  /** Digests of an index's manifests. */
  children?: string[];
}

export interface RepoTruth {
  tags: Record<string, string>;
  manifests: Record<string, ManifestTruth>;
}

export interface GroundTruth {
  /** Sorted. */
  repositories: string[];
  repos: Record<string, RepoTruth>;
}

/** What a push produced: the descriptor to reference it, the exact bytes, and its ground truth. */
export interface PushedManifest {
  descriptor: Descriptor;
  bytes: Uint8Array;
  truth: ManifestTruth;
}

/** A registry to push to: its URL, or its URL with what each request needs to get in. */
export type SeedTarget = string | RegistryAccess;

export interface RegistryAccess {
  /** "http(s)://HOST:PORT" */
  url: string;
  /** Sent with every request to the registry's origin, e.g. `{ authorization: 'Bearer …' }`. */
  headers?: Record<string, string>;
  /** e.g. an undici Agent that trusts a test CA, for registries over TLS. */
  dispatcher?: Dispatcher;
}

/** Push with this Authorization header (and dispatcher): `pushImage(withAuth(url, 'Basic …'), …)`. */
export function withAuth(url: string, authorization: string, dispatcher?: Dispatcher): RegistryAccess {
  return { url, headers: { authorization }, ...(dispatcher ? { dispatcher } : {}) };
}

function baseUrl(registry: SeedTarget): string {
  return typeof registry === 'string' ? registry : registry.url;
}

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

async function expectStatus(
  registry: SeedTarget,
  method: 'POST' | 'PUT',
  target: string,
  expected: number,
  headers: Record<string, string>,
  body?: Uint8Array,
): Promise<Record<string, string | string[] | undefined>> {
  let dispatcher: Dispatcher | undefined;
  if (typeof registry !== 'string') {
    dispatcher = registry.dispatcher;
    // Credentials only ever go to the registry itself, never to a Location elsewhere.
    if (new URL(target).origin === new URL(registry.url).origin) headers = { ...registry.headers, ...headers };
  }
  const response = await request(target, { method, headers, body, ...(dispatcher ? { dispatcher } : {}) });
  const text = await response.body.text();
  if (response.statusCode !== expected) {
    throw new Error(`${method} ${target} answered ${response.statusCode} (expected ${expected}): ${text}`);
  }
  return response.headers;
}

function singleHeader(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function checkDigestHeader(headers: Record<string, string | string[] | undefined>, digest: string, what: string): void {
  const answered = singleHeader(headers, 'docker-content-digest');
  if (answered !== digest) throw new Error(`registry stored ${what} as ${answered ?? '(no digest)'}, expected ${digest}`);
}

/** Monolithic upload: POST to open a session, PUT the bytes with the digest to close it. */
export async function pushBlob(
  registry: SeedTarget,
  repo: string,
  bytes: Uint8Array,
  mediaType = 'application/octet-stream',
): Promise<Descriptor> {
  const url = baseUrl(registry);
  const digest = sha256Digest(bytes);
  const opened = await expectStatus(registry, 'POST', `${url}/v2/${repo}/blobs/uploads/`, 202, {});
  const location = singleHeader(opened, 'location');
  if (!location) throw new Error(`POST ${url}/v2/${repo}/blobs/uploads/ gave no Location`);
  // Location may be relative and already carries the upload state in its query string.
  const target = new URL(location, url);
  target.searchParams.set('digest', digest);
  const closed = await expectStatus(registry, 'PUT', target.toString(), 201, { 'content-type': 'application/octet-stream' }, bytes);
  checkDigestHeader(closed, digest, `blob in ${repo}`);
  return { mediaType, digest, size: bytes.byteLength };
}

/** PUTs exactly these bytes, so their sha256 is the digest the registry must report. */
export async function pushManifestBytes(
  registry: SeedTarget,
  repo: string,
  reference: string,
  bytes: Uint8Array,
  mediaType: string,
): Promise<{ digest: string; size: number }> {
  const url = baseUrl(registry);
  const digest = sha256Digest(bytes);
  const headers = await expectStatus(registry, 'PUT', `${url}/v2/${repo}/manifests/${reference}`, 201, { 'content-type': mediaType }, bytes);
  checkDigestHeader(headers, digest, `manifest ${repo}:${reference}`);
  return { digest, size: bytes.byteLength };
}

export function pushManifest(
  url: SeedTarget,
  repo: string,
  reference: string,
  manifest: object,
  mediaType: string,
): Promise<{ digest: string; size: number }> {
  return pushManifestBytes(url, repo, reference, Buffer.from(JSON.stringify(manifest)), mediaType);
}

/** The first tag gets the push, later tags re-PUT the same bytes; no tags means push by digest. */
async function putUnderTags(url: SeedTarget, repo: string, tags: string[], bytes: Uint8Array, mediaType: string): Promise<string> {
  if (tags.length === 0) return (await pushManifestBytes(url, repo, sha256Digest(bytes), bytes, mediaType)).digest;
  let digest = '';
  for (const tag of tags) digest = (await pushManifestBytes(url, repo, tag, bytes, mediaType)).digest;
  return digest;
}

function writeAscii(header: Buffer, offset: number, length: number, text: string): void {
  header.write(text.slice(0, length), offset, 'ascii');
}

/** A valid one-file ustar archive, so the seeded layers are real layers. */
function singleFileTar(name: string, content: string): Buffer {
  const data = Buffer.from(content);
  const header = Buffer.alloc(512);
  writeAscii(header, 0, 100, name);
  writeAscii(header, 100, 8, '0000644\0');
  writeAscii(header, 108, 8, '0000000\0');
  writeAscii(header, 116, 8, '0000000\0');
  writeAscii(header, 124, 12, data.length.toString(8).padStart(11, '0') + '\0');
  writeAscii(header, 136, 12, '00000000000\0');
  writeAscii(header, 148, 8, '        ');
  writeAscii(header, 156, 1, '0');
  writeAscii(header, 257, 8, 'ustar\u000000');
  let checksum = 0;
  for (const byte of header) checksum += byte;
  writeAscii(header, 148, 8, checksum.toString(8).padStart(6, '0') + '\0 ');
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header, data, padding, Buffer.alloc(1024)]);
}

export interface ImageOptions {
  tags: string[];
  created?: string;
  architecture?: string;
  os?: string;
  /** Docker schema 2 instead of OCI. */
  docker?: boolean;
  /** Content of the single layer; defaults to text unique to repo, tags and created. */
  layerText?: string;
  /** Push by digest only, leaving the image untagged (tags are then ignored). */
  byDigest?: boolean;
}

export async function pushImage(url: SeedTarget, repo: string, options: ImageOptions): Promise<PushedManifest> {
  const created = options.created ?? '2024-01-01T00:00:00Z';
  const architecture = options.architecture ?? 'amd64';
  const os = options.os ?? 'linux';
  const types = options.docker
    ? { manifest: MediaType.dockerManifest, config: MediaType.dockerConfig, layer: MediaType.dockerLayer }
    : { manifest: MediaType.ociManifest, config: MediaType.ociConfig, layer: MediaType.ociLayer };

  const layerText = options.layerText ?? `${repo} ${options.tags.join(',')} ${created} ${os}/${architecture}\n`;
  const layer = await pushBlob(url, repo, singleFileTar('hello.txt', layerText), types.layer);
  // The layer is uncompressed, so its digest is also its diff_id.
  const config = { architecture, os, created, rootfs: { type: 'layers', diff_ids: [layer.digest] }, config: {} };
  const configDescriptor = await pushBlob(url, repo, Buffer.from(JSON.stringify(config)), types.config);
  const manifest = { schemaVersion: 2, mediaType: types.manifest, config: configDescriptor, layers: [layer] };
  const bytes = Buffer.from(JSON.stringify(manifest));

  const tags = options.byDigest ? [] : options.tags;
  const digest = await putUnderTags(url, repo, tags, bytes, types.manifest);
  return {
    descriptor: { mediaType: types.manifest, digest, size: bytes.byteLength },
    bytes,
    truth: {
      mediaType: types.manifest,
      size: bytes.byteLength,
      tags: [...tags].sort(),
      created,
      architecture,
      os,
      configMediaType: types.config,
    },
  };
}

export const EMPTY_DESCRIPTOR: Descriptor = {
  mediaType: MediaType.ociEmpty,
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
};

export interface ArtifactOptions {
  tags: string[];
  artifactType: string;
  /** Content of the single layer, stored with mediaType = artifactType. */
  content: string;
  subject?: Descriptor;
}

/** An OCI 1.1 artifact: image manifest with artifactType, the empty config, optional subject. */
export async function pushArtifact(url: SeedTarget, repo: string, options: ArtifactOptions): Promise<PushedManifest> {
  await pushBlob(url, repo, Buffer.from('{}'), MediaType.ociEmpty);
  const layer = await pushBlob(url, repo, Buffer.from(options.content), options.artifactType);
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    artifactType: options.artifactType,
    config: EMPTY_DESCRIPTOR,
    layers: [layer],
    ...(options.subject ? { subject: options.subject } : {}),
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const digest = await putUnderTags(url, repo, options.tags, bytes, MediaType.ociManifest);
  return {
    descriptor: { mediaType: MediaType.ociManifest, digest, size: bytes.byteLength, artifactType: options.artifactType },
    bytes,
    truth: {
      mediaType: MediaType.ociManifest,
      size: bytes.byteLength,
      tags: [...options.tags].sort(),
      artifactType: options.artifactType,
      configMediaType: MediaType.ociEmpty,
      ...(options.subject ? { subject: options.subject.digest } : {}),
    },
  };
}

/** An OCI index over manifests already in the repository; platform comes from each child's truth. */
export async function pushIndex(url: SeedTarget, repo: string, tags: string[], children: PushedManifest[]): Promise<PushedManifest> {
  const manifests = children.map(({ descriptor, truth }) => ({
    ...descriptor,
    platform: { architecture: truth.architecture ?? 'unknown', os: truth.os ?? 'unknown' },
  }));
  const manifest = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const digest = await putUnderTags(url, repo, tags, bytes, MediaType.ociIndex);
  return {
    descriptor: { mediaType: MediaType.ociIndex, digest, size: bytes.byteLength },
    bytes,
    truth: {
      mediaType: MediaType.ociIndex,
      size: bytes.byteLength,
      tags: [...tags].sort(),
      children: children.map((child) => child.descriptor.digest),
    },
  };
}

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

class TruthRecorder {
  private readonly repos: Record<string, RepoTruth> = {};

  record(repo: string, pushed: PushedManifest): PushedManifest {
    const repoTruth = (this.repos[repo] ??= { tags: {}, manifests: {} });
    const digest = pushed.descriptor.digest;
    const known = repoTruth.manifests[digest];
    const tags = [...new Set([...(known?.tags ?? []), ...pushed.truth.tags])].sort();
    repoTruth.manifests[digest] = { ...pushed.truth, tags };
    for (const tag of pushed.truth.tags) repoTruth.tags[tag] = digest;
    return pushed;
  }

  result(): GroundTruth {
    return { repositories: Object.keys(this.repos).sort(), repos: this.repos };
  }
}

const SBOM_TYPE = 'application/vnd.example.sbom.v1+json';
const MANY_TAGS = 3000;
const MANY_IMAGES = 60;

async function seedHello(url: string, truth: TruthRecorder): Promise<void> {
  const v1 = truth.record('hello', await pushImage(url, 'hello', { tags: ['v1'], created: '2024-01-10T10:00:00Z' }));
  truth.record('hello', await pushImage(url, 'hello', { tags: ['v2', 'latest'], created: '2024-03-05T08:30:00Z' }));
  truth.record('hello', await pushImage(url, 'hello', { tags: ['old'], created: '2023-12-01T00:00:00Z' }));
  truth.record('hello', await pushImage(url, 'hello', { tags: [], byDigest: true, created: '2024-02-14T12:00:00Z' }));
  const sbom = { tags: ['v1-sbom'], artifactType: SBOM_TYPE, content: '{"sbom":"hello:v1"}', subject: v1.descriptor };
  truth.record('hello', await pushArtifact(url, 'hello', sbom));
}

async function seedMultiArch(url: string, truth: TruthRecorder, tags: string[]): Promise<void> {
  const amd64 = await pushImage(url, 'multi', { tags: [], byDigest: true, created: '2024-05-01T00:00:00Z', architecture: 'amd64' });
  const arm64 = await pushImage(url, 'multi', { tags: [], byDigest: true, created: '2024-05-01T00:05:00Z', architecture: 'arm64' });
  truth.record('multi', amd64);
  truth.record('multi', arm64);
  truth.record('multi', await pushIndex(url, 'multi', tags, [amd64, arm64]));
}

function manyTag(index: number): string {
  return `t${String(index).padStart(4, '0')}`;
}

/** 3000 tags over 60 images: tag i is image i % 60, image k was created k hours after 2024-02-01. */
async function seedMany(url: string, truth: TruthRecorder): Promise<void> {
  const images: PushedManifest[] = [];
  await forEachLimited([...Array(MANY_IMAGES).keys()], 8, async (k) => {
    const created = new Date(Date.UTC(2024, 1, 1, k)).toISOString().replace('.000Z', 'Z');
    images[k] = await pushImage(url, 'many', { tags: [manyTag(k)], created });
  });
  const retags = [...Array(MANY_TAGS).keys()].filter((i) => i >= MANY_IMAGES);
  await forEachLimited(retags, 16, async (i) => {
    const image = images[i % MANY_IMAGES] as PushedManifest;
    await pushManifestBytes(url, 'many', manyTag(i), image.bytes, image.descriptor.mediaType);
  });
  for (const [k, image] of images.entries()) {
    const tags = [...Array(MANY_TAGS / MANY_IMAGES).keys()].map((j) => manyTag(k + j * MANY_IMAGES));
    truth.record('many', { ...image, truth: { ...image.truth, tags: tags.sort() } });
  }
}

/** The data every integration test may rely on: 8 repositories, ~75 manifests, 3000 tags in `many`. */
export async function seedStandardData(url: string): Promise<GroundTruth> {
  const truth = new TruthRecorder();
  await seedHello(url, truth);
  truth.record('legacy/app', await pushImage(url, 'legacy/app', { tags: ['1.0'], docker: true, created: '2022-06-01T12:00:00Z' }));
  truth.record('legacy/app', await pushImage(url, 'legacy/app', { tags: ['1.1'], docker: true, created: '2022-07-01T12:00:00Z' }));
  await seedMultiArch(url, truth, ['latest', '1.0']);
  truth.record('team-a/svc/web', await pushImage(url, 'team-a/svc/web', { tags: ['v1.0.0'], created: '2024-04-01T09:00:00Z' }));
  truth.record('team-a/svc/web', await pushImage(url, 'team-a/svc/web', { tags: ['v1.1.0', 'stable'], created: '2024-04-15T09:00:00Z' }));
  truth.record('team-a/svc/api', await pushImage(url, 'team-a/svc/api', { tags: ['main'], created: '2024-04-20T16:45:00Z' }));
  truth.record('team-b/tools', await pushImage(url, 'team-b/tools', { tags: ['latest'], docker: true, created: '2023-08-08T08:08:08Z' }));
  truth.record('empty-ish', await pushImage(url, 'empty-ish', { tags: ['only'], created: '2024-06-30T23:59:59Z' }));
  await seedMany(url, truth);
  return truth.result();
}

/** A few seconds at most: enough for the demo tour. */
export async function seedSmallSample(url: string): Promise<GroundTruth> {
  const truth = new TruthRecorder();
  truth.record('hello', await pushImage(url, 'hello', { tags: ['v1', 'latest'], created: '2024-03-05T08:30:00Z' }));
  truth.record('hello', await pushImage(url, 'hello', { tags: ['old'], created: '2023-12-01T00:00:00Z' }));
  truth.record('legacy/app', await pushImage(url, 'legacy/app', { tags: ['1.0'], docker: true, created: '2022-06-01T12:00:00Z' }));
  await seedMultiArch(url, truth, ['latest']);
  return truth.result();
}
