// The purge planner on repositories built in memory: what goes, what is protected and why, and the
// bytes freed, decided from the contents alone. The registries themselves are exercised by the
// integration tests; here each rule is pinned down on the smallest repository that shows it.
import { describe, expect, it } from 'vitest';
import type { Locks, ManifestEntry, RepositoryContents } from '../../../src/registry/contents.js';
import { planRepository, type PurgeCriteria } from '../../../src/purge/plan.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:00Z');
const daysAgo = (days: number) => new Date(NOW - days * DAY).toISOString();
const digest = (name: string) => `sha256:${Buffer.from(name).toString('hex').padEnd(64, '0').slice(0, 64)}`;

interface Spec {
  tags?: string[];
  age?: number;
  children?: string[];
  subject?: string;
  blobs?: Array<[string, number]>;
  locks?: Locks;
  size?: number;
}

/** A repository of named manifests; a tag's time is its manifest's. */
function repository(specs: Record<string, Spec>, options: { acr?: boolean; locks?: Locks; tagLocks?: Record<string, Locks> } = {}): RepositoryContents {
  const manifests = new Map<string, ManifestEntry>();
  for (const [name, spec] of Object.entries(specs)) {
    manifests.set(digest(name), {
      digest: digest(name),
      mediaType: spec.children ? 'application/vnd.oci.image.index.v1+json' : 'application/vnd.oci.image.manifest.v1+json',
      size: spec.size ?? 100,
      tags: [...(spec.tags ?? [])].sort(),
      ...(spec.age !== undefined ? { time: daysAgo(spec.age), timeSource: options.acr ? ('lastUpdateTime' as const) : ('created' as const) } : {}),
      ...(spec.locks ? { locks: spec.locks } : {}),
      children: (spec.children ?? []).map(digest),
      ...(spec.subject ? { subject: digest(spec.subject) } : {}),
      blobs: (spec.blobs ?? [[`${name}-layer`, 1000]]).map(([blob, size]) => ({ digest: digest(blob), size })),
      read: true,
    });
  }
  const tags = Object.entries(specs).flatMap(([name, spec]) =>
    (spec.tags ?? []).map((tag) => {
      const locks = options.tagLocks?.[tag];
      return {
        name: tag,
        digest: digest(name),
        ...(spec.age !== undefined ? { time: daysAgo(spec.age), timeSource: options.acr ? ('lastUpdateTime' as const) : ('created' as const) } : {}),
        ...(locks ? { locks } : {}),
      };
    }),
  );
  return {
    repository: 'web',
    tags,
    manifests,
    untaggedVisible: options.acr === true,
    canUntag: options.acr === true,
    ...(options.locks ? { locks: options.locks } : {}),
  };
}

function criteria(matched: string[], rest: Partial<PurgeCriteria> = {}): PurgeCriteria {
  return { matchedTags: new Set(matched), untagged: 'none', includeLocked: false, ...rest };
}

const olderThan = (days: number) => ({ cutoff: NOW - days * DAY });
const going = (plan: ReturnType<typeof planRepository>) => Object.fromEntries(plan.manifests.map((manifest) => [manifest.digest, manifest.reason]));
const kept = (plan: ReturnType<typeof planRepository>) => plan.protected.map((item) => [item.tag ?? item.digest, item.protection]);
const LOCKED: Locks = { deleteEnabled: false, writeEnabled: true };

describe('purge plan: tags and time', () => {
  it('removes only the matching tags older than --ago, and on ACR leaves their manifests untagged', () => {
    const plan = planRepository(repository({ a: { tags: ['v1'], age: 40 }, b: { tags: ['v2'], age: 5 }, c: { tags: ['dev'], age: 90 } }, { acr: true }), criteria(['v1', 'v2'], olderThan(30)));
    expect(plan.tags.map((tag) => tag.tag)).toEqual(['v1']);
    expect(plan.manifests).toEqual([]);
    expect(plan.bytesFreed).toBe(0);
  });

  it('keeps the --keep most recent of the tags old enough to go, and says so', () => {
    const contents = repository({ a: { tags: ['v1'], age: 100 }, b: { tags: ['v2'], age: 80 }, c: { tags: ['v3'], age: 60 }, d: { tags: ['v4'], age: 1 } }, { acr: true });
    const plan = planRepository(contents, criteria(['v1', 'v2', 'v3', 'v4'], { ...olderThan(30), keep: 2 }));
    expect(plan.tags.map((tag) => tag.tag)).toEqual(['v1']);
    expect(kept(plan)).toEqual([
      ['v3', 'keep'],
      ['v2', 'keep'],
    ]);
  });

  it('never purges by age what has no time, but with --ago 0d and no --keep times are not consulted', () => {
    const contents = repository({ a: { tags: ['v1'] }, b: { tags: ['v2'], age: 50 } }, { acr: true });
    const byAge = planRepository(contents, criteria(['v1', 'v2'], olderThan(30)));
    expect(byAge.tags.map((tag) => tag.tag)).toEqual(['v2']);
    expect(kept(byAge)).toEqual([['v1', 'no-time']]);
    const anyAge = planRepository(contents, criteria(['v1', 'v2']));
    expect(anyAge.tags.map((tag) => tag.tag)).toEqual(['v1', 'v2']);
    const withKeep = planRepository(contents, criteria(['v1', 'v2'], { keep: 0 }));
    expect(kept(withKeep)).toEqual([['v1', 'no-time']]);
  });

  it('never matches a referrers tag index, whatever the filter', () => {
    const index = `sha256-${'a'.repeat(64)}`;
    const plan = planRepository(repository({ a: { tags: [index], age: 90 } }, { acr: true }), criteria([index]));
    expect(plan.tags).toEqual([]);
  });
});

