// Reads what the clean-up commands need of one repository (contents.ts), from either side: ACR's
// metadata listings (every manifest, tagged or not, with times and locks) plus the manifest bodies, or,
// on any other registry, the tags and every manifest they lead to (platform images, referrers listed
// by a referrers tag index) with the images' created times.
import { NotFoundError } from '../errors.js';
import type { AcrClient } from './acr.js';
import type { ManifestDocument, RegistryClient } from './client.js';
import { locksOf, type BlobEntry, type ContentsNeeds, type ManifestEntry, type RepositoryContents, type TagEntry } from './contents.js';
import { describeDocuments, mapTags, type Reporting } from './inventory.js';
import { sortNames } from './ordering.js';

/** What a manifest's body says it holds and refers to. */
export function bodyFacts(document: ManifestDocument): Pick<ManifestEntry, 'children' | 'subject' | 'blobs' | 'size' | 'read'> {
  const { body } = document;
  const blobs: BlobEntry[] = [];
  for (const blob of [body.config, ...(Array.isArray(body.layers) ? body.layers : [])]) {
    if (blob && typeof blob.digest === 'string' && typeof blob.size === 'number') blobs.push({ digest: blob.digest, size: blob.size });
  }
  const children = Array.isArray(body.manifests) ? body.manifests.filter((child) => typeof child?.digest === 'string').map((child) => child.digest) : [];
  const subject = typeof body.subject?.digest === 'string' ? body.subject.digest : undefined;
  return { children, ...(subject ? { subject } : {}), blobs, size: document.descriptor.size, read: true };
}

/** ACR: the metadata listings, and the bodies when asked (blobs to count, subjects to protect). */
export async function readAcrContents(acr: AcrClient, oci: RegistryClient, repository: string, needs: ContentsNeeds, reporting: Reporting = {}): Promise<RepositoryContents> {
  const [tagList, manifestList, attributes] = await Promise.all([
    acr.listTags(repository),
    acr.listManifests(repository),
    acr.getRepository(repository),
  ]);
  const tags: TagEntry[] = tagList
    .filter((tag) => typeof tag.digest === 'string')
    .map((tag) => {
      const locks = locksOf(tag.changeableAttributes);
      return {
        name: tag.name,
        digest: tag.digest as string,
        ...(tag.lastUpdateTime ? { time: tag.lastUpdateTime, timeSource: 'lastUpdateTime' as const } : {}),
        ...(locks ? { locks } : {}),
      };
    });
  const manifests = new Map<string, ManifestEntry>();
  for (const listed of manifestList) {
    const locks = locksOf(listed.changeableAttributes);
    manifests.set(listed.digest, {
      digest: listed.digest,
      mediaType: listed.mediaType ?? '',
      size: 0,
      tags: sortNames(listed.tags ?? []),
      ...(listed.lastUpdateTime ? { time: listed.lastUpdateTime, timeSource: 'lastUpdateTime' as const } : {}),
      ...(locks ? { locks } : {}),
      children: (listed.references ?? []).map((reference) => reference.digest),
      blobs: [],
      read: false,
    });
  }
  if (needs.bodies === 'all') {
    const entries = [...manifests.values()];
    let done = 0;
    await oci.mapConcurrent(entries, async (entry) => {
      try {
        Object.assign(entry, bodyFacts(await oci.fetchManifest({ repository, digest: entry.digest })));
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        // Deleted since the listing: nothing of it is left to count or protect.
        manifests.delete(entry.digest);
      }
      reporting.progress?.(`reading the manifests of ${repository}: ${++done}/${entries.length}`);
    });
  }
  const locks = locksOf(attributes.changeableAttributes);
  return {
    repository,
    tags,
    manifests,
    untaggedVisible: true,
    canUntag: true,
    ...(locks ? { locks } : {}),
  };
}

/**
 * Any registry: every tag's manifest, then whatever the indexes among them list (platform images, and
 * the referrers a `sha256-<hex>` tag index names), to every depth; each image's created time from its
 * config, else its `org.opencontainers.image.created` annotation.
 */
export async function readOciContents(client: RegistryClient, repository: string, reporting: Reporting = {}): Promise<RepositoryContents> {
  const { tags: names, byTag, byDigest, documents } = await mapTags(client, repository, reporting);
  let pending = childrenToRead(documents.values(), documents);
  while (pending.length > 0) {
    const read = await client.mapConcurrent(pending, async (digest) => {
      try {
        return await client.fetchManifest({ repository, digest });
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        reporting.warn?.(`an index of '${repository}' lists ${digest}, which the registry does not have; it is left out`);
        return undefined;
      }
    });
    const found = read.filter((document): document is ManifestDocument => document !== undefined);
    for (const document of found) documents.set(document.descriptor.digest, document);
    pending = childrenToRead(found, documents, pending);
  }
  const manifests = await ociEntries(client, repository, documents, byDigest, reporting);
  const tags: TagEntry[] = names.map((name) => {
    const entry = manifests.get(byTag.get(name)?.digest ?? '') as ManifestEntry;
    return { name, digest: entry.digest, ...(entry.time ? { time: entry.time, timeSource: 'created' as const } : {}) };
  });
  return { repository, tags, manifests, untaggedVisible: false, canUntag: false };
}

/**
 * Referrers of `subjects` the contents do not hold yet (found through the referrers API, else the tag
 * schema), read and added; how many were added.
 */
export async function addOciReferrers(client: RegistryClient, contents: RepositoryContents, subjects: readonly string[], reporting: Reporting = {}): Promise<number> {
  const { repository, manifests } = contents;
  const listed = await client.mapConcurrent(subjects, (subject) => client.listReferrers(repository, subject));
  const unknown = [...new Set(listed.flat().map((referrer) => referrer.digest))].filter((digest) => !manifests.has(digest));
  const documents = new Map<string, ManifestDocument>();
  await client.mapConcurrent(unknown, async (digest) => {
    try {
      documents.set(digest, await client.fetchManifest({ repository, digest }));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      reporting.warn?.(`a referrer ${digest} of '${repository}' is listed but gone; it is left out`);
    }
  });
  for (const [digest, entry] of await ociEntries(client, repository, documents, new Map(), reporting)) manifests.set(digest, entry);
  return documents.size;
}

/** Entries of manifests read through the OCI API, each image's time from its config or annotation. */
async function ociEntries(
  client: RegistryClient,
  repository: string,
  documents: ReadonlyMap<string, ManifestDocument>,
  tagsOf: ReadonlyMap<string, string[]>,
  reporting: Reporting,
): Promise<Map<string, ManifestEntry>> {
  const details = await describeDocuments(client, repository, documents, reporting);
  const manifests = new Map<string, ManifestEntry>();
  for (const [digest, document] of documents) {
    const time = details.get(digest)?.createdTime;
    manifests.set(digest, {
      digest,
      mediaType: document.descriptor.mediaType,
      tags: tagsOf.get(digest) ?? [],
      ...(time ? { time, timeSource: 'created' as const } : {}),
      ...bodyFacts(document),
    });
  }
  return manifests;
}

/** Children of `documents` not read yet (and not already being read). */
function childrenToRead(documents: Iterable<ManifestDocument>, known: ReadonlyMap<string, ManifestDocument>, reading: readonly string[] = []): string[] {
  const tried = new Set(reading);
  const wanted = new Set<string>();
  for (const document of documents) {
    for (const child of bodyFacts(document).children) {
      if (!known.has(child) && !tried.has(child)) wanted.add(child);
    }
  }
  return [...wanted];
}
