// The referrers tag schema of the distribution spec, for registries without the referrers API: the
// referrers of `alg:hex` are listed in an image index under the tag `alg-hex`. Whoever pushes or
// deletes a referrer there keeps that index up to date, without losing what a concurrent writer added:
// read, merge, write (If-Match where the registry honours it), read again to check, retry.
import { ManifestChangedError, NotFoundError, RefusedError, RegistryError } from '../errors.js';
import { isJsonObject, type JsonValue, type ReferrerDescriptor } from './attributes.js';
import { referrersTag } from './referrers.js';
import type { ArtifactStore } from './service/types.js';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

export interface IndexState {
  /** The index manifest's own digest. */
  digest: string;
  referrers: ReferrerDescriptor[];
  /** The registry's ETag of it, to write with If-Match. */
  etag?: string;
}

/** What keeping the index needs of the registry. */
export interface IndexStore {
  /** The index under `tag`, or undefined when there is none. */
  read(tag: string): Promise<IndexState | undefined>;
  /**
   * PUT the index under `tag`; with `ifMatch`, only over that version. The new index's digest, or
   * undefined when the registry refused because the index changed meanwhile (412).
   */
  write(tag: string, bytes: Buffer, ifMatch?: string): Promise<string | undefined>;
  /** Removes a superseded index manifest by digest; a registry that refuses is not an error here. */
  discard(digest: string): Promise<void>;
}

const ATTEMPTS = 5;

export function indexBytes(referrers: readonly ReferrerDescriptor[]): Buffer {
  return Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: referrers }));
}

/** Adds `entry` to the index of `subject`'s referrers; done when a re-read shows it there. */
export async function addToReferrersIndex(store: IndexStore, subject: string, entry: ReferrerDescriptor, sleep = pause): Promise<void> {
  await updateIndex(store, subject, (current) => (current.some((item) => item.digest === entry.digest) ? undefined : [...current, entry]), sleep);
}

/** Takes `digest` out of the index of `subject`'s referrers (a deleted referrer). */
export async function removeFromReferrersIndex(store: IndexStore, subject: string, digest: string, sleep = pause): Promise<void> {
  await updateIndex(store, subject, (current) => (current.some((item) => item.digest === digest) ? current.filter((item) => item.digest !== digest) : undefined), sleep);
}

type Change = (current: readonly ReferrerDescriptor[]) => ReferrerDescriptor[] | undefined;

/**
 * A writer that read the index before our write can still write over it after our check: without
 * If-Match (distribution 2.8 ignores it) nothing prevents that, so the check is made again after this
 * pause, by which time such a writer (one PUT behind its read) has written. Narrows the race between
 * processes to writers stalled longer than this; it cannot close it.
 */
const SETTLE_MS = 200;

/**
 * `change` answers the new list, or undefined when the current one already says what it should.
 * A writer that overwrote another's change in between is caught by the checks after the write: the
 * loop then merges again on top of what is there now.
 */
async function updateIndex(store: IndexStore, subject: string, change: Change, sleep: (ms: number) => Promise<void>): Promise<void> {
  const tag = referrersTag(subject);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const outcome = await changeOnce(store, tag, change);
    if (outcome === 'unchanged') return;
    if (outcome === 'changed') {
      await sleep(SETTLE_MS);
      if (holds(await store.read(tag), change)) return;
    } else {
      await sleep(50 * 2 ** attempt);
    }
  }
  throw new RegistryError(`the referrers index '${tag}' kept changing under concurrent writers; it was not updated`);
}

/** One read-merge-write: `unchanged` (it already held), `changed` (written and read back), or `lost` (overwritten or refused). */
async function changeOnce(store: IndexStore, tag: string, change: Change): Promise<'unchanged' | 'changed' | 'lost'> {
  const current = await store.read(tag);
  const wanted = change(current?.referrers ?? []);
  if (wanted === undefined) return 'unchanged';
  if (wanted.length === 0 && current) {
    // The last referrer went: the index goes too (deleting by digest leaves a newer version alone).
    await store.discard(current.digest);
    return holds(await store.read(tag), change) ? 'changed' : 'lost';
  }
  const written = await store.write(tag, indexBytes(wanted), current?.etag);
  if (written === undefined || !holds(await store.read(tag), change)) return 'lost';
  if (current && current.digest !== written) await store.discard(current.digest);
  return 'changed';
}

function holds(state: IndexState | undefined, change: Change): boolean {
  return change(state?.referrers ?? []) === undefined;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The referrers indexes of one repository, kept through its manifests API. */
export function indexStoreOf(store: ArtifactStore): IndexStore {
  return {
    read: async (tag) => {
      let document;
      try {
        document = await store.fetchManifest({ repository: store.repository, tag });
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
      const entries = document.json.manifests;
      const referrers = Array.isArray(entries) ? entries.filter(isReferrer) : [];
      return { digest: document.descriptor.digest, referrers, ...(document.etag ? { etag: document.etag } : {}) };
    },
    write: async (tag, bytes, ifMatch) => {
      try {
        return (await store.pushManifest(tag, { bytes, mediaType: OCI_INDEX }, ifMatch ? { ifMatch } : {})).digest;
      } catch (error) {
        if (error instanceof ManifestChangedError) return undefined;
        throw error;
      }
    },
    discard: async (digest) => {
      try {
        await store.deleteManifest(digest);
      } catch (error) {
        // A registry with deletes disabled keeps the old index untagged: garbage, not a failure.
        if (!(error instanceof RefusedError) && !(error instanceof NotFoundError)) throw error;
      }
    },
  };
}

function isReferrer(value: JsonValue): value is ReferrerDescriptor {
  return isJsonObject(value) && typeof value.digest === 'string' && typeof value.mediaType === 'string' && typeof value.size === 'number';
}
