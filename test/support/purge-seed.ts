// Scenario builders for the purge and show-usage tests, on top of seed.ts: images with several layers
// (some shared), multi-arch indexes with untagged platform children, signatures and SBOMs (the referrers
// tag schema on distribution, the referrers API through the ACR look-alike), images with old config
// `created` times, re-pushed tags. Every builder records what it pushed in a `Truth`: digests, tags,
// times, and the blobs (digest and size) each manifest holds, so a test computes the plan and the bytes
// it expects from what was pushed, never from acrx's own code.
import { request, type Dispatcher } from 'undici';
import {
  MediaType,
  pushArtifact,
  pushBlob,
  pushManifestBytes,
  pushReferrer,
  referrersTag,
  sha256Digest,
  type Descriptor,
  type PushedManifest,
  type SeedTarget,
} from './seed.js';

export const DAY_MS = 86_400_000;

/** A time `days` days before `from` (default now), to the second. */
export function daysAgo(days: number, from = Date.now()): Date {
  return new Date(Math.floor((from - days * DAY_MS) / 1000) * 1000);
}

/** RFC 3339 to the second, as image configs carry it: 2024-01-10T10:00:00Z. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface Blob {
  digest: string;
  size: number;
}

export type ItemKind = 'image' | 'index' | 'artifact' | 'referrers-index';

/** One manifest as pushed. */
export interface Item {
  repository: string;
  digest: string;
  mediaType: string;
  /** Length of the manifest bytes. */
  size: number;
  kind: ItemKind;
  /** The time acrx reads on an OCI registry: the config's `created`, else the manifest's created annotation. */
  created?: string;
  /** Config and layers, each once, in manifest order; none for an index. */
  blobs: Blob[];
  /** An index's manifests (a referrers tag index: its referrers). */
  children: string[];
  subject?: string;
  artifactType?: string;
  architecture?: string;
  os?: string;
  descriptor: Descriptor;
}

interface RepoState {
  items: Map<string, Item>;
  tags: Map<string, string>;
}

/** What is in the registry, as the builders pushed it (and as tests tell it about later changes). */
export class Truth {
  private readonly repos = new Map<string, RepoState>();

  private repo(name: string): RepoState {
    let state = this.repos.get(name);
    if (!state) {
      state = { items: new Map(), tags: new Map() };
      this.repos.set(name, state);
    }
    return state;
  }

  /** Records a manifest; each tag moves to it (leaving the manifest it was on, as a push does). */
  add(item: Item, tags: string[] = []): Item {
    const state = this.repo(item.repository);
    state.items.set(item.digest, item);
    for (const tag of tags) state.tags.set(tag, item.digest);
    return item;
  }

  /** A manifest gone from the registry, with every tag on it. */
  remove(repository: string, digest: string): void {
    const state = this.repo(repository);
    state.items.delete(digest);
    for (const [tag, target] of [...state.tags]) if (target === digest) state.tags.delete(tag);
  }

  untag(repository: string, tag: string): void {
    this.repo(repository).tags.delete(tag);
  }

  repositories(): string[] {
    return [...this.repos.keys()].filter((name) => (this.repos.get(name)?.items.size ?? 0) > 0).sort();
  }

  items(repository: string): Item[] {
    return [...this.repo(repository).items.values()];
  }

  item(repository: string, digest: string): Item {
    const item = this.repo(repository).items.get(digest);
    if (!item) throw new Error(`no manifest ${repository}@${digest} in the ground truth`);
    return item;
  }

  has(repository: string, digest: string): boolean {
    return this.repo(repository).items.has(digest);
  }

