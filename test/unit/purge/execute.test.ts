// Carrying out a purge plan: the deletion order (referrers before their subject, an index before its
// children), each item's result, and what happens around failures and interruptions.
import { describe, expect, it } from 'vitest';
import { NotFoundError, RegistryError } from '../../../src/errors.js';
import { executePlan, type ItemResult } from '../../../src/purge/execute.js';
import { deletionOrder } from '../../../src/purge/order.js';
import type { PlannedManifest, PlannedTag } from '../../../src/purge/plan.js';
import type { ManifestEntry, RepositoryContents } from '../../../src/registry/contents.js';

function entry(digest: string, facts: { children?: string[]; subject?: string } = {}): ManifestEntry {
  return { digest, mediaType: 'x', size: 1, tags: [], children: facts.children ?? [], ...(facts.subject ? { subject: facts.subject } : {}), blobs: [], read: true };
}

// index → image ← signature ← countersignature; a platform image under the index; all planned.
const CONTENTS: RepositoryContents = {
  repository: 'web',
  tags: [],
  manifests: new Map(
    [
      entry('image'),
      entry('index', { children: ['image', 'platform'] }),
      entry('platform'),
      entry('signature', { subject: 'image' }),
      entry('countersignature', { subject: 'signature' }),
    ].map((item) => [item.digest, item]),
  ),
  untaggedVisible: true,
  canUntag: true,
};

const planned = (digest: string): PlannedManifest => ({ repository: 'web', digest, mediaType: 'x', tags: [], reason: 'untagged' });
const ALL = ['image', 'platform', 'index', 'signature', 'countersignature'].map(planned);

describe('purge deletion order', () => {
  it('puts referrers before their subject and an index before its children, level by level', () => {
    const order = deletionOrder(ALL, () => CONTENTS);
    const levels = order.levels.map((level) => level.map((manifest) => manifest.digest).sort());
    expect(levels).toEqual([['countersignature', 'index'], ['platform', 'signature'], ['image']]);
  });
});

describe('purge execution', () => {
  const tags: PlannedTag[] = [{ repository: 'web', tag: 'v1', digest: 'image' }];
  const run = (deleteManifest: (digest: string) => Promise<void>, options: { stopAfter?: number; concurrency?: number } = {}) => {
    const calls: string[] = [];
    let count = 0;
    const results = executePlan(
      tags,
      deletionOrder(ALL, () => CONTENTS),
      {
        untag: async (tag) => {
          calls.push(`untag ${tag.tag}`);
        },
        deleteManifest: async (manifest) => {
          calls.push(manifest.digest);
          count++;
          await deleteManifest(manifest.digest);
        },
      },
      { concurrency: options.concurrency ?? 1, stopped: () => options.stopAfter !== undefined && count >= options.stopAfter, tagsGoWithManifests: () => false },
    );
    return { calls, results };
  };
  const statusOf = (results: ItemResult[]) => Object.fromEntries(results.map((result) => [result.name, result.status]));

  it('removes the tags first, then deletes every manifest in order, and counts a manifest already gone as done', async () => {
    const { calls, results } = run(async (digest) => {
      if (digest === 'platform') throw new NotFoundError('gone');
    });
    expect(statusOf(await results)).toEqual({ v1: 'untagged', countersignature: 'deleted', index: 'deleted', platform: 'already-gone', signature: 'deleted', image: 'deleted' });
    expect(calls[0]).toBe('untag v1');
    expect(calls.indexOf('image')).toBeGreaterThan(calls.indexOf('signature'));
    expect(calls.indexOf('signature')).toBeGreaterThan(calls.indexOf('countersignature'));
  });

  it('does not delete a subject whose referrer failed to go, and reports both', async () => {
    const { calls, results } = run(async (digest) => {
      if (digest === 'signature') throw new RegistryError('HTTP 500');
    });
    const outcome = await results;
    expect(statusOf(outcome)).toMatchObject({ signature: 'failed', image: 'not-started', platform: 'deleted' });
    expect(outcome.find((result) => result.name === 'image')?.error).toContain('web@signature');
    expect(calls).not.toContain('image');
  });

  it('starts nothing new once stopped, and marks the rest not started', async () => {
    const { calls, results } = run(async () => undefined, { stopAfter: 2 });
    const outcome = await results;
    expect(calls.filter((call) => !call.startsWith('untag'))).toHaveLength(2);
    expect(outcome.filter((result) => result.status === 'not-started').map((result) => result.name).sort()).toEqual(['image', 'platform', 'signature']);
  });

  it('where tags go with their manifest, reports each tag as its manifest ended', async () => {
    const results = await executePlan(
      [{ repository: 'web', tag: 'v1', digest: 'image' }],
      deletionOrder([planned('image')], () => CONTENTS),
      { untag: () => Promise.reject(new Error('never called')), deleteManifest: () => Promise.reject(new RegistryError('refused')) },
      { concurrency: 2, stopped: () => false, tagsGoWithManifests: () => true },
    );
    expect(results).toEqual([
      { repository: 'web', kind: 'manifest', name: 'image', status: 'failed', error: 'refused' },
      { repository: 'web', kind: 'tag', name: 'v1', status: 'failed', error: 'refused' },
    ]);
  });
});
