// What a repository holds: its manifests, tagged and untagged, the bytes they reference (shared blobs
// counted once), and the bytes only untagged manifests hold — what `purge --untagged-only` would free.
import type { RepositoryContents } from '../registry/contents.js';
import { planRepository } from './plan.js';
import { totalBytes } from './space.js';

export interface RepositoryUsage {
  repository: string;
  tags: number;
  manifests: number;
  taggedManifests: number;
  untaggedManifests: number;
  sizeBytes: number;
  untaggedBytes: number;
  /** False where untagged manifests cannot be listed (only those a tag leads to are counted). */
  untaggedVisible: boolean;
}

export function repositoryUsage(contents: RepositoryContents): RepositoryUsage {
  const manifests = [...contents.manifests.values()];
  const tagged = manifests.filter((manifest) => manifest.tags.length > 0).length;
  // The same plan `purge --filter 'R:.*' --untagged-only --ago 0d` makes: what it protects is not freed.
  const untaggedOnly = planRepository(contents, { matchedTags: new Set(), untagged: 'only', includeLocked: false });
  return {
    repository: contents.repository,
    tags: contents.tags.length,
    manifests: manifests.length,
    taggedManifests: tagged,
    untaggedManifests: manifests.length - tagged,
    sizeBytes: totalBytes(contents),
    untaggedBytes: untaggedOnly.bytesFreed,
    untaggedVisible: contents.untaggedVisible,
  };
}
