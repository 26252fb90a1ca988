// The read commands on ACR: one paged /acr/v1 stream, shaped exactly as az prints it.
import type { AcrObject } from '../registry/acr.js';
import type { ImageReference } from '../registry/reference.js';
import type { RegistrySession } from './context.js';
import type { ListingOptions } from './repository-read.js';

export async function acrShowTags(session: RegistrySession, repository: string, options: ListingOptions): Promise<unknown[]> {
  const acr = await session.acr();
  const tags = await session.status.progress(`listing tags of ${repository}`, (report) =>
    acr.listTags(repository, listOptions(options, (count) => report(`listing tags of ${repository}: ${count}`))),
  );
  // az keeps the old schema (names only) unless --detail.
  return options.detail ? tags : tags.map((tag) => tag.name);
}

export async function acrShowManifests(session: RegistrySession, repository: string, options: ListingOptions): Promise<unknown[]> {
  const acr = await session.acr();
  const manifests = await session.status.progress(`listing manifests of ${repository}`, (report) =>
    acr.listManifests(repository, listOptions(options, (count) => report(`listing manifests of ${repository}: ${count}`))),
  );
  if (options.detail) return manifests;
  // az's reshaping for show-manifests, including its empty defaults.
  return manifests.map((manifest: AcrObject) => ({
    digest: manifest.digest ?? '',
    tags: manifest.tags ?? [],
    timestamp: manifest.lastUpdateTime ?? '',
  }));
}

export async function acrShowRepository(session: RegistrySession, repository: string): Promise<AcrObject> {
  return (await session.acr()).getRepository(repository);
}

export async function acrShowImage(session: RegistrySession, image: ImageReference): Promise<AcrObject> {
  const acr = await session.acr();
  return image.digest ? acr.getManifest(image.repository, image.digest) : acr.getTag(image.repository, image.tag ?? 'latest');
}

function listOptions(options: ListingOptions, onPage: (count: number) => void) {
  return {
    ...(options.top !== undefined ? { limit: options.top } : {}),
    ...(options.orderby ? { orderby: options.orderby } : {}),
    onPage,
  };
}
