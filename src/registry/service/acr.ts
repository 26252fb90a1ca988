// The ACR side of the registry service: the metadata API (/acr/v1) answers listings, times and locks in
// one paged stream, passed through as the service sends them so acrx prints what az prints. What is
// plain OCI (catalog, manifests, referrers, deletes by digest) is the OCI side's work.
import { RegistryError } from '../../errors.js';
import { counted } from '../../output/counted.js';
import type { ImageReference, TaggedImage } from '../../reference/image.js';
import type { AcrClient, AcrListOptions } from '../acr.js';
import type {
  ChangeableAttributes,
  ImageAttributes,
  JsonObject,
  ManifestAttributes,
  ReferrerDescriptor,
  RepositoryAttributes,
  TagAttributes,
} from '../attributes.js';
import type { ManifestDocument, RegistryClient } from '../client.js';
import type { ContentsNeeds, RepositoryContents } from '../contents.js';
import { readAcrContents } from '../contents-read.js';
import { readManifests } from '../inventory.js';
import { compareNames } from '../ordering.js';
import type { ReferrerQuery } from '../referrers.js';
import type { OciRegistryService } from './oci.js';
import type { ArtifactStore, AttributeTarget, ImageDeletionPlan, Listing, RegistryService, RepositoryDeletionPlan, Reporter } from './types.js';

export interface AcrClients {
  acr: AcrClient;
  oci: RegistryClient;
}

export class AcrRegistryService implements RegistryService {
  constructor(
    readonly loginServer: string,
    private readonly clients: () => Promise<AcrClients>,
    private readonly oci: OciRegistryService,
    private readonly reporter: Reporter,
  ) {}

  listRepositories(top?: number): Promise<string[]> {
    return this.oci.listRepositories(top);
  }

  async listTagNames(repository: string, listing: Listing): Promise<string[]> {
    return (await this.listTags(repository, listing)).map((tag) => tag.name);
  }

  async listTags(repository: string, listing: Listing): Promise<TagAttributes[]> {
    const { acr } = await this.clients();
    return this.reporter.progress(
      `listing tags of ${repository}`,
      (update) => acr.listTags(repository, listOptions(listing, (count) => update(`listing tags of ${repository}: ${count}`))),
      (tags) => `listed ${counted(tags.length, 'tag', 'tags')} of ${repository}`,
    );
  }

  async listManifests(repository: string, listing: Listing): Promise<ManifestAttributes[]> {
    const { acr } = await this.clients();
    return this.reporter.progress(
      `listing manifests of ${repository}`,
      (update) => acr.listManifests(repository, listOptions(listing, (count) => update(`listing manifests of ${repository}: ${count}`))),
      (manifests) => `listed ${counted(manifests.length, 'manifest', 'manifests')} of ${repository}`,
    );
  }

  async readManifests(repository: string, listing: Listing): Promise<JsonObject[]> {
    const { oci } = await this.clients();
    const digests = (await this.listManifests(repository, listing)).map((manifest) => manifest.digest);
    return this.reporter.progress(`reading manifests of ${repository}`, (update) => readManifests(oci, repository, digests, update));
  }

  async getRepository(repository: string): Promise<RepositoryAttributes> {
    return (await this.clients()).acr.getRepository(repository);
  }

  async getImage(image: ImageReference): Promise<ImageAttributes> {
    const { acr } = await this.clients();
    return image.digest !== undefined ? acr.getManifest(image.repository, image.digest) : acr.getTag(image.repository, image.tag);
  }

  fetchManifest(image: ImageReference): Promise<ManifestDocument> {
    return this.oci.fetchManifest(image);
  }

  resolveDigest(image: ImageReference): Promise<string> {
    return this.oci.resolveDigest(image);
  }

  listReferrers(repository: string, digest: string, query: ReferrerQuery): Promise<ReferrerDescriptor[]> {
    return this.oci.listReferrers(repository, digest, query);
  }

  async planImageDeletion(image: ImageReference): Promise<ImageDeletionPlan> {
    const { acr, oci } = await this.clients();
    const digest = image.tag === undefined ? image.digest : (await acr.getTag(image.repository, image.tag)).digest;
    if (!digest) throw new RegistryError(`${this.loginServer} described the tag '${image.repository}:${image.tag}' without its digest`);
    const manifest = await acr.getManifest(image.repository, digest);
    const parents = (await acr.listManifests(image.repository))
      .filter((entry) => entry.references?.some((reference) => reference.digest === digest))
      .flatMap((entry) => entry.tags ?? []);
    const referrers = await this.oci.referrersOf(oci, image.repository, digest);
    return { digest, tags: [...(manifest.tags ?? [])].sort(compareNames), parents: parents.sort(compareNames), referrers, referrersGo: true };
  }

  async planRepositoryDeletion(repository: string): Promise<RepositoryDeletionPlan> {
    const { acr } = await this.clients();
    // Asked first, so a missing repository is 'not found' before the confirmation.
    await acr.getRepository(repository);
    return { execute: () => acr.deleteRepository(repository) };
  }

  async deleteManifest(repository: string, digest: string): Promise<void> {
    // ACR indexes referrers itself: no referrers tag index to keep.
    await (await this.clients()).oci.deleteManifest(repository, digest);
  }

  artifacts(repository: string): ArtifactStore {
    return this.oci.artifacts(repository);
  }

  async untag(image: TaggedImage): Promise<void> {
    await (await this.clients()).acr.deleteTag(image.repository, image.tag);
  }

  async readContents(repository: string, needs: ContentsNeeds): Promise<RepositoryContents> {
    const { acr, oci } = await this.clients();
    return this.reporter.progress(`reading ${repository}`, (update) =>
      readAcrContents(acr, oci, repository, needs, { progress: update, warn: (message) => this.reporter.warn(message) }),
    );
  }

  async addReferrers(): Promise<number> {
    // The metadata listing holds every manifest, untagged referrers included.
    return 0;
  }

  async updateAttributes(target: AttributeTarget, attributes: ChangeableAttributes): Promise<RepositoryAttributes | ImageAttributes> {
    const { acr } = await this.clients();
    const changing = Object.keys(attributes).length > 0;
    if (target.repository !== undefined) {
      return changing ? acr.updateRepository(target.repository, attributes) : acr.getRepository(target.repository);
    }
    const { repository, tag, digest } = target.image;
    if (digest !== undefined) return changing ? acr.updateManifest(repository, digest, attributes) : acr.getManifest(repository, digest);
    return changing ? acr.updateTag(repository, tag, attributes) : acr.getTag(repository, tag);
  }
}

function listOptions(listing: Listing, onPage: (count: number) => void): AcrListOptions {
  return {
    ...(listing.top !== undefined ? { limit: listing.top } : {}),
    ...(listing.orderby ? { orderby: listing.orderby } : {}),
    onPage,
  };
}
