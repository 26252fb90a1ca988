// Referrers: the manifests whose `subject` is a given manifest (signatures, SBOMs, attestations).
import type { ReferrerDescriptor } from './attributes.js';

/**
 * The referrers tag schema of the distribution spec: `<alg>-<encoded>` (algorithm cut to 32
 * characters, encoded digest to 64), the tag under which clients keep an index of a manifest's
 * referrers on registries without the referrers API.
 */
export function referrersTag(digest: string): string {
  const colon = digest.indexOf(':');
  return `${digest.slice(0, colon).slice(0, 32)}-${digest.slice(colon + 1).slice(0, 64)}`;
}

/** Whether a tag is a referrers tag schema index (`sha256-<hex>`), not a name someone gave. */
export function isReferrersTag(tag: string): boolean {
  return /^[a-z0-9]{1,32}-[a-f0-9]{64}$/.test(tag);
}

export interface ReferrerQuery {
  /** Only referrers of this artifact type, at the first level (az passes no filter further down). */
  artifactType?: string;
  /** Follow referrers of referrers to every depth, as az's --recursive does. */
  recursive?: boolean;
}

/**
 * The referrers of `digest`, then (recursive) those of each referrer found, appended breadth first in
 * the order az lists them. A digest is visited once, so a registry answering in circles cannot loop.
 */
export async function collectReferrers(
  list: (digest: string, artifactType?: string) => Promise<ReferrerDescriptor[]>,
  digest: string,
  query: ReferrerQuery,
): Promise<ReferrerDescriptor[]> {
  const first = await list(digest, query.artifactType);
  // Registries that apply the filter send only matches; filtering again changes nothing for them.
  const found = query.artifactType === undefined ? first : first.filter((referrer) => referrer.artifactType === query.artifactType);
  if (!query.recursive) return found;
  const visited = new Set([digest]);
  for (let index = 0; index < found.length; index++) {
    const next = (found[index] as ReferrerDescriptor).digest;
    if (visited.has(next)) continue;
    visited.add(next);
    found.push(...(await list(next)));
  }
  return found;
}