  /** tag → digest, sorted by tag. */
  tags(repository: string): Record<string, string> {
    return Object.fromEntries([...this.repo(repository).tags].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  tagsOf(repository: string, digest: string): string[] {
    return [...this.repo(repository).tags].filter(([, target]) => target === digest).map(([tag]) => tag).sort();
  }

  digestOf(repository: string, tag: string): string {
    const digest = this.repo(repository).tags.get(tag);
    if (!digest) throw new Error(`no tag ${repository}:${tag} in the ground truth`);
    return digest;
  }

  /** What OCI listings can reach: tagged manifests and, recursively, the manifests their indexes list. */
  visible(repository: string): Item[] {
    const state = this.repo(repository);
    const seen = new Set<string>();
    const queue = [...new Set(state.tags.values())];
    for (let digest = queue.shift(); digest !== undefined; digest = queue.shift()) {
      const item = state.items.get(digest);
      if (!item || seen.has(digest)) continue;
      seen.add(digest);
      queue.push(...item.children);
    }
    return [...seen].map((digest) => state.items.get(digest) as Item);
  }

  /** Copy, so a test can keep the state before a purge. */
  clone(): Truth {
    const copy = new Truth();
    for (const [name, state] of this.repos) {
      copy.repos.set(name, { items: new Map(state.items), tags: new Map(state.tags) });
    }
    return copy;
  }
}

/** The digests a manifest holds in storage: its own bytes, its config and its layers. */
export function holds(item: Item): Blob[] {
  return [{ digest: item.digest, size: item.size }, ...item.blobs];
}

function union(items: Iterable<Item>): Map<string, number> {
  const found = new Map<string, number>();
  for (const item of items) for (const blob of holds(item)) found.set(blob.digest, blob.size);
  return found;
}

/**
 * Per repository: the digests the deleted manifests hold and no surviving one (of `survivors`, default
 * every other manifest of the truth) holds, each once; summed over repositories.
 */
export function freedBlobs(truth: Truth, deleted: Array<{ repository: string; digest: string }>, survivors?: (repository: string) => Item[]): Map<string, Map<string, number>> {
  const byRepo = new Map<string, Set<string>>();
  for (const { repository, digest } of deleted) {
    let set = byRepo.get(repository);
    if (!set) byRepo.set(repository, (set = new Set()));
    set.add(digest);
  }
  const result = new Map<string, Map<string, number>>();
  for (const [repository, digests] of byRepo) {
    const gone = union([...digests].map((digest) => truth.item(repository, digest)));
    const kept = union((survivors ? survivors(repository) : truth.items(repository)).filter((item) => !digests.has(item.digest)));
    result.set(repository, new Map([...gone].filter(([digest]) => !kept.has(digest))));
  }
  return result;
}

export function bytesFreed(truth: Truth, deleted: Array<{ repository: string; digest: string }>, survivors?: (repository: string) => Item[]): number {
  let total = 0;
  for (const blobs of freedBlobs(truth, deleted, survivors).values()) for (const size of blobs.values()) total += size;
  return total;
}

/** Bytes of the distinct digests a set of manifests holds. */
export function bytesHeld(items: Iterable<Item>): number {
  let total = 0;
  for (const size of union(items).values()) total += size;
  return total;
}

// --- content -------------------------------------------------------------------------------------

/** Deterministic bytes that do not compress away: `size` bytes derived from `seed`. */
export function layerBytes(seed: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  let block = Buffer.from(seed);
  for (let offset = 0; offset < size; offset += 32) {
    block = Buffer.from(sha256Digest(Buffer.concat([block, Buffer.from(seed)])).slice(7), 'hex');
    block.copy(out, offset, 0, Math.min(32, size - offset));
  }
  return out;
}

function blobsOf(bytes: Uint8Array): Blob[] {
  const body = JSON.parse(Buffer.from(bytes).toString('utf8')) as { config?: Blob; layers?: Blob[] };
  const blobs = new Map<string, number>();
  for (const blob of [...(body.config ? [body.config] : []), ...(body.layers ?? [])]) blobs.set(blob.digest, blob.size);
  return [...blobs].map(([digest, size]) => ({ digest, size }));
}

function itemOf(repository: string, pushed: PushedManifest, kind: ItemKind, extra: Partial<Item> = {}): Item {
  return {
    repository,
    digest: pushed.descriptor.digest,
    mediaType: pushed.descriptor.mediaType,
    size: pushed.descriptor.size,
    kind,
    blobs: kind === 'index' || kind === 'referrers-index' ? [] : blobsOf(pushed.bytes),
    children: pushed.truth.children ?? [],
    ...(pushed.truth.subject ? { subject: pushed.truth.subject } : {}),
    ...(pushed.truth.artifactType ? { artifactType: pushed.truth.artifactType } : {}),
    descriptor: pushed.descriptor,
    ...extra,
  };
}

async function putTagged(target: SeedTarget, repo: string, tags: string[], bytes: Uint8Array, mediaType: string): Promise<string> {
  if (tags.length === 0) return (await pushManifestBytes(target, repo, sha256Digest(bytes), bytes, mediaType)).digest;
  let digest = '';
  for (const tag of tags) digest = (await pushManifestBytes(target, repo, tag, bytes, mediaType)).digest;
  return digest;
}

// --- builders ------------------------------------------------------------------------------------

export interface ImageSpec {
  /** [] pushes by digest: an untagged image. */
  tags: string[];
  /** The config's `created`; null leaves it out (an image without a time, unless `annotationCreated`). */
  created?: Date | string | null;
  /** `org.opencontainers.image.created` in the manifest's annotations. */
  annotationCreated?: Date | string;
  architecture?: string;
  os?: string;
  /** Layers first in the image, e.g. a base layer shared with other images. */
  sharedLayers?: Buffer[];
  /** Size of the image's own layer (its content is unique to repository, tags, time and `salt`); 0: none. */
  ownLayerSize?: number;
  /** Makes the image's own content differ from an otherwise equal one (a rebuild). */
  salt?: string;
}

function timeText(value: Date | string): string {
  return typeof value === 'string' ? value : rfc3339(value);
}

/** An OCI image with a config and its layers, recorded in `truth` (its tags move to it). */
export async function image(target: SeedTarget, truth: Truth, repo: string, spec: ImageSpec): Promise<Item> {
  const architecture = spec.architecture ?? 'amd64';
  const os = spec.os ?? 'linux';
  const created = spec.created === null ? undefined : timeText(spec.created ?? '2024-01-01T00:00:00Z');
  const layers: Descriptor[] = [];
  for (const bytes of spec.sharedLayers ?? []) layers.push(await pushBlob(target, repo, bytes, MediaType.ociLayer));
  const ownSize = spec.ownLayerSize ?? 3000;
  if (ownSize > 0) {
    const seed = `${repo} ${spec.tags.join(',')} ${created ?? 'no time'} ${os}/${architecture} ${spec.salt ?? ''}`;
    layers.push(await pushBlob(target, repo, layerBytes(seed, ownSize), MediaType.ociLayer));
  }
  const config = {
    architecture,
    os,
    ...(created ? { created } : {}),
    rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.digest) },
    config: { Labels: { 'org.example.salt': `${repo} ${spec.tags.join(',')} ${spec.salt ?? ''}` } },
  };
  const configDescriptor = await pushBlob(target, repo, Buffer.from(JSON.stringify(config)), MediaType.ociConfig);
  const annotation = spec.annotationCreated !== undefined ? timeText(spec.annotationCreated) : undefined;
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: configDescriptor,
    layers,
    ...(annotation ? { annotations: { 'org.opencontainers.image.created': annotation } } : {}),
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const digest = await putTagged(target, repo, spec.tags, bytes, MediaType.ociManifest);
  const time = created ?? annotation;
  return truth.add(
    {
      repository: repo,
      digest,
      mediaType: MediaType.ociManifest,
      size: bytes.byteLength,
      kind: 'image',
      ...(time ? { created: time } : {}),
      blobs: blobsOf(bytes),
      children: [],
      architecture,
      os,
      descriptor: { mediaType: MediaType.ociManifest, digest, size: bytes.byteLength },
    },
    spec.tags,
  );
}

