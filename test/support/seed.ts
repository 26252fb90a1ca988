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
  annotations?: Record<string, string>;
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
  /** The manifest's own `annotations`; only artifacts pushed with some have them. */
  annotations?: Record<string, string>;
  configMediaType?: string;
  /** Digests of an index's manifests (for a referrers tag schema index: its referrers, in order). */
  children?: string[];
}

export interface RepoTruth {
  /** tag → digest, every tag of the repository, including referrers tags (`sha256-<hex>`). */
  tags: Record<string, string>;
  /** digest → truth, every manifest, including referrers and the indexes of the referrers tag schema. */
  manifests: Record<string, ManifestTruth>;
  /**
   * subject digest → the descriptors (mediaType, digest, size, artifactType, annotations if any) listed by
   * the index under the subject's referrers tag (`referrersTag(subject)`), in the index's order. Only
   * subjects whose referrers were pushed the referrers-tag-schema way are here; a manifest pushed with a
   * `subject` without updating that index (hello's v1-sbom) is not, see its ManifestTruth.subject.
   */
  referrers: Record<string, Descriptor[]>;
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

type HeaderMap = Record<string, string | string[] | undefined>;

interface Answer {
  status: number;
  headers: HeaderMap;
  bytes: Buffer;
}

async function send(
  registry: SeedTarget,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  target: string,
  headers: Record<string, string>,
  body?: Uint8Array,
): Promise<Answer> {
  let dispatcher: Dispatcher | undefined;
  if (typeof registry !== 'string') {
    dispatcher = registry.dispatcher;
    // Credentials only ever go to the registry itself, never to a Location elsewhere.
    if (new URL(target).origin === new URL(registry.url).origin) headers = { ...registry.headers, ...headers };
  }
  const response = await request(target, { method, headers, body, ...(dispatcher ? { dispatcher } : {}) });
  return { status: response.statusCode, headers: response.headers, bytes: Buffer.from(await response.body.arrayBuffer()) };
}

async function expectStatus(
  registry: SeedTarget,
  method: 'POST' | 'PUT' | 'DELETE',
  target: string,
  expected: number,
  headers: Record<string, string>,
  body?: Uint8Array,
): Promise<HeaderMap> {
  const answer = await send(registry, method, target, headers, body);
  if (answer.status !== expected) {
    throw new Error(`${method} ${target} answered ${answer.status} (expected ${expected}): ${answer.bytes.toString('utf8')}`);
  }
  return answer.headers;
}

function singleHeader(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function checkDigestHeader(headers: HeaderMap, digest: string, what: string): void {
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
  /** The manifest's annotations; left out of the manifest when absent. */
  annotations?: Record<string, string>;
}

/** An OCI 1.1 artifact: image manifest with artifactType, the empty config, optional subject and annotations. */
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
    ...(options.annotations ? { annotations: options.annotations } : {}),
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
      ...(options.annotations ? { annotations: options.annotations } : {}),
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

// --- The referrers tag schema (OCI distribution-spec 1.1, "Referrers Tag Schema") -------------------
// A registry without the referrers API (distribution 2.8 answers 404) keeps the referrers of a subject
// in an OCI index under a tag derived from the subject's digest; pushing a referrer means pushing the
// artifact, then replacing that index with one that also lists it. Clients such as oras also delete the
// index the tag held before, so no untagged index is left behind.

/** The referrers tag of a digest: algorithm (≤ 32 chars), `-`, encoded part (≤ 64), other characters → `-`. */
export function referrersTag(digest: string): string {
  const colon = digest.indexOf(':');
  if (colon < 1) throw new Error(`not a digest: ${digest}`);
  const tag = `${digest.slice(0, colon).slice(0, 32)}-${digest.slice(colon + 1).slice(0, 64)}`;
  return tag.replace(/[^a-zA-Z0-9_.-]/g, '-');
}

export interface ReferrersIndex {
  /** The index under the referrers tag, as pushIndex would describe it. */
  index: PushedManifest;
  /** Its `manifests`: the referrers' descriptors, in order. */
  referrers: Descriptor[];
}

function isDescriptor(value: unknown): value is Descriptor {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.mediaType === 'string' && typeof entry.digest === 'string' && typeof entry.size === 'number';
}

/** The subject's referrers index, or undefined when its tag does not exist. Anything but an OCI index throws. */
export async function fetchReferrersIndex(registry: SeedTarget, repo: string, subject: string): Promise<ReferrersIndex | undefined> {
  const tag = referrersTag(subject);
  const target = `${baseUrl(registry)}/v2/${repo}/manifests/${tag}`;
  // Every manifest type: distribution answers 404 to a manifest whose type is not accepted, and a tag
  // holding something else must be seen, not overwritten.
  const accept = [MediaType.ociIndex, MediaType.ociManifest, MediaType.dockerManifest, 'application/vnd.docker.distribution.manifest.list.v2+json'].join(', ');
  const answer = await send(registry, 'GET', target, { accept });
  if (answer.status === 404) return undefined;
  if (answer.status !== 200) throw new Error(`GET ${target} answered ${answer.status}: ${answer.bytes.toString('utf8')}`);
  const contentType = singleHeader(answer.headers, 'content-type')?.split(';')[0]?.trim();
  let body: { mediaType?: unknown; manifests?: unknown } | undefined;
  try {
    body = JSON.parse(answer.bytes.toString('utf8')) as { mediaType?: unknown; manifests?: unknown };
  } catch {
    body = undefined;
  }
  // The spec has the client stop rather than overwrite a tag that holds something else.
  if (contentType !== MediaType.ociIndex || body?.mediaType !== MediaType.ociIndex || !Array.isArray(body.manifests) || !body.manifests.every(isDescriptor)) {
    throw new Error(`${repo}:${tag} is not an OCI image index (${contentType ?? 'no content type'}), refusing to update it`);
  }
  const referrers: Descriptor[] = body.manifests;
  const size = answer.bytes.byteLength;
  return {
    index: {
      descriptor: { mediaType: MediaType.ociIndex, digest: sha256Digest(answer.bytes), size },
      bytes: answer.bytes,
      truth: { mediaType: MediaType.ociIndex, size, tags: [tag], children: referrers.map((referrer) => referrer.digest) },
    },
    referrers,
  };
}

export interface ReferrerOptions {
  /** The manifest referred to; only its mediaType, digest and size go into the referrer's `subject`. */
  subject: Descriptor;
  artifactType: string;
  /** Content of the single layer, stored with mediaType = artifactType. */
  content: string;
  annotations?: Record<string, string>;
  /** Tags of the referrer itself; default none: pushed by digest, as `oras attach` does. */
  tags?: string[];
  /** Leave the index the tag held before in the registry (untagged) instead of deleting it. */
  keepPreviousIndex?: boolean;
}

export interface PushedReferrer extends ReferrersIndex {
  referrer: PushedManifest;
  /** The index the referrers tag held before this push replaced it; `deleted` unless keepPreviousIndex. */
  replaced?: { digest: string; deleted: boolean };
}

/**
 * Pushes a referrer the way a client does on a registry without the referrers API: the artifact with its
 * `subject`, then the subject's referrers index with the artifact's descriptor appended (never twice),
 * then deletes the index it replaced. Not safe against another client updating the same tag meanwhile.
 */
export async function pushReferrer(registry: SeedTarget, repo: string, options: ReferrerOptions): Promise<PushedReferrer> {
  const { mediaType, digest, size } = options.subject;
  const referrer = await pushArtifact(registry, repo, {
    tags: options.tags ?? [],
    artifactType: options.artifactType,
    content: options.content,
    subject: { mediaType, digest, size },
    ...(options.annotations ? { annotations: options.annotations } : {}),
  });
  const previous = await fetchReferrersIndex(registry, repo, digest);
  const listed = previous?.referrers ?? [];
  if (previous && listed.some((entry) => entry.digest === referrer.descriptor.digest)) return { ...previous, referrer };

  // As the spec has it: artifactType from the manifest (it always has one here) and all its annotations.
  const entry: Descriptor = {
    mediaType: referrer.descriptor.mediaType,
    digest: referrer.descriptor.digest,
    size: referrer.descriptor.size,
    artifactType: options.artifactType,
    ...(options.annotations ? { annotations: options.annotations } : {}),
  };
  const referrers = [...listed, entry];
  const tag = referrersTag(digest);
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: referrers }));
  const pushed = await pushManifestBytes(registry, repo, tag, bytes, MediaType.ociIndex);
  const index: PushedManifest = {
    descriptor: { mediaType: MediaType.ociIndex, digest: pushed.digest, size: pushed.size },
    bytes,
    truth: { mediaType: MediaType.ociIndex, size: pushed.size, tags: [tag], children: referrers.map((item) => item.digest) },
  };
  if (!previous || previous.index.descriptor.digest === pushed.digest) return { index, referrers, referrer };
  const replaced = previous.index.descriptor.digest;
  if (!options.keepPreviousIndex) {
    await expectStatus(registry, 'DELETE', `${baseUrl(registry)}/v2/${repo}/manifests/${replaced}`, 202, {});
  }
  return { index, referrers, referrer, replaced: { digest: replaced, deleted: !options.keepPreviousIndex } };
}