describe('purge plan: registries that cannot untag', () => {
  it('deletes a manifest only when every tag on it goes, and otherwise names the tag that keeps it', () => {
    const contents = repository({ a: { tags: ['v1', 'latest'], age: 90 }, b: { tags: ['v0'], age: 90 } });
    const plan = planRepository(contents, criteria(['v1', 'v0']));
    expect(going(plan)).toEqual({ [digest('b')]: 'all-tags-purged' });
    expect(plan.tags.map((tag) => tag.tag)).toEqual(['v0']);
    expect(plan.protected).toEqual([expect.objectContaining({ digest: digest('a'), protection: 'other-tags', reason: expect.stringContaining("tag 'latest' stays") })]);
  });

  it('keeps the tags of a manifest that another rule protects (a platform image of a kept index)', () => {
    const contents = repository({ child: { tags: ['amd64'], age: 90 }, index: { tags: ['latest'], children: ['child'], age: 1 } });
    const plan = planRepository(contents, criteria(['amd64']));
    expect(plan.tags).toEqual([]);
    expect(plan.manifests).toEqual([]);
    expect(kept(plan)).toEqual([[digest('child'), 'index-child']]);
  });
});

describe('purge plan: protection', () => {
  it('protects the untagged platform images of a kept index and deletes those of a deleted one with --untagged', () => {
    const contents = repository(
      {
        amd: { age: 90 },
        arm: { age: 90 },
        oldAmd: { age: 90 },
        latest: { tags: ['latest'], children: ['amd', 'arm'], age: 1 },
        old: { tags: ['old'], children: ['oldAmd'], age: 90 },
      },
      { acr: true },
    );
    const plan = planRepository(contents, criteria(['latest', 'old'], { ...olderThan(30), untagged: 'also' }));
    expect(going(plan)).toEqual({ [digest('old')]: 'untagged', [digest('oldAmd')]: 'untagged' });
    expect(kept(plan)).toEqual([
      [digest('amd'), 'index-child'],
      [digest('arm'), 'index-child'],
    ]);
  });

  it('protects the signature of a kept image and takes the signature of a deleted image along', () => {
    const contents = repository({
      kept: { tags: ['v2'], age: 1 },
      gone: { tags: ['v1'], age: 90 },
      keptSig: { subject: 'kept', age: 90 },
      goneSig: { subject: 'gone', age: 1 },
    });
    const plan = planRepository(contents, criteria(['v1', 'v2'], olderThan(30)));
    expect(going(plan)).toEqual({ [digest('gone')]: 'all-tags-purged', [digest('goneSig')]: 'subject-deleted' });
    const untagged = planRepository(contents, criteria(['v1', 'v2'], { ...olderThan(30), untagged: 'also' }));
    expect(going(untagged)).toEqual({ [digest('gone')]: 'all-tags-purged', [digest('goneSig')]: 'subject-deleted' });
    expect(kept(untagged)).toEqual([[digest('keptSig'), 'subject-kept']]);
  });

  it('keeps a subject while a referrer of it stays (a tagged SBOM whose tag does not match)', () => {
    const contents = repository({ image: { tags: ['v1'], age: 90 }, sbom: { tags: ['v1-sbom'], subject: 'image', age: 90 } });
    const plan = planRepository(contents, criteria(['v1']));
    expect(plan.manifests).toEqual([]);
    expect(kept(plan)).toEqual([[digest('image'), 'kept-referrer']]);
  });

  it('chains protection: a kept referrer keeps its subject, which keeps the index listing it out of the children taken along', () => {
    const contents = repository(
      {
        amd: { age: 90 },
        index: { tags: ['v1'], children: ['amd'], age: 90 },
        sig: { subject: 'amd', age: 90, locks: LOCKED },
      },
      { acr: true },
    );
    const plan = planRepository(contents, criteria(['v1'], { untagged: 'also' }));
    // The locked signature stays, so its subject stays; the index may go (its child is kept on its own).
    expect(going(plan)).toEqual({ [digest('index')]: 'untagged' });
    expect(kept(plan)).toEqual([
      [digest('sig'), 'locked'],
      [digest('amd'), 'kept-referrer'],
    ]);
  });

  it('on a registry that cannot show untagged manifests keeps a referrer whose subject it cannot see', () => {
    const contents = repository({ sig: { tags: ['signature'], subject: 'unseen', age: 90 } });
    contents.manifests.delete(digest('unseen'));
    const plan = planRepository(contents, criteria(['signature']));
    expect(kept(plan)).toEqual([[digest('sig'), 'subject-kept']]);
  });

  it('protects locked tags and manifests unless --include-locked, which plans their unlocking', () => {
    const contents = repository({ a: { tags: ['v1'], age: 90 }, b: { age: 90, locks: LOCKED } }, { acr: true, tagLocks: { v1: { deleteEnabled: true, writeEnabled: false } } });
    const plan = planRepository(contents, criteria(['v1'], { untagged: 'also' }));
    expect(plan.tags).toEqual([]);
    expect(kept(plan)).toEqual([
      ['v1', 'locked'],
      [digest('b'), 'locked'],
    ]);
    const unlocked = planRepository(contents, criteria(['v1'], { untagged: 'also', includeLocked: true }));
    expect(unlocked.tags).toEqual([expect.objectContaining({ tag: 'v1', unlock: true })]);
    expect(unlocked.manifests.find((manifest) => manifest.digest === digest('b'))).toMatchObject({ unlock: true, reason: 'untagged' });
  });

  it("protects everything in a locked repository, even with --include-locked", () => {
    const contents = repository({ a: { tags: ['v1'], age: 90 }, b: { age: 90 } }, { acr: true, locks: { deleteEnabled: true, writeEnabled: false } });
    const plan = planRepository(contents, criteria(['v1'], { untagged: 'also', includeLocked: true }));
    expect(plan.tags).toEqual([]);
    expect(plan.manifests).toEqual([]);
    expect(kept(plan).map(([, code]) => code)).toEqual(['repository-locked', 'repository-locked']);
  });
});

