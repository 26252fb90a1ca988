// The order deletions run in: a manifest waits for the referrers that go with it (a signature never
// outlives its image, even for a moment a crash could make permanent) and for the indexes in the plan
// that list it (a multi-platform image never points at a deleted platform image).
import type { RepositoryContents } from '../registry/contents.js';
import type { PlannedManifest } from './plan.js';

export interface DeletionOrder {
  /** Level by level: everything in one level may run at once, after every earlier level. */
  levels: PlannedManifest[][];
  /** By `repository@digest`: the planned manifests that must be deleted first. */
  waitsFor: Map<string, string[]>;
}

export function manifestKey(manifest: { repository: string; digest: string }): string {
  return `${manifest.repository}@${manifest.digest}`;
}

export function deletionOrder(manifests: readonly PlannedManifest[], contentsOf: (repository: string) => RepositoryContents): DeletionOrder {
  const planned = new Map(manifests.map((manifest) => [manifestKey(manifest), manifest]));
  const waitsFor = new Map<string, string[]>();
  for (const manifest of manifests) waitsFor.set(manifestKey(manifest), []);
  for (const manifest of manifests) {
    const entry = contentsOf(manifest.repository).manifests.get(manifest.digest);
    if (!entry) continue;
    const key = manifestKey(manifest);
    // This manifest's subject and children wait for it.
    for (const before of [entry.subject, ...entry.children]) {
      const other = before === undefined ? undefined : `${manifest.repository}@${before}`;
      if (other !== undefined && other !== key && planned.has(other)) waitsFor.get(other)?.push(key);
    }
  }
  const level = new Map<string, number>();
  const levelOf = (key: string, path: Set<string>): number => {
    const known = level.get(key);
    if (known !== undefined) return known;
    // Digests cannot form a cycle; a registry answering one anyway gets it broken here.
    if (path.has(key)) return 0;
    path.add(key);
    const value = Math.max(-1, ...(waitsFor.get(key) ?? []).map((other) => levelOf(other, path))) + 1;
    path.delete(key);
    level.set(key, value);
    return value;
  };
  const levels: PlannedManifest[][] = [];
  for (const [key, manifest] of planned) {
    const index = levelOf(key, new Set());
    (levels[index] ??= []).push(manifest);
  }
  return { levels: levels.filter((items) => items.length > 0), waitsFor };
}
