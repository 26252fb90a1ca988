// The OCI side of the registry service: any distribution-spec registry. What ACR's metadata API keeps
// in one listing is built here from the tag list, one manifest request per tag and the image configs;
// fields the OCI API cannot tell are left out, never invented.
import { AcrApiRequiredError, AcrxError, NotFoundError, PartialFailureError } from '../../errors.js';
import { counted } from '../../output/counted.js';
import { formatImage, type ImageReference, type TaggedImage } from '../../reference/image.js';
import type { ImageAttributes, JsonObject, ManifestAttributes, ReferrerDescriptor, RepositoryAttributes, TagAttributes } from '../attributes.js';
import type { ManifestDocument, RegistryClient } from '../client.js';
import type { ContentsNeeds, RepositoryContents } from '../contents.js';
import { readOciContents, addOciReferrers } from '../contents-read.js';
import { describeManifest } from '../describe.js';
import { describeDocuments, mapTags, type TagMap } from '../inventory.js';
import { INDEX_TYPES } from '../media-types.js';
import { compareNames, firstItems, orderByTime, sortNames } from '../ordering.js';
import { removeFromReferrersIndex, indexStoreOf } from '../referrers-index.js';
import { collectReferrers, isReferrersTag, type ReferrerQuery } from '../referrers.js';
import type { ArtifactStore, AttributeTarget, ImageDeletionPlan, Listing, RegistryService, RepositoryDeletionPlan, Reporter } from './types.js';

const UNTAGGED_UNSEEN = 'untagged manifests cannot be found through the OCI distribution API; only tagged ones are listed';

export class OciRegistryService implements RegistryService {
  constructor(
    readonly loginServer: string,
    private readonly client: () => Promise<RegistryClient>,
    private readonly reporter: Reporter,
  ) {}

  async listRepositories(top?: number): Promise<string[]> {
    const client = await this.client();
    return this.reporter.progress(
      'listing repositories',
      async (update) => sortNames(await client.listRepositories(top, (count) => update(`listing repositories: ${count}`))),
      (names) => `listed ${counted(names.length, 'repository', 'repositories')}`,
    );
  }

  async listTagNames(repository: string, listing: Listing): Promise<string[]> {
    if (listing.orderby) return (await this.listTags(repository, listing)).map((tag) => tag.name);
    const client = await this.client();
    const names = await this.reporter.progress(
      `listing tags of ${repository}`,
      (update) => client.listTags(repository, (count) => update(`listing tags of ${repository}: ${count}`)),
      (listed) => `listed ${counted(listed.length, 'tag', 'tags')} of ${repository}`,
    );
    // The listing is ours: sorted in place, not copied (it may hold 100,000 names).
    return firstItems(names.sort(), listing.top);
  }

  async listTags(repository: string, listing: Listing): Promise<TagAttributes[]> {
    const { tags, byTag, details } = await this.inventory(repository, `listing tags of ${repository}`);
    let entries: TagAttributes[] = tags.map((name) => {
      const digest = byTag.get(name)?.digest ?? '';
      const createdTime = details.get(digest)?.createdTime;
      return { name, digest, ...(createdTime ? { createdTime } : {}) };
    });
    if (listing.orderby) entries = orderByTime(entries, listing.orderby, (entry) => entry.createdTime, (entry) => entry.name);
    return firstItems(entries, listing.top);
  }

  async listManifests(repository: string, listing: Listing): Promise<ManifestAttributes[]> {
    const { byDigest, details } = await this.inventory(repository, `listing manifests of ${repository}`);
    if (listing.untaggedExpected) this.reporter.warn(UNTAGGED_UNSEEN);
    const manifests: ManifestAttributes[] = [...byDigest.entries()].map(([digest, tags]) => ({ ...(details.get(digest) ?? { digest }), tags }));
    const ordered = listing.orderby
      ? orderByTime(manifests, listing.orderby, (manifest) => manifest.createdTime, (manifest) => manifest.digest)
      : manifests.sort((a, b) => compareNames(a.digest, b.digest));
    return firstItems(ordered, listing.top);
  }

  async readManifests(repository: string, listing: Listing): Promise<JsonObject[]> {
    // The documents the tag GETs answered: nothing is fetched twice.
    const { documents, details } = await this.inventory(repository, `reading manifests of ${repository}`, { describe: listing.orderby !== undefined });
    if (listing.untaggedExpected) this.reporter.warn(UNTAGGED_UNSEEN);
    const digests = [...documents.keys()];
    const ordered = listing.orderby
      ? orderByTime(digests, listing.orderby, (digest) => details.get(digest)?.createdTime, (digest) => digest)
      : digests.sort(compareNames);
    return firstItems(ordered, listing.top).map((digest) => (documents.get(digest) as ManifestDocument).json);
  }

