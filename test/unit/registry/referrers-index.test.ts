import { describe, expect, it } from 'vitest';
import { addToReferrersIndex, removeFromReferrersIndex, type IndexState, type IndexStore } from '../../../src/registry/referrers-index.js';
import type { ReferrerDescriptor } from '../../../src/registry/attributes.js';
import { referrersTag } from '../../../src/registry/referrers.js';

const SUBJECT = `sha256:${'1'.repeat(64)}`;
const referrer = (n: number): ReferrerDescriptor => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${String(n).repeat(64)}`, size: n });

/** An index kept in memory, as a registry keeps a tag: last write wins, unless If-Match says otherwise. */
function memoryStore(honoursIfMatch: boolean) {
  let state: IndexState | undefined;
  let version = 0;
  const discarded: string[] = [];
  const store: IndexStore & { interfere?: () => void; afterRead?: () => void } = {
    read: async (tag) => {
      expect(tag).toBe(referrersTag(SUBJECT));
      const seen = state && { ...state, referrers: [...state.referrers] };
      store.afterRead?.();
      return seen;
    },
    write: async (_tag, bytes, ifMatch) => {
      store.interfere?.();
      if (honoursIfMatch && ifMatch !== undefined && state && ifMatch !== state.etag) return undefined;
      const referrers = (JSON.parse(bytes.toString()) as { manifests: ReferrerDescriptor[] }).manifests;
      state = { digest: `v${++version}`, referrers, etag: `e${version}` };
      return state.digest;
    },
    discard: async (digest) => {
      discarded.push(digest);
      // Deleting a manifest by digest takes its tag with it, as distribution does.
      if (state?.digest === digest) state = undefined;
    },
  };
  return { store, discarded, set: (referrers: ReferrerDescriptor[]) => (state = { digest: `v${++version}`, referrers, etag: `e${version}` }), get: () => state };
}

const noWait = async () => undefined;

describe('the referrers tag schema index', () => {
  it('creates the index for the first referrer and adds later ones once', async () => {
    const { store, get } = memoryStore(false);
    await addToReferrersIndex(store, SUBJECT, referrer(2), noWait);
    await addToReferrersIndex(store, SUBJECT, referrer(3), noWait);
    await addToReferrersIndex(store, SUBJECT, referrer(3), noWait);
    expect(get()?.referrers.map((r) => r.size)).toEqual([2, 3]);
  });

  it("does not lose a concurrent writer's entry: the write that overwrote it is merged again", async () => {
    const { store, set, get } = memoryStore(false);
    set([referrer(2)]);
    let interfered = false;
    // Between our read and our write, another client adds its referrer; our write then overwrites it.
    store.interfere = () => {
      if (interfered) return;
      interfered = true;
      set([referrer(2), referrer(4)]);
    };
    await addToReferrersIndex(store, SUBJECT, referrer(3), noWait);
    // Ours is there; theirs was lost by our first write — the other client's own check puts it back:
    await addToReferrersIndex(store, SUBJECT, referrer(4), noWait);
    expect(get()?.referrers.map((r) => r.size).sort()).toEqual([2, 3, 4]);
  });

  it('merges again when the registry refuses a write over a version that changed (If-Match)', async () => {
    const { store, set, get } = memoryStore(true);
    set([referrer(2)]);
    let interfered = false;
    store.interfere = () => {
      if (interfered) return;
      interfered = true;
      set([referrer(2), referrer(4)]);
    };
    await addToReferrersIndex(store, SUBJECT, referrer(3), noWait);
    expect(get()?.referrers.map((r) => r.size)).toEqual([2, 4, 3]);
  });

  it('removes a deleted referrer and discards the superseded index manifest', async () => {
    const { store, set, get, discarded } = memoryStore(false);
    set([referrer(2), referrer(3)]);
    const before = get()?.digest;
    await removeFromReferrersIndex(store, SUBJECT, referrer(2).digest, noWait);
    expect(get()?.referrers.map((r) => r.size)).toEqual([3]);
    expect(discarded).toEqual([before]);
  });

  it('deletes the index when its last referrer goes, instead of leaving an empty one', async () => {
    const { store, set, get, discarded } = memoryStore(false);
    set([referrer(2)]);
    const before = get()?.digest;
    await removeFromReferrersIndex(store, SUBJECT, referrer(2).digest, noWait);
    expect(get()).toBeUndefined();
    expect(discarded).toEqual([before]);
  });

  it('looks again after a pause, and merges again when a writer that read before our write wrote over it after our check', async () => {
    const { store, set, get } = memoryStore(false);
    set([referrer(2)]);
    let reads = 0;
    // Read 1 is ours before the write, read 2 our check; right after it the other writer, who read
    // [2] before our write, writes [2, 4] over ours.
    store.afterRead = () => {
      if (++reads === 2) set([referrer(2), referrer(4)]);
    };
    const pauses: number[] = [];
    await addToReferrersIndex(store, SUBJECT, referrer(3), async (ms) => void pauses.push(ms));
    expect(get()?.referrers.map((r) => r.size)).toEqual([2, 4, 3]);
    expect(pauses.length).toBeGreaterThanOrEqual(2);
  });
});