/** `work` on each item, at most `limit` at once. */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
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

  private repo(name: string): RepoTruth {
    return (this.repos[name] ??= { tags: {}, manifests: {}, referrers: {} });
  }

  record(repo: string, pushed: PushedManifest): PushedManifest {
    const repoTruth = this.repo(repo);
    const digest = pushed.descriptor.digest;
    const known = repoTruth.manifests[digest];
    const tags = [...new Set([...(known?.tags ?? []), ...pushed.truth.tags])].sort();
    repoTruth.manifests[digest] = { ...pushed.truth, tags };
    for (const tag of pushed.truth.tags) {
      // A tag that moves (a referrers tag on every referrer pushed) leaves the manifest it was on.
      const before = repoTruth.tags[tag];
      const left = before !== undefined && before !== digest ? repoTruth.manifests[before] : undefined;
      if (left) left.tags = left.tags.filter((other) => other !== tag);
      repoTruth.tags[tag] = digest;
    }
    return pushed;
  }

  /** The referrer, its subject's new referrers index, and the replaced index gone or left untagged. */
  recordReferrer(repo: string, pushed: PushedReferrer): PushedReferrer {
    const subject = pushed.referrer.truth.subject;
    if (!subject) throw new Error(`referrer ${pushed.referrer.descriptor.digest} has no subject`);
    this.record(repo, pushed.referrer);
    this.record(repo, pushed.index);
    const repoTruth = this.repo(repo);
    if (pushed.replaced?.deleted) delete repoTruth.manifests[pushed.replaced.digest];
    repoTruth.referrers[subject] = pushed.referrers;
    return pushed;
  }

  result(): GroundTruth {
    return { repositories: Object.keys(this.repos).sort(), repos: this.repos };
  }
}