export interface MultiArchSpec {
  tags: string[];
  /** The children's config `created`; the index itself has no time. */
  created?: Date | string;
  /** Default amd64 and arm64. */
  architectures?: string[];
  sharedLayers?: Buffer[];
  salt?: string;
}

/** Untagged platform images (pushed by digest) under a tagged OCI index. */
export async function multiArch(target: SeedTarget, truth: Truth, repo: string, spec: MultiArchSpec): Promise<{ index: Item; children: Item[] }> {
  const children: Item[] = [];
  for (const architecture of spec.architectures ?? ['amd64', 'arm64']) {
    children.push(
      await image(target, truth, repo, {
        tags: [],
        architecture,
        created: spec.created ?? '2024-01-01T00:00:00Z',
        ...(spec.sharedLayers ? { sharedLayers: spec.sharedLayers } : {}),
        salt: `${spec.tags.join(',')} ${spec.salt ?? ''}`,
      }),
    );
  }
  const index = await indexOf(target, truth, repo, spec.tags, children);
  return { index, children };
}

/** An OCI index (no time) over manifests already pushed, e.g. children shared with another index. */
export async function indexOf(target: SeedTarget, truth: Truth, repo: string, tags: string[], children: Item[]): Promise<Item> {
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: children.map((child) => ({ ...child.descriptor, platform: { architecture: child.architecture ?? 'unknown', os: child.os ?? 'unknown' } })),
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const digest = await putTagged(target, repo, tags, bytes, MediaType.ociIndex);
  return truth.add(
    {
      repository: repo,
      digest,
      mediaType: MediaType.ociIndex,
      size: bytes.byteLength,
      kind: 'index',
      blobs: [],
      children: children.map((child) => child.digest),
      descriptor: { mediaType: MediaType.ociIndex, digest, size: bytes.byteLength },
    },
    tags,
  );
}

