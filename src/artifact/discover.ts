// The referrers graph of a manifest: its referrers, theirs, and so on (to --depth), in the shape
// `oras discover --format json` prints: every node with its reference and its own `manifests`.
import type { ImageReference } from '../reference/image.js';
import type { RegistryService } from '../registry/service/types.js';
import type { ReferrerNode } from './referrer-tree.js';

export interface DiscoverOptions {
  artifactType?: string;
  /** Levels of referrers to follow; undefined follows them all. */
  depth?: number;
}

export async function discoverReferrers(service: RegistryService, image: ImageReference, options: DiscoverOptions): Promise<ReferrerNode> {
  const subject = (await service.fetchManifest(image)).descriptor;
  const name = `${service.loginServer}/${image.repository}`;
  const visited = new Set([subject.digest]);
  const children = async (digest: string, level: number): Promise<ReferrerNode[]> => {
    if (options.depth !== undefined && level > options.depth) return [];
    const query = options.artifactType !== undefined ? { artifactType: options.artifactType } : {};
    const referrers = await service.listReferrers(image.repository, digest, query);
    const nodes: ReferrerNode[] = [];
    for (const referrer of referrers) {
      // A digest is followed once: a registry answering in circles cannot loop.
      if (visited.has(referrer.digest)) continue;
      visited.add(referrer.digest);
      nodes.push({
        reference: `${name}@${referrer.digest}`,
        mediaType: referrer.mediaType,
        digest: referrer.digest,
        size: referrer.size,
        ...(referrer.artifactType ? { artifactType: referrer.artifactType } : {}),
        ...(referrer.annotations ? { annotations: referrer.annotations } : {}),
        manifests: await children(referrer.digest, level + 1),
      });
    }
    return nodes;
  };
  return { reference: `${name}@${subject.digest}`, mediaType: subject.mediaType, digest: subject.digest, size: subject.size, manifests: await children(subject.digest, 1) };
}
