// The registry service: what every command asks of a registry, one interface with two sides — ACR's
// metadata API (acr.ts) and the OCI distribution API of any registry (oci.ts). The side is chosen once,
// when the session opens (open.ts); commands never ask which side they talk to.
import type { TaggedImage, ImageReference } from '../../reference/image.js';
import type {
  ChangeableAttributes,
  DeletedRepository,
  ImageAttributes,
  JsonObject,
  ManifestAttributes,
  ReferrerDescriptor,
  RepositoryAttributes,
  TagAttributes,
} from '../attributes.js';
import type { Readable } from 'node:stream';
import type { BlobSource } from '../blob-source.js';
import type { ManifestDocument } from '../client.js';
import type { PushedManifest } from '../manifest-push.js';
import type { BlobPushOutcome } from '../upload.js';
import type { TimeOrder } from '../ordering.js';
import type { ReferrerQuery } from '../referrers.js';
import type { ContentsNeeds, RepositoryContents } from '../contents.js';

/** Where a long task shows progress and where warnings and details go (stderr, decided above). */
export interface Reporter {
  /** `done` says what the task did, for the --verbose line that also says how long it took. */
  progress<T>(label: string, task: (update: (text: string) => void) => Promise<T>, done?: (result: T) => string): Promise<T>;
  /** A blob being pushed or pulled: bytes as they move, then how it ended. */
  transfer(label: string, total: number): { advance(bytes: number): void; done(outcome: string): void };
  warn(message: string): void;
  info(message: string): void;
}

/** --top and --orderby of a listing; without orderby, names (or digests) in alphabetical order. */
export interface Listing {
  top?: number;
  orderby?: TimeOrder;
  /**
   * The user expects untagged manifests too (`manifest list-metadata`, `manifest list`): a side that
   * can see tagged manifests only says so on stderr.
   */
  untaggedExpected?: boolean;
}

/** What deleting one manifest takes with it, shown before anything is deleted. */
export interface ImageDeletionPlan {
  digest: string;
  /** Every tag on the manifest, sorted. */
  tags: string[];
  /** Tags of the multi-platform images (indexes) that list this manifest and will break. */
  parents: string[];
  /** The manifests that refer to it (signatures, SBOMs), to every depth. */
  referrers: ReferrerDescriptor[];
  /** Whether the registry deletes them with it (ACR does; distribution leaves them without a subject). */
  referrersGo: boolean;
}

export interface RepositoryDeletionPlan {
  /**
   * Each manifest that goes with its tags, when the registry deletes manifest by manifest; undefined
   * when it deletes the repository as a whole (ACR).
   */
  manifests?: Array<{ digest: string; tags: string[] }>;
  /** Deletes exactly what the plan shows; what the registry answered, if anything. */
  execute(): Promise<DeletedRepository | undefined>;
}

/** The item a lock or changeable attribute belongs to: a repository, or an image by tag or digest. */
export type AttributeTarget = { repository: string; image?: undefined } | { image: ImageReference; repository?: undefined };

/** The blobs and manifests of one repository, for pushing and pulling artifacts. */
export interface ArtifactStore {
  readonly repository: string;
  pushBlob(source: BlobSource, options: { mountFrom?: string; onProgress?: (sent: number) => void }): Promise<BlobPushOutcome>;
  /** PUT under a tag or digest; with `ifMatch`, only over that version (ManifestChangedError otherwise). */
  pushManifest(reference: string, manifest: { bytes: Buffer; mediaType: string }, options?: { ifMatch?: string }): Promise<PushedManifest>;
  fetchManifest(image: ImageReference): Promise<ManifestDocument>;
  /** The blob's bytes, verified as they stream (the stream fails at its end on a mismatch). */
  fetchBlob(blob: { digest: string; size: number }, onProgress?: (received: number) => void): Promise<Readable>;
  deleteManifest(digest: string): Promise<void>;
}

export interface RegistryService {
  readonly loginServer: string;

  listRepositories(top?: number): Promise<string[]>;
  listTagNames(repository: string, listing: Listing): Promise<string[]>;
  listTags(repository: string, listing: Listing): Promise<TagAttributes[]>;
  /** Every manifest the registry can list: on ACR untagged ones too (without a `tags` key). */
  listManifests(repository: string, listing: Listing): Promise<ManifestAttributes[]>;
  /** The manifests themselves, as JSON, in the order of listManifests. */
  readManifests(repository: string, listing: Listing): Promise<JsonObject[]>;
  getRepository(repository: string): Promise<RepositoryAttributes>;
  getImage(image: ImageReference): Promise<ImageAttributes>;
  fetchManifest(image: ImageReference): Promise<ManifestDocument>;
  resolveDigest(image: ImageReference): Promise<string>;
  listReferrers(repository: string, digest: string, query: ReferrerQuery): Promise<ReferrerDescriptor[]>;

  planImageDeletion(image: ImageReference): Promise<ImageDeletionPlan>;
  planRepositoryDeletion(repository: string): Promise<RepositoryDeletionPlan>;
  deleteManifest(repository: string, digest: string): Promise<void>;
  /** Removes one tag; the manifest and its other tags stay. */
  untag(image: TaggedImage): Promise<void>;
  /** Push and pull through the OCI API, the same on every registry. */
  artifacts(repository: string): ArtifactStore;
  /** What clean-up needs of a repository: tags, manifests, what each holds and refers to, times, locks. */
  readContents(repository: string, needs: ContentsNeeds): Promise<RepositoryContents>;
  /**
   * Asks the registry for the referrers of `subjects` that `contents` does not hold yet and adds them;
   * answers how many were added (always 0 where the listing already holds every manifest, as on ACR).
   */
  addReferrers(contents: RepositoryContents, subjects: readonly string[]): Promise<number>;
  /** ACR's changeable attributes: with none given, the item's current attributes (as az shows them). */
  updateAttributes(target: AttributeTarget, attributes: ChangeableAttributes): Promise<RepositoryAttributes | ImageAttributes>;
}