export const SIGNATURE_TYPE = 'application/vnd.example.signature.v1+json';
export const SBOM_TYPE = 'application/spdx+json';

export interface ReferrerSpec {
  /** `tags`: the referrers tag schema (a registry without the referrers API); `api`: pushed with `subject` only. */
  schema: 'tags' | 'api';
  /** Also sign the SBOM (a referrer of a referrer). */
  signSbom?: boolean;
  /** Makes the referrers' content unique when a subject is signed twice. */
  salt?: string;
}

export interface Referrers {
  signature: Item;
  sbom: Item;
  sbomSignature?: Item;
  /** The referrers tag indexes now in the registry (schema `tags`): the subject's, and the SBOM's if signed. */
  indexes: Item[];
}

async function referrer(target: SeedTarget, truth: Truth, repo: string, subject: Item, artifactType: string, content: string, schema: ReferrerSpec['schema']): Promise<{ item: Item; index?: Item }> {
  if (schema === 'api') {
    const pushed = await pushArtifact(target, repo, { tags: [], artifactType, content, subject: subject.descriptor });
    return { item: truth.add(itemOf(repo, pushed, 'artifact')) };
  }
  const pushed = await pushReferrer(target, repo, { subject: subject.descriptor, artifactType, content });
  const item = truth.add(itemOf(repo, pushed.referrer, 'artifact'));
  if (pushed.replaced) truth.remove(repo, pushed.replaced.digest);
  const index = truth.add(itemOf(repo, pushed.index, 'referrers-index'), [referrersTag(subject.digest)]);
  return { item, index };
}