/** Artifact types of the seeded referrers. */
export const SBOM_TYPE = 'application/vnd.example.sbom.v1+json';
export const SIGNATURE_TYPE = 'application/vnd.example.signature.v1+json';
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

/**
 * `signed`, referrers the referrers-tag-schema way: v1 has an SBOM (with annotations) and a signature,
 * the SBOM has a signature of its own (listed under the SBOM's referrers tag); v2 has no referrers.
 * The referrers are untagged; the referrers tags `sha256-<hex>` of v1 and of the SBOM are the other tags.
 */
async function seedSigned(url: string, truth: TruthRecorder): Promise<void> {
  const v1 = truth.record('signed', await pushImage(url, 'signed', { tags: ['v1'], created: '2024-07-01T10:00:00Z' }));
  truth.record('signed', await pushImage(url, 'signed', { tags: ['v2'], created: '2024-07-20T10:00:00Z' }));
  const sbom = await pushReferrer(url, 'signed', {
    subject: v1.descriptor,
    artifactType: SBOM_TYPE,
    content: '{"sbom":"signed:v1"}',
    annotations: { 'org.opencontainers.image.created': '2024-07-01T11:00:00Z', 'org.example.sbom.format': 'spdx-json' },
  });
  truth.recordReferrer('signed', sbom);
  truth.recordReferrer('signed', await pushReferrer(url, 'signed', { subject: v1.descriptor, artifactType: SIGNATURE_TYPE, content: 'signature of signed:v1' }));
  truth.recordReferrer(
    'signed',
    await pushReferrer(url, 'signed', { subject: sbom.referrer.descriptor, artifactType: SIGNATURE_TYPE, content: 'signature of the SBOM of signed:v1' }),
  );
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

/** The data every integration test may rely on: 9 repositories, ~80 manifests, 3000 tags in `many`. */
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
  await seedSigned(url, truth);
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
