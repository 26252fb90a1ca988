// The purge plan of one repository, decided from its contents alone (no requests): which tags go, which
// manifests go and why, and what is protected and why. Protection is settled as a fixpoint, because one
// kept item keeps others: an index that stays keeps its platform images, a subject that stays keeps
// its signatures, a referrer that stays keeps its subject — and each of those may keep more.
import { isLocked, type ManifestEntry, type RepositoryContents, type TagEntry, type TimeSource } from '../registry/contents.js';
import { compareNames } from '../registry/ordering.js';
import { isReferrersTag, referrersTag } from '../registry/referrers.js';
import { freedBytes } from './space.js';

/** Which untagged manifests go: none, those left without tags too (--untagged), or only them (--untagged-only). */
export type UntaggedMode = 'none' | 'also' | 'only';

export interface PurgeCriteria {
  /** The tags of this repository the filters name (matched whole, referrers tags already left out). */
  matchedTags: ReadonlySet<string>;
  /** Epoch milliseconds: only items older than this go; undefined for any age (--ago 0d). */
  cutoff?: number;
  /** Of the matching tags old enough to go, this many of the most recent stay (--keep). */
  keep?: number;
  untagged: UntaggedMode;
  /** Locked items are unlocked and deleted instead of protected (the repository's own lock still holds). */
  includeLocked: boolean;
}

export type DeletionReason = 'untagged' | 'all-tags-purged' | 'subject-deleted' | 'referrers-index';

export type ProtectionCode = 'index-child' | 'subject-kept' | 'kept-referrer' | 'locked' | 'repository-locked' | 'other-tags' | 'no-time' | 'keep';

interface Timed {
  time?: string;
  timeSource?: TimeSource;
}

export interface PlannedTag extends Timed {
  repository: string;
  tag: string;
  digest: string;
  /** Locked: unlocked first (--include-locked). */
  unlock?: true;
}

export interface PlannedManifest extends Timed {
  repository: string;
  digest: string;
  mediaType: string;
  /** The tags on it now (on registries that cannot untag, they go with it). */
  tags: string[];
  reason: DeletionReason;
  unlock?: true;
}

export interface ProtectedItem {
  repository: string;
  digest: string;
  /** Present when the protection is the tag's own (its time, its lock, --keep). */
  tag?: string;
  protection: ProtectionCode;
  reason: string;
}

export interface RepositoryPlan {
  repository: string;
  tags: PlannedTag[];
  manifests: PlannedManifest[];
  protected: ProtectedItem[];
  bytesFreed: number;
}

export function planRepository(contents: RepositoryContents, criteria: PurgeCriteria): RepositoryPlan {
  return new Planner(contents, criteria).plan();
}

/** A tag index of referrers (`sha256-<hex>`): it lists referrers, not platforms, and no filter names it. */
export function isReferrersIndex(manifest: ManifestEntry): boolean {
  return manifest.tags.length > 0 && manifest.tags.every(isReferrersTag);
}

class Planner {
  private readonly repository: string;
  private readonly manifests: ReadonlyMap<string, ManifestEntry>;
  private readonly protections: ProtectedItem[] = [];
  /** Manifests protected as a whole: never planned again. */
  private readonly keptDigests = new Set<string>();
  private readonly keptTags = new Set<string>();
  private readonly purgedTags = new Map<string, TagEntry>();
  private readonly doomed = new Map<string, DeletionReason>();
  private readonly unlock = new Set<string>();
  private readonly repositoryLocked: boolean;

  constructor(
    private readonly contents: RepositoryContents,
    private readonly criteria: PurgeCriteria,
  ) {
    this.repository = contents.repository;
    this.manifests = contents.manifests;
    this.repositoryLocked = isLocked(contents.locks);
  }

  plan(): RepositoryPlan {
    if (this.criteria.untagged !== 'only') this.chooseTags();
    if (!this.contents.canUntag) this.takeWholeManifests();
    if (this.criteria.untagged !== 'none') this.chooseUntagged();
    this.settleProtection();
    this.addReferrersIndexes();
    return this.result();
  }