  async getRepository(repository: string): Promise<RepositoryAttributes> {
    const client = await this.client();
    const tags = await this.reporter.progress(`reading ${repository}`, (update) =>
      client.listTags(repository, (count) => update(`listing tags of ${repository}: ${count}`)),
    );
    return { registry: this.loginServer, imageName: repository, tagCount: tags.length };
  }

  async getImage(image: ImageReference): Promise<ImageAttributes> {
    const client = await this.client();
    return this.reporter.progress(`reading ${image.repository}`, async (update) => {
      const document = await client.fetchManifest(image);
      const detail = await describeManifest(client, image.repository, document, (message) => this.reporter.warn(message));
      const { byDigest } = await this.tagMap(client, image.repository, update);
      // An untagged manifest has no `tags` key, as ACR answers it (az's idiom is `[?tags==null]`).
      const tags = byDigest.get(detail.digest);
      return { ...(image.tag ? { name: image.tag } : {}), ...detail, ...(tags ? { tags } : {}) };
    });
  }

  async fetchManifest(image: ImageReference): Promise<ManifestDocument> {
    return (await this.client()).fetchManifest(image);
  }

  async resolveDigest(image: ImageReference): Promise<string> {
    if (image.digest) return image.digest;
    return (await (await this.client()).resolveManifest(image)).digest;
  }

  async listReferrers(repository: string, digest: string, query: ReferrerQuery): Promise<ReferrerDescriptor[]> {
    const client = await this.client();
    return this.reporter.progress(`listing referrers of ${repository}@${digest}`, () =>
      collectReferrers((subject, artifactType) => client.listReferrers(repository, subject, artifactType), digest, query),
    );
  }

  async planImageDeletion(image: ImageReference): Promise<ImageDeletionPlan> {
    const client = await this.client();
    const { digest } = await client.resolveManifest(image);
    const { byDigest, documents } = await this.reporter.progress(`finding every tag on ${digest}`, (update) => this.tagMap(client, image.repository, update));
    const parents = [...documents.values()]
      .filter((document) => INDEX_TYPES.has(document.descriptor.mediaType) && document.body.manifests?.some((child) => child.digest === digest))
      .flatMap((document) => byDigest.get(document.descriptor.digest) ?? [])
      // A referrers tag index lists referrers, not platforms; deleting one updates it (deleteManifest).
      .filter((tag) => !isReferrersTag(tag));
    const referrers = await this.referrersOf(client, image.repository, digest);
    return { digest, tags: byDigest.get(digest) ?? [], parents: parents.sort(compareNames), referrers, referrersGo: false };
  }

  /** Every referrer of a manifest about to go; a registry that cannot say is reported, not fatal. */
  async referrersOf(client: RegistryClient, repository: string, digest: string): Promise<ReferrerDescriptor[]> {
    try {
      return await collectReferrers((subject) => client.listReferrers(repository, subject), digest, { recursive: true });
    } catch (error) {
      if (!(error instanceof AcrxError)) throw error;
      this.reporter.warn(`cannot tell which manifests refer to '${repository}@${digest}': ${error.message}`);
      return [];
    }
  }

  async planRepositoryDeletion(repository: string): Promise<RepositoryDeletionPlan> {
    // No repository delete in the OCI API: every tagged manifest goes, one by one, after the plan is shown.
    const client = await this.client();
    const { byDigest } = await this.reporter.progress(`reading ${repository}`, (update) => this.tagMap(client, repository, update));
    const manifests = [...byDigest.entries()].map(([digest, tags]) => ({ digest, tags }));
    if (manifests.length === 0) {
      this.reporter.warn(`repository '${repository}' has no tagged manifests: nothing to delete (${UNTAGGED_UNSEEN})`);
    }
    return {
      manifests,
      execute: async () => {
        const deleted: string[] = [];
        for (const { digest } of manifests) {
          try {
            await client.deleteManifest(repository, digest);
          } catch (error) {
            if (deleted.length === 0 || !(error instanceof AcrxError)) throw error;
            throw new PartialFailureError(`${error.message} (after deleting ${deleted.length} of ${manifests.length} manifests)`, error);
          }
          deleted.push(digest);
        }
        return { manifestsDeleted: deleted.sort(compareNames), tagsDeleted: manifests.flatMap(({ tags }) => tags).sort(compareNames) };
      },
    };
  }

