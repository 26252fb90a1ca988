// Seeds the benchmark's repositories: N tags over N / tagsPerImage distinct images, each image its own
// config (its own `created`) over one shared layer. Images go in through the registry API. The further
// tags (the bulk) are made the way distribution itself records a tag: its two link files, laid out as
// the registry laid out the first tag it was sent (checked before, and the API's answers after).
// distribution 2.8 takes ~600 tag PUTs a second on a 2-core machine (~3 minutes for 100,000 tags);
// the files take seconds. ACRX_BENCH_SEED=api puts every tag through the API instead.
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { request } from 'undici';
import { MediaType, pushBlob, pushImage, pushManifestBytes, type Descriptor, type SeedTarget } from '../test/support/seed.js';

const API_PARALLELISM = 16;

export interface SeedPlan {
  repository: string;
  tags: number;
  /** Tags per manifest: tag i points at image i mod (tags / tagsPerImage). */
  tagsPerImage: number;
}

export interface SeededRepository {
  repository: string;
  tags: string[];
  images: number;
  /** Tags made as files rather than PUTs. */
  linkedTags: number;
}

/** build-000000, build-000001, ...: names sort the way they were made. */
export function tagName(index: number): string {
  return `build-${String(index).padStart(6, '0')}`;
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

function baseUrl(target: SeedTarget): string {
  return typeof target === 'string' ? target : target.url;
}

async function get(target: SeedTarget, pathname: string, accept: string): Promise<{ status: number; digest?: string; body: string }> {
  const access = typeof target === 'string' ? { url: target } : target;
  const response = await request(new URL(pathname, access.url), {
    headers: { accept, ...access.headers },
    ...(access.dispatcher ? { dispatcher: access.dispatcher } : {}),
  });
  const digest = response.headers['docker-content-digest'];
  return { status: response.statusCode, ...(typeof digest === 'string' ? { digest } : {}), body: await response.body.text() };
}

/** Where distribution's filesystem driver keeps a tag: `current/link` and `index/sha256/HEX/link`. */
function tagDir(storageDir: string, repository: string, tag: string): string {
  return path.join(storageDir, 'docker', 'registry', 'v2', 'repositories', repository, '_manifests', 'tags', tag);
}

/** Whether the registry wrote `tag` where and how the file shortcut expects it. */
async function layoutMatches(storageDir: string, repository: string, tag: string, digest: string): Promise<boolean> {
  const dir = tagDir(storageDir, repository, tag);
  const hex = digest.slice('sha256:'.length);
  try {
    const current = await readFile(path.join(dir, 'current', 'link'), 'utf8');
    const indexed = await readFile(path.join(dir, 'index', 'sha256', hex, 'link'), 'utf8');
    return current === digest && indexed === digest;
  } catch {
    return false;
  }
}

// Synchronous: on tmpfs each call is a few microseconds, less than a trip through libuv's thread pool.
function linkTag(storageDir: string, repository: string, tag: string, digest: string): void {
  const dir = tagDir(storageDir, repository, tag);
  const indexDir = path.join(dir, 'index', 'sha256', digest.slice('sha256:'.length));
  mkdirSync(indexDir, { recursive: true });
  mkdirSync(path.join(dir, 'current'));
  writeFileSync(path.join(dir, 'current', 'link'), digest);
  writeFileSync(path.join(indexDir, 'link'), digest);
}

export async function seedRepository(target: SeedTarget, storageDir: string, plan: SeedPlan): Promise<SeededRepository> {
  const { repository } = plan;
  const imageCount = Math.max(1, Math.ceil(plan.tags / plan.tagsPerImage));
  const tags = Array.from({ length: plan.tags }, (_, index) => tagName(index));
  // A real image first, for its real (tar) layer; the other images share that layer.
  const first = await pushImage(target, repository, { tags: [tagName(0)], created: createdAt(0) });
  const layer = (JSON.parse(Buffer.from(first.bytes).toString('utf8')) as { layers: Descriptor[] }).layers[0];
  if (!layer) throw new Error('pushImage made an image without a layer');
  const images: Array<{ digest: string; bytes: Uint8Array }> = [{ digest: first.descriptor.digest, bytes: first.bytes }];
  const rest = Array.from({ length: imageCount - 1 }, (_, index) => index + 1);
  const pushed = new Map<number, { digest: string; bytes: Uint8Array }>();
  await inParallel(rest, API_PARALLELISM, async (k) => {
    const config = { architecture: 'amd64', os: 'linux', created: createdAt(k), rootfs: { type: 'layers', diff_ids: [layer.digest] }, config: {} };
    const configDescriptor = await pushBlob(target, repository, Buffer.from(JSON.stringify(config)), MediaType.ociConfig);
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: configDescriptor, layers: [layer] }));
    // Tag i belongs to image i % imageCount, so the image's first tag is tag k.
    const { digest } = await pushManifestBytes(target, repository, tagName(k), bytes, MediaType.ociManifest);
    pushed.set(k, { digest, bytes });
  });
  for (const k of rest) images.push(pushed.get(k) as { digest: string; bytes: Uint8Array });

  const bulk = tags.slice(imageCount);
  const imageOf = (tag: string): { digest: string; bytes: Uint8Array } => images[Number(tag.slice('build-'.length)) % imageCount] as { digest: string; bytes: Uint8Array };
  const byFiles = process.env.ACRX_BENCH_SEED !== 'api' && (await layoutMatches(storageDir, repository, tagName(0), first.descriptor.digest));
  if (byFiles) {
    for (const tag of bulk) linkTag(storageDir, repository, tag, imageOf(tag).digest);
  } else {
    await inParallel(bulk, API_PARALLELISM, async (tag) => {
      await pushManifestBytes(target, repository, tag, imageOf(tag).bytes, MediaType.ociManifest);
    });
  }
  await checkSeeded(target, repository, tags, imageOf);
  return { repository, tags, images: imageCount, linkedTags: byFiles ? bulk.length : 0 };
}

/** The registry itself must list every tag and resolve a bulk tag to its image. */
async function checkSeeded(target: SeedTarget, repository: string, tags: string[], imageOf: (tag: string) => { digest: string }): Promise<void> {
  const listed = await get(target, `/v2/${repository}/tags/list`, 'application/json');
  const count = (JSON.parse(listed.body) as { tags?: string[] }).tags?.length ?? 0;
  if (listed.status !== 200 || count !== tags.length) {
    throw new Error(`${baseUrl(target)} lists ${count} tags of ${repository} (HTTP ${listed.status}), ${tags.length} were seeded`);
  }
  const last = tags[tags.length - 1] as string;
  const manifest = await get(target, `/v2/${repository}/manifests/${last}`, MediaType.ociManifest);
  if (manifest.status !== 200 || manifest.digest !== imageOf(last).digest) {
    throw new Error(`${repository}:${last} resolves to ${manifest.digest ?? `HTTP ${manifest.status}`}, seeded as ${imageOf(last).digest}`);
  }
}

/** One minute apart from 2024-01-01, so every image has its own config and its own time. */
function createdAt(image: number): string {
  return new Date(Date.UTC(2024, 0, 1) + image * 60_000).toISOString().replace('.000Z', 'Z');
}