  // --- tags ------------------------------------------------------------------------------------

  private chooseTags(): void {
    const { matchedTags, keep } = this.criteria;
    const oldEnough: TagEntry[] = [];
    for (const tag of this.contents.tags) {
      if (!matchedTags.has(tag.name) || isReferrersTag(tag.name)) continue;
      if (this.timeMatters() && tag.time === undefined) {
        this.protectTag(tag, 'no-time', NO_TIME);
        continue;
      }
      if (this.isOld(tag.time)) oldEnough.push(tag);
    }
    // Newest first: --keep keeps the most recent of those about to go.
    oldEnough.sort((a, b) => timeOf(b) - timeOf(a) || compareNames(a.name, b.name));
    const kept = keep === undefined ? [] : oldEnough.slice(0, keep);
    for (const tag of kept) this.protectTag(tag, 'keep', `one of the ${keep} most recent matching tags old enough to go (--keep ${keep})`);
    for (const tag of oldEnough.slice(kept.length)) {
      if (this.repositoryLocked) this.protectTag(tag, 'repository-locked', this.repositoryLockReason());
      else if (isLocked(tag.locks) && !this.criteria.includeLocked) this.protectTag(tag, 'locked', lockReason('the tag', tag.locks));
      else this.purgedTags.set(tag.name, tag);
    }
  }

  /**
   * Where a tag cannot be removed alone, a manifest goes only when every tag on it goes; one tag that
   * stays keeps the manifest and so every other tag on it.
   */
  private takeWholeManifests(): void {
    for (const manifest of this.manifests.values()) {
      const going = manifest.tags.filter((tag) => this.purgedTags.has(tag));
      if (going.length === 0) continue;
      const staying = manifest.tags.filter((tag) => !this.purgedTags.has(tag));
      if (staying.length === 0) {
        this.doom(manifest, 'all-tags-purged');
        continue;
      }
      this.protectManifest(
        manifest,
        'other-tags',
        `tag '${staying[0]}' stays and is on the same manifest; this registry cannot delete ${quoteList(going)} without deleting the manifest and every tag on it`,
      );
    }
  }

  // --- untagged manifests ------------------------------------------------------------------------

  /**
   * Every manifest without tags (left) is a candidate. One that an index lists or that refers to a
   * subject follows that index or subject (settleProtection keeps it with a kept one); one standing
   * alone is judged by its own time, unless it loses its last tag in this plan (judged by the tags').
   */
  private chooseUntagged(): void {
    const dependent = new Set<string>();
    for (const manifest of this.manifests.values()) {
      if (manifest.subject && this.manifests.has(manifest.subject)) dependent.add(manifest.digest);
      if (!isReferrersIndex(manifest)) for (const child of manifest.children) dependent.add(child);
    }
    for (const manifest of this.manifests.values()) {
      if (this.doomed.has(manifest.digest) || this.keptDigests.has(manifest.digest) || isReferrersIndex(manifest)) continue;
      const tagsLeft = manifest.tags.filter((tag) => !this.purgedTags.has(tag));
      if (tagsLeft.length > 0 || (!this.contents.canUntag && manifest.tags.length > 0)) continue;
      if (manifest.tags.length === 0 && !dependent.has(manifest.digest) && this.criteria.cutoff !== undefined) {
        if (manifest.time === undefined) {
          this.protectManifest(manifest, 'no-time', NO_TIME);
          continue;
        }
        if (!this.isOld(manifest.time)) continue;
      }
      this.doom(manifest, 'untagged');
    }
  }

  // --- protection --------------------------------------------------------------------------------