  async deleteManifest(repository: string, digest: string): Promise<void> {
    const client = await this.client();
    const subject = await this.subjectOf(client, repository, digest);
    await client.deleteManifest(repository, digest);
    if (subject) await this.leaveReferrersIndex(repository, subject, digest);
  }

  /** The manifest a referrer refers to; a manifest that cannot be read is deleted without this step. */
  private async subjectOf(client: RegistryClient, repository: string, digest: string): Promise<string | undefined> {
    try {
      return (await client.fetchManifest({ repository, digest })).body.subject?.digest;
    } catch (error) {
      if (!(error instanceof AcrxError) || error instanceof NotFoundError) throw error;
      this.reporter.warn(`cannot read '${repository}@${digest}' to tell whether it refers to another manifest: ${error.message}`);
      return undefined;
    }
  }

  /**
   * A deleted referrer leaves its subject's referrers tag index (kept where the registry has no
   * referrers API; absent, and so left alone, where it has one). The manifest is gone either way, so a
   * failure here is a warning.
   */
  private async leaveReferrersIndex(repository: string, subject: string, digest: string): Promise<void> {
    try {
      await removeFromReferrersIndex(indexStoreOf(this.artifacts(repository)), subject, digest);
    } catch (error) {
      if (!(error instanceof AcrxError)) throw error;
      this.reporter.warn(`deleted '${repository}@${digest}', but the referrers index of ${subject} may still list it: ${error.message}`);
    }
  }

  artifacts(repository: string): ArtifactStore {
    const client = () => this.client();
    return {
      repository,
      pushBlob: async (source, options) => (await client()).pushBlob(repository, source, options),
      pushManifest: async (reference, manifest, options) => (await client()).pushManifest(repository, reference, manifest, options),
      fetchManifest: async (image) => (await client()).fetchManifest(image),
      fetchBlob: async (blob, onProgress) => (await client()).fetchBlob(repository, blob, onProgress ? { onProgress } : {}),
      deleteManifest: async (digest) => (await client()).deleteManifest(repository, digest),
    };
  }

  async untag(image: TaggedImage): Promise<void> {
    const client = await this.client();
    // A missing tag is 'not found' (exit 3), before the registry is asked to delete anything.
    await client.resolveManifest(image);
    await client.deleteTag(image.repository, image.tag);
  }

  async readContents(repository: string, _needs: ContentsNeeds): Promise<RepositoryContents> {
    // Bodies are read either way: the tag GETs answer them.
    const client = await this.client();
    return this.reporter.progress(`reading ${repository}`, (update) =>
      readOciContents(client, repository, { progress: update, warn: (message) => this.reporter.warn(message) }),
    );
  }

  async addReferrers(contents: RepositoryContents, subjects: readonly string[]): Promise<number> {
    const client = await this.client();
    return this.reporter.progress(`finding referrers in ${contents.repository}`, (update) =>
      addOciReferrers(client, contents, subjects, { progress: update, warn: (message) => this.reporter.warn(message) }),
    );
  }

  updateAttributes(target: AttributeTarget): Promise<never> {
    const what = target.repository !== undefined ? `repository '${target.repository}'` : `image '${formatImage(target.image)}'`;
    // Known before any request: locks and changeable attributes exist only in ACR's metadata API.
    return Promise.reject(
      new AcrApiRequiredError(`changing or showing the locks of ${what} needs the ACR metadata API (/acr/v1), which ${this.loginServer} does not offer`, {
        remedy: { kind: 'declare-acr-api' },
      }),
    );
  }

  /** Every tag with its manifest, and (unless not needed) what each distinct manifest and config say. */
  private async inventory(repository: string, label: string, options: { describe: boolean } = { describe: true }) {
    const client = await this.client();
    return this.reporter.progress(label, async (update) => {
      const map = await this.tagMap(client, repository, update);
      const warn = (message: string) => this.reporter.warn(message);
      const details = options.describe ? await describeDocuments(client, repository, map.documents, { progress: update, warn }) : new Map<string, ManifestAttributes>();
      return { ...map, details };
    });
  }

  private tagMap(client: RegistryClient, repository: string, update: (text: string) => void): Promise<TagMap> {
    return mapTags(client, repository, { progress: update, warn: (message) => this.reporter.warn(message) });
  }

}
