// Repository-wide views built from per-tag requests, for registries without a metadata API: which tag
// points at which manifest, and what each manifest is. The work is the registry's floor: the tag list,
// one manifest GET per tag, and one GET per distinct image config.
import type { JsonObject, ManifestAttributes } from './attributes.js';
import type { Descriptor, ManifestDocument, RegistryClient } from './client.js';
import { describeManifest, type ConfigReader } from './describe.js';
import { sortNames } from './ordering.js';

export interface Progress {
  (text: string): void;
}

export interface TagMap {
  tags: string[];
  byTag: Map<string, Descriptor>;
  /** Tags of each digest, sorted by name. */
  byDigest: Map<string, string[]>;
  /** Each distinct manifest, as its first tag's GET answered it. */
  documents: Map<string, ManifestDocument>;
}

export interface Reporting {
  progress?: Progress;
  warn?: (message: string) => void;
}

/** Lists every tag and reads each tag's manifest (bounded in parallel), keeping one document per digest. */
export async function mapTags(client: RegistryClient, repository: string, reporting: Reporting = {}): Promise<TagMap> {
  const { progress, warn } = reporting;
  const listed = sortNames(await client.listTags(repository, (count) => progress?.(`listing tags of ${repository}: ${count}`)));
  const documents = new Map<string, ManifestDocument>();
  const byTag = await client.resolveTags(repository, listed, {
    onProgress: (done) => progress?.(`reading the manifests of ${repository}: ${done}/${listed.length}`),
    onVanished: (tag) => warn?.(`tag '${repository}:${tag}' was listed but is gone (deleted meanwhile?); it is left out`),
    onManifest: (_tag, document) => {
      if (!documents.has(document.descriptor.digest)) documents.set(document.descriptor.digest, document);
    },
  });
  const tags = listed.filter((tag) => byTag.has(tag));
  const byDigest = new Map<string, string[]>();
  for (const tag of tags) {
    const digest = (byTag.get(tag) as Descriptor).digest;
    const onDigest = byDigest.get(digest);
    if (onDigest) onDigest.push(tag);
    else byDigest.set(digest, [tag]);
  }
  return { tags, byTag, byDigest, documents };
}

/** Describes each manifest already read; every distinct image config is fetched once. */
export async function describeDocuments(
  client: RegistryClient,
  repository: string,
  documents: ReadonlyMap<string, ManifestDocument>,
  reporting: Reporting = {},
): Promise<Map<string, ManifestAttributes>> {
  const { progress, warn = () => undefined } = reporting;
  const configs: ConfigReader = sharedConfigReader(client, repository);
  let done = 0;
  const entries = [...documents.entries()];
  const details = await client.mapConcurrent(entries, async ([, document]) => {
    const detail = await describeManifest(client, repository, document, warn, configs);
    progress?.(`reading image configs of ${repository}: ${++done}/${entries.length}`);
    return detail;
  });
  return new Map(entries.map(([digest], index) => [digest, details[index] as ManifestAttributes]));
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

/** Reads each config blob once, however many manifests share it (images re-tagged, rebuilt layers). */
function sharedConfigReader(client: RegistryClient, repository: string): ConfigReader {
  const read = new Map<string, Promise<unknown>>();
  return (config) => {
    let pending = read.get(config.digest);
    if (!pending) {
      pending = client.fetchJsonBlob(repository, config);
      read.set(config.digest, pending);
    }
    return pending;
  };
}