  private settleProtection(): void {
    const referrers = new Map<string, string[]>();
    const parents = new Map<string, string[]>();
    for (const manifest of this.manifests.values()) {
      if (manifest.subject) push(referrers, manifest.subject, manifest.digest);
      if (isReferrersIndex(manifest)) continue;
      for (const child of manifest.children) push(parents, child, manifest.digest);
    }
    let changed = true;
    while (changed) {
      changed = this.takeReferrersAlong(referrers);
      for (const digest of [...this.doomed.keys()]) {
        const manifest = this.manifests.get(digest) as ManifestEntry;
        const protection = this.keeperOf(manifest, parents.get(digest) ?? [], referrers.get(digest) ?? []);
        if (!protection) continue;
        this.doomed.delete(digest);
        this.protectManifest(manifest, protection.code, protection.reason);
        changed = true;
      }
    }
  }

  /** A referrer of a manifest that goes goes first (ACR would delete it with its subject anyway). */
  private takeReferrersAlong(referrers: ReadonlyMap<string, string[]>): boolean {
    let changed = false;
    for (const [subject, list] of referrers) {
      if (!this.doomed.has(subject)) continue;
      for (const digest of list) {
        const referrer = this.manifests.get(digest) as ManifestEntry;
        if (this.doomed.has(digest) || this.keptDigests.has(digest)) continue;
        // A tagged referrer stays (and so keeps its subject) unless its tags go in this plan.
        if (referrer.tags.some((tag) => !this.purgedTags.has(tag) && !isReferrersTag(tag))) continue;
        if (this.doom(referrer, 'subject-deleted')) changed = true;
      }
    }
    return changed;
  }

  /** Why a planned manifest must stay after all, if it must. */
  private keeperOf(manifest: ManifestEntry, parents: readonly string[], referrers: readonly string[]): { code: ProtectionCode; reason: string } | undefined {
    const parent = parents.find((digest) => !this.doomed.has(digest));
    if (parent) return { code: 'index-child', reason: `listed by ${this.describe(parent, 'index')}, which stays (a platform image of a kept multi-platform image)` };
    const subject = manifest.subject;
    if (subject && !this.doomed.has(subject)) {
      if (this.manifests.has(subject)) return { code: 'subject-kept', reason: `refers to ${this.describe(subject, 'manifest')}, which stays` };
      // ACR lists every manifest: a subject it does not list is gone. Elsewhere it may just be unseen.
      if (!this.contents.untaggedVisible) return { code: 'subject-kept', reason: `refers to ${subject}, which this registry cannot show and may still exist` };
    }
    const referrer = referrers.find((digest) => !this.doomed.has(digest));
    if (referrer) return { code: 'kept-referrer', reason: `${this.describe(referrer, 'manifest')} refers to it and stays` };
    return undefined;
  }

  /**
   * The referrers tag index of a subject that goes, once every referrer it lists goes: deleted before
   * them, so no client finds an index naming deleted manifests.
   */
  private addReferrersIndexes(): void {
    const byTag = new Map(this.contents.tags.map((tag) => [tag.name, tag.digest]));
    for (const subject of [...this.doomed.keys()]) {
      const index = this.manifests.get(byTag.get(referrersTag(subject)) ?? '');
      if (!index || !isReferrersIndex(index) || this.doomed.has(index.digest)) continue;
      if (index.children.every((child) => this.doomed.has(child) || !this.manifests.has(child))) this.doomed.set(index.digest, 'referrers-index');
    }
  }

  // --- bookkeeping -------------------------------------------------------------------------------

  /** Plans a manifest's deletion unless a lock stops it; whether it was planned. */
  private doom(manifest: ManifestEntry, reason: DeletionReason): boolean {
    if (this.repositoryLocked) {
      this.protectManifest(manifest, 'repository-locked', this.repositoryLockReason());
      return false;
    }
    if (isLocked(manifest.locks)) {
      if (!this.criteria.includeLocked) {
        this.protectManifest(manifest, 'locked', lockReason('the manifest', manifest.locks));
        return false;
      }
      this.unlock.add(manifest.digest);
    }
    this.doomed.set(manifest.digest, reason);
    return true;
  }