/** A signature and an SBOM of `subject` (and a signature of the SBOM): untagged artifacts without a time. */
export async function signAndSbom(target: SeedTarget, truth: Truth, repo: string, subject: Item, spec: ReferrerSpec): Promise<Referrers> {
  const salt = spec.salt ?? '';
  const signature = await referrer(target, truth, repo, subject, SIGNATURE_TYPE, `signature of ${repo}@${subject.digest} ${salt}`, spec.schema);
  const sbom = await referrer(target, truth, repo, subject, SBOM_TYPE, `{"sbom":"${repo}@${subject.digest}","salt":"${salt}"}`, spec.schema);
  const result: Referrers = { signature: signature.item, sbom: sbom.item, indexes: [] };
  if (sbom.index) result.indexes.push(sbom.index);
  if (spec.signSbom) {
    const sbomSignature = await referrer(target, truth, repo, sbom.item, SIGNATURE_TYPE, `signature of the SBOM ${sbom.item.digest} ${salt}`, spec.schema);
    result.sbomSignature = sbomSignature.item;
    if (sbomSignature.index) result.indexes.push(sbomSignature.index);
  }
  return result;
}

/** An artifact (no config `created`, so no time) with tags, e.g. a model or a chart. */
export async function artifact(target: SeedTarget, truth: Truth, repo: string, tags: string[], content: string, artifactType = 'application/vnd.example.thing.v1'): Promise<Item> {
  const pushed = await pushArtifact(target, repo, { tags, artifactType, content });
  return truth.add(itemOf(repo, pushed, 'artifact'), tags);
}

/** The empty config every artifact holds. */

// --- reading the registry directly ---------------------------------------------------------------

const ACCEPT = [MediaType.ociIndex, MediaType.ociManifest, MediaType.dockerManifest, 'application/vnd.docker.distribution.manifest.list.v2+json'].join(', ');

async function call(target: SeedTarget, method: 'GET' | 'HEAD', path: string): Promise<{ status: number; body: string }> {
  const url = typeof target === 'string' ? target : target.url;
  const headers: Record<string, string> = { accept: ACCEPT, ...(typeof target === 'string' ? {} : target.headers) };
  const dispatcher: Dispatcher | undefined = typeof target === 'string' ? undefined : target.dispatcher;
  const answer = await request(`${url}${path}`, { method, headers, ...(dispatcher ? { dispatcher } : {}) });
  return { status: answer.statusCode, body: await answer.body.text() };
}

/** Tags as the registry lists them (/v2/R/tags/list, one page), sorted; [] for an unknown repository. */
export async function listTags(target: SeedTarget, repo: string): Promise<string[]> {
  const answer = await call(target, 'GET', `/v2/${repo}/tags/list?n=10000`);
  if (answer.status === 404) return [];
  if (answer.status !== 200) throw new Error(`GET /v2/${repo}/tags/list answered ${answer.status}: ${answer.body}`);
  return [...((JSON.parse(answer.body) as { tags?: string[] | null }).tags ?? [])].sort();
}

export async function manifestExists(target: SeedTarget, repo: string, digest: string): Promise<boolean> {
  const answer = await call(target, 'HEAD', `/v2/${repo}/manifests/${digest}`);
  if (answer.status !== 200 && answer.status !== 404) throw new Error(`HEAD /v2/${repo}/manifests/${digest} answered ${answer.status}`);
  return answer.status === 200;
}

export interface RegistryState {
  /** repository → sorted tags */
  tags: Record<string, string[]>;
  /** `repository@digest` of every manifest of the truth still in the registry, sorted. */
  present: string[];
  /** `repository@digest` of every manifest of the truth no longer in the registry, sorted. */
  gone: string[];
}

/** Every manifest the truth knows of, checked in the registry by digest, and every repository's tags. */
export async function registryState(target: SeedTarget, truth: Truth): Promise<RegistryState> {
  const state: RegistryState = { tags: {}, present: [], gone: [] };
  for (const repository of truth.repositories()) {
    state.tags[repository] = await listTags(target, repository);
    for (const item of truth.items(repository)) {
      (await manifestExists(target, repository, item.digest) ? state.present : state.gone).push(`${repository}@${item.digest}`);
    }
  }
  state.present.sort();
  state.gone.sort();
  return state;
}
