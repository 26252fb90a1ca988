// Repository-wide views built from per-tag requests, for registries without a metadata API:
// which tag points at which manifest, and what each manifest is.
import type { Descriptor, RegistryClient } from './client.js';
import type { JsonObject, ManifestAttributes } from './attributes.js';
import { describeManifest } from './describe.js';
import { sortNames } from './ordering.js';

export interface Progress {
  (text: string): void;
}

export interface TagMap {
  tags: string[];
  byTag: Map<string, Descriptor>;
  /** Tags of each digest, sorted by name. */
  byDigest: Map<string, string[]>;
}

export interface Reporting {
  progress?: Progress;
  warn?: (message: string) => void;
}

/** Lists every tag and resolves each to its digest (one HEAD per tag, bounded in parallel). */
export async function mapTags(client: RegistryClient, repository: string, reporting: Reporting = {}): Promise<TagMap> {
  const { progress, warn } = reporting;
  const listed = sortNames(await client.listTags(repository, (count) => progress?.(`listing tags of ${repository}: ${count}`)));
  const byTag = await client.resolveTags(repository, listed, {
    onProgress: (done) => progress?.(`resolving tags of ${repository}: ${done}/${listed.length}`),
    onVanished: (tag) => warn?.(`tag '${repository}:${tag}' was listed but is gone (deleted meanwhile?); it is left out`),
  });
  const tags = listed.filter((tag) => byTag.has(tag));
  const byDigest = new Map<string, string[]>();
  for (const tag of tags) {
    const digest = (byTag.get(tag) as Descriptor).digest;
    byDigest.set(digest, [...(byDigest.get(digest) ?? []), tag]);
  }
  return { tags, byTag, byDigest };
}

/** Fetches and describes each manifest once, however many tags point at it. */
export async function describeDigests(
  client: RegistryClient,
  repository: string,
  digests: readonly string[],
  reporting: Reporting = {},
): Promise<Map<string, ManifestAttributes>> {
  const { progress, warn = () => undefined } = reporting;
  let done = 0;
  const details = await client.mapConcurrent(digests, async (digest) => {
    const document = await client.fetchManifest({ repository, digest });
    const detail = await describeManifest(client, repository, document, warn);
    progress?.(`reading manifests of ${repository}: ${++done}/${digests.length}`);
    return detail;
  });
  return new Map(digests.map((digest, index) => [digest, details[index] as ManifestAttributes]));
}

/** The manifests themselves, as JSON, a bounded number at a time, in the order of `digests`. */
export async function readManifests(client: RegistryClient, repository: string, digests: readonly string[], progress?: Progress): Promise<JsonObject[]> {
  let done = 0;
  return client.mapConcurrent(digests, async (digest) => {
    const document = await client.fetchManifest({ repository, digest });
    progress?.(`reading manifests of ${repository}: ${++done}/${digests.length}`);
    return document.json;
  });
}
