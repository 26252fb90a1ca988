// Carries out a purge plan: tags first, then manifests level by level (deletion order), up to
// `concurrency` at once. Every item gets a result; an item gone already counts as done, so a rerun
// after a failure or an interruption picks up where the last run stopped. Once `stopped()` says so,
// nothing new starts and what is in flight finishes.
import { AcrxError, NotFoundError } from '../errors.js';
import { manifestKey, type DeletionOrder } from './order.js';
import type { PlannedManifest, PlannedTag } from './plan.js';

export type ItemStatus = 'deleted' | 'untagged' | 'already-gone' | 'failed' | 'not-started';

export interface ItemResult {
  repository: string;
  kind: 'tag' | 'manifest';
  /** The tag, or the manifest's digest. */
  name: string;
  status: ItemStatus;
  error?: string;
}

/** The requests a purge makes; `unlock` lifts the item's lock first (--include-locked). */
export interface PurgeActions {
  untag(tag: PlannedTag): Promise<void>;
  deleteManifest(manifest: PlannedManifest): Promise<void>;
}

export interface ExecutionOptions {
  concurrency: number;
  /** True once the user interrupted: nothing new starts. */
  stopped(): boolean;
  /** Whether a repository's tags go with their manifests (no untag on this registry). */
  tagsGoWithManifests(repository: string): boolean;
  /** Told of each result as it comes. */
  onResult?(result: ItemResult): void;
}

const DONE: ReadonlySet<ItemStatus> = new Set(['deleted', 'untagged', 'already-gone']);

export function isDone(result: ItemResult): boolean {
  return DONE.has(result.status);
}

export async function executePlan(tags: readonly PlannedTag[], order: DeletionOrder, actions: PurgeActions, options: ExecutionOptions): Promise<ItemResult[]> {
  const untagged = tags.filter((tag) => !options.tagsGoWithManifests(tag.repository));
  const tagResults = await runPool(
    untagged,
    options,
    (tag) => outcome(tag.repository, 'tag', tag.tag, 'untagged', () => actions.untag(tag)),
    (tag) => notStarted(tag.repository, 'tag', tag.tag),
  );

  const byKey = new Map<string, ItemResult>();
  for (const level of order.levels) {
    const results = await runPool(
      level,
      options,
      (manifest) => {
        const blocker = (order.waitsFor.get(manifestKey(manifest)) ?? []).find((key) => !isDone(byKey.get(key) as ItemResult));
        if (blocker) {
          return Promise.resolve({ ...notStarted(manifest.repository, 'manifest', manifest.digest), error: `waits for ${blocker}, which was not deleted` });
        }
        return outcome(manifest.repository, 'manifest', manifest.digest, 'deleted', () => actions.deleteManifest(manifest));
      },
      (manifest) => notStarted(manifest.repository, 'manifest', manifest.digest),
    );
    level.forEach((manifest, index) => byKey.set(manifestKey(manifest), results[index] as ItemResult));
  }

  // Where tags go with their manifest, each tag ends as its manifest did.
  const withManifests = tags
    .filter((tag) => options.tagsGoWithManifests(tag.repository))
    .map((tag) => {
      const manifest = byKey.get(manifestKey(tag));
      const status = manifest?.status ?? 'not-started';
      const result: ItemResult = { repository: tag.repository, kind: 'tag', name: tag.tag, status, ...(manifest?.error ? { error: manifest.error } : {}) };
      options.onResult?.(result);
      return result;
    });
  return [...tagResults, ...[...byKey.values()], ...withManifests];
}

async function outcome(repository: string, kind: ItemResult['kind'], name: string, success: ItemStatus, action: () => Promise<void>): Promise<ItemResult> {
  try {
    await action();
    return { repository, kind, name, status: success };
  } catch (error) {
    if (error instanceof NotFoundError) return { repository, kind, name, status: 'already-gone' };
    if (!(error instanceof AcrxError)) throw error;
    return { repository, kind, name, status: 'failed', error: error.message };
  }
}

function notStarted(repository: string, kind: ItemResult['kind'], name: string): ItemResult {
  return { repository, kind, name, status: 'not-started' };
}

/** Every item's result in input order, each told as it comes; once `stopped()` holds, items get `skipped(item)`. */
async function runPool<T>(
  items: readonly T[],
  options: Pick<ExecutionOptions, 'concurrency' | 'stopped' | 'onResult'>,
  run: (item: T) => Promise<ItemResult>,
  skipped: (item: T) => ItemResult,
): Promise<ItemResult[]> {
  const results = new Array<ItemResult>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const item = items[index] as T;
      const result = options.stopped() ? skipped(item) : await run(item);
      options.onResult?.(result);
      results[index] = result;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, items.length)) }, worker));
  return results;
}
