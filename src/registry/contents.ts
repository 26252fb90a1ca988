// Everything the clean-up commands (purge, show-usage) need to know of one repository, read the same
// way from either side of the registry service: its tags with their times and locks, and its manifests
// with what each refers to (platform children, a subject) and the blobs each holds.

/** An item's lock (ACR's changeableAttributes); absent where the registry has no locks. */
export interface Locks {
  deleteEnabled: boolean;
  writeEnabled: boolean;
}

/** Where an item's time comes from: purge names it in its plan. */
export type TimeSource = 'lastUpdateTime' | 'created';

export interface TagEntry {
  name: string;
  digest: string;
  /** ISO 8601; absent when the registry cannot tell (such a tag is never purged by age). */
  time?: string;
  timeSource?: TimeSource;
  locks?: Locks;
}

export interface BlobEntry {
  digest: string;
  size: number;
}

export interface ManifestEntry {
  digest: string;
  mediaType: string;
  /** Bytes of the manifest itself (0 when unknown). */
  size: number;
  /** Sorted; empty for an untagged manifest. */
  tags: string[];
  time?: string;
  timeSource?: TimeSource;
  locks?: Locks;
  /** The manifests an index lists (its platform images). */
  children: string[];
  /** The manifest this one refers to (a signature's, an SBOM's image). */
  subject?: string;
  /** Config and layers (empty for an index, or when the body was not read). */
  blobs: BlobEntry[];
  /** Whether the body was read: without it, children, subject and blobs are unknown, not empty. */
  read: boolean;
}

export interface RepositoryContents {
  repository: string;
  tags: TagEntry[];
  /** By digest: every manifest the registry lets us see. */
  manifests: Map<string, ManifestEntry>;
  /** ACR lists untagged manifests; the OCI API sees only tagged ones and what they lead to. */
  untaggedVisible: boolean;
  /**
   * Whether one tag can be removed and its manifest kept (ACR). Where it cannot (distribution:
   * deleting a tag deletes the manifest and every tag on it), tags go only with their manifest.
   */
  canUntag: boolean;
  /** The repository's own lock (ACR). */
  locks?: Locks;
}

/** What the reader must fetch beyond the listings. */
export interface ContentsNeeds {
  /**
   * `all`: every manifest's body (blobs for usage, subjects and children for untagged clean-up);
   * `none`: the listings only (tag clean-up on ACR). The OCI side reads bodies either way.
   */
  bodies: 'all' | 'none';
}

/** ACR's changeableAttributes as a lock; undefined where the registry sent none. */
export function locksOf(attributes: unknown): Locks | undefined {
  if (typeof attributes !== 'object' || attributes === null) return undefined;
  const { deleteEnabled, writeEnabled } = attributes as Record<string, unknown>;
  if (typeof deleteEnabled !== 'boolean' && typeof writeEnabled !== 'boolean') return undefined;
  return { deleteEnabled: deleteEnabled !== false, writeEnabled: writeEnabled !== false };
}

/** Locked against deletion: ACR refuses to delete an item whose deleteEnabled or writeEnabled is false. */
export function isLocked(locks: Locks | undefined): boolean {
  return locks !== undefined && (!locks.deleteEnabled || !locks.writeEnabled);
}
