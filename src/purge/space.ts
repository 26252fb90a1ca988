// Bytes a repository's manifests hold, with each digest (a manifest itself, a config, a layer) counted
// once however many manifests share it: a layer two images share is stored once, and deleting one of
// them frees nothing of it.
import type { ManifestEntry, RepositoryContents } from '../registry/contents.js';

/** Every digest a manifest holds with its size: the manifest's own bytes, then its config and layers. */
function heldBy(manifest: ManifestEntry): Array<{ digest: string; size: number }> {
  return [{ digest: manifest.digest, size: manifest.size }, ...manifest.blobs];
}

/** The bytes of every distinct digest the repository's manifests hold. */
export function totalBytes(contents: RepositoryContents): number {
  return sumDistinct([...contents.manifests.values()].flatMap(heldBy), () => true);
}

/** The bytes deleting `deleted` frees: what those manifests hold and no manifest that stays holds. */
export function freedBytes(contents: RepositoryContents, deleted: ReadonlySet<string>): number {
  const kept = new Set<string>();
  for (const manifest of contents.manifests.values()) {
    if (deleted.has(manifest.digest)) continue;
    for (const item of heldBy(manifest)) kept.add(item.digest);
  }
  const going = [...deleted].flatMap((digest) => {
    const manifest = contents.manifests.get(digest);
    return manifest ? heldBy(manifest) : [];
  });
  return sumDistinct(going, (digest) => !kept.has(digest));
}

function sumDistinct(items: ReadonlyArray<{ digest: string; size: number }>, counts: (digest: string) => boolean): number {
  const seen = new Set<string>();
  let total = 0;
  for (const { digest, size } of items) {
    if (seen.has(digest) || !counts(digest)) continue;
    seen.add(digest);
    total += size;
  }
  return total;
}