  private protectTag(tag: TagEntry, protection: ProtectionCode, reason: string): void {
    if (this.keptTags.has(tag.name)) return;
    this.keptTags.add(tag.name);
    this.protections.push({ repository: this.repository, digest: tag.digest, tag: tag.name, protection, reason });
  }

  private protectManifest(manifest: ManifestEntry, protection: ProtectionCode, reason: string): void {
    if (this.keptDigests.has(manifest.digest)) return;
    this.keptDigests.add(manifest.digest);
    this.protections.push({ repository: this.repository, digest: manifest.digest, protection, reason });
  }

  private timeMatters(): boolean {
    return this.criteria.cutoff !== undefined || this.criteria.keep !== undefined;
  }

  private isOld(time: string | undefined): boolean {
    const { cutoff } = this.criteria;
    if (cutoff === undefined) return true;
    return time !== undefined && Date.parse(time) < cutoff;
  }

  private repositoryLockReason(): string {
    return `${lockReason(`the repository '${this.repository}'`, this.contents.locks)}; --include-locked does not lift a repository's lock`;
  }

  /** `index sha256:… (web:v1, web:latest)`, or `untagged index sha256:…`. */
  private describe(digest: string, kind: string): string {
    const tags = this.manifests.get(digest)?.tags.filter((tag) => !isReferrersTag(tag)) ?? [];
    return tags.length > 0 ? `${kind} ${digest} (${tags.map((tag) => `${this.repository}:${tag}`).join(', ')})` : `untagged ${kind} ${digest}`;
  }

  private result(): RepositoryPlan {
    const tagsGoing = this.contents.canUntag
      ? [...this.purgedTags.values()]
      : // Where tags go with their manifest, only those whose manifest goes.
        [...this.purgedTags.values()].filter((tag) => this.doomed.has(tag.digest));
    const tags: PlannedTag[] = tagsGoing
      .sort((a, b) => compareNames(a.name, b.name))
      .map((tag) => ({
        repository: this.repository,
        tag: tag.name,
        digest: tag.digest,
        ...timed(tag),
        ...(this.contents.canUntag && isLocked(tag.locks) ? { unlock: true as const } : {}),
      }));
    const manifests: PlannedManifest[] = [...this.doomed]
      .sort(([a], [b]) => compareNames(a, b))
      .map(([digest, chosen]) => {
        const manifest = this.manifests.get(digest) as ManifestEntry;
        // An untagged signature whose image goes says so, however it was chosen.
        const reason = chosen === 'untagged' && manifest.subject !== undefined && this.doomed.has(manifest.subject) ? 'subject-deleted' : chosen;
        return {
          repository: this.repository,
          digest,
          mediaType: manifest.mediaType,
          tags: manifest.tags,
          reason,
          ...timed(manifest),
          ...(this.unlock.has(digest) ? { unlock: true as const } : {}),
        };
      });
    return {
      repository: this.repository,
      tags,
      manifests,
      protected: this.protections,
      bytesFreed: freedBytes(this.contents, new Set(this.doomed.keys())),
    };
  }
}

const NO_TIME = 'the registry tells no time for it (no image config `created` nor org.opencontainers.image.created annotation), so --ago and --keep cannot judge it';

function lockReason(what: string, locks: TagEntry['locks']): string {
  const off = locks ? (['deleteEnabled', 'writeEnabled'] as const).filter((key) => !locks[key]).map((key) => `${key}: false`) : [];
  return `${what} is locked (${off.join(', ')})`;
}

function timeOf(item: Timed): number {
  return item.time === undefined ? Number.NEGATIVE_INFINITY : Date.parse(item.time);
}

function timed(item: Timed): Timed {
  return item.time !== undefined ? { time: item.time, ...(item.timeSource ? { timeSource: item.timeSource } : {}) } : {};
}

function quoteList(names: readonly string[]): string {
  return names.map((name) => `'${name}'`).join(', ');
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