describe('purge plan: untagged manifests and bytes', () => {
  it('with --untagged-only removes no tag and judges each free-standing untagged manifest by its own time', () => {
    const contents = repository({ a: { tags: ['v1'], age: 90 }, old: { age: 90 }, fresh: { age: 2 }, timeless: {} }, { acr: true });
    const plan = planRepository(contents, { matchedTags: new Set(), untagged: 'only', includeLocked: false, ...olderThan(30) });
    expect(plan.tags).toEqual([]);
    expect(going(plan)).toEqual({ [digest('old')]: 'untagged' });
    expect(kept(plan)).toEqual([[digest('timeless'), 'no-time']]);
  });

  it('counts a blob shared by deleted manifests once and a blob a kept manifest shares not at all', () => {
    const contents = repository(
      {
        a: { age: 90, size: 10, blobs: [['shared-by-deleted', 1000], ['a-only', 7]] },
        b: { age: 90, size: 20, blobs: [['shared-by-deleted', 1000], ['shared-with-kept', 500]] },
        c: { tags: ['v1'], age: 1, size: 30, blobs: [['shared-with-kept', 500]] },
      },
      { acr: true },
    );
    const plan = planRepository(contents, { matchedTags: new Set(), untagged: 'only', includeLocked: false });
    expect(Object.keys(going(plan)).sort()).toEqual([digest('a'), digest('b')].sort());
    expect(plan.bytesFreed).toBe(10 + 20 + 1000 + 7);
  });

  it('deletes the referrers tag index of a deleted subject once every referrer it lists goes', () => {
    const index = `sha256-${digest('image').slice('sha256:'.length)}`;
    const contents = repository({ image: { tags: ['v1'], age: 90 }, sig: { subject: 'image', age: 1 }, referrers: { tags: [index], children: ['sig'] } });
    const plan = planRepository(contents, criteria(['v1']));
    expect(going(plan)).toEqual({ [digest('image')]: 'all-tags-purged', [digest('sig')]: 'subject-deleted', [digest('referrers')]: 'referrers-index' });
  });
});
