// The read commands of `acrx repository`: each takes validated options and a registry session, and
// returns the data az would print for it. Nothing here writes to a terminal.
import type { RegistryClient } from '../registry/client.js';
import { describeManifest, type ManifestDetail } from '../registry/describe.js';
import { describeDigests, mapTags, orderByTime, sortNames, type TimeOrder } from '../registry/inventory.js';
import type { ImageReference } from '../registry/reference.js';
import type { RegistrySession } from './context.js';

export interface ListingOptions {
  top?: number;
  orderby?: TimeOrder;
  detail?: boolean;
}

export async function listRepositories(session: RegistrySession, options: { top?: number }): Promise<string[]> {
  const client = await session.client();
  return session.status.progress('listing repositories', async (report) =>
    sortNames(await client.listRepositories(options.top, (count) => report(`listing repositories: ${count}`))),
  );
}

export interface TagSummary {
  name: string;
  digest: string;
  createdTime?: string;
}

export async function showTags(session: RegistrySession, repository: string, options: ListingOptions): Promise<unknown[]> {
  if (session.target.acrApi) return (await import('./acr-read.js')).acrShowTags(session, repository, options);
  const client = await session.client();
  return session.status.progress(`listing tags of ${repository}`, async (report) => {
    if (!options.detail && !options.orderby) {
      const names = sortNames(await client.listTags(repository, (count) => report(`listing tags of ${repository}: ${count}`)));
      return top(names, options.top);
    }
    const { tags, byTag, details } = await tagDetails(session, client, repository, report);
    let entries: TagSummary[] = tags.map((name) => {
      const digest = byTag.get(name)?.digest ?? '';
      const createdTime = details.get(digest)?.createdTime;
      return { name, digest, ...(createdTime ? { createdTime } : {}) };
    });
    if (options.orderby) entries = orderByTime(entries, options.orderby, (entry) => entry.createdTime, (entry) => entry.name);
    entries = top(entries, options.top);
    return options.detail ? entries : entries.map((entry) => entry.name);
  });
}

export type ManifestWithTags = ManifestDetail & { tags: string[] };

export async function showManifests(
  session: RegistrySession,
  repository: string,
  options: ListingOptions,
): Promise<unknown[]> {
  if (session.target.acrApi) return (await import('./acr-read.js')).acrShowManifests(session, repository, options);
  const client = await session.client();
  return session.status.progress(`listing manifests of ${repository}`, async (report) => {
    const { byDigest, details } = await tagDetails(session, client, repository, report);
    let manifests: ManifestWithTags[] = [...byDigest.entries()].map(([digest, tags]) => ({
      ...(details.get(digest) as ManifestDetail),
      tags,
    }));
    manifests = options.orderby
      ? orderByTime(manifests, options.orderby, (m) => m.createdTime, (m) => m.digest)
      : [...manifests].sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
    manifests = top(manifests, options.top);
    if (options.detail) return manifests;
    return manifests.map(({ digest, tags, createdTime }) => ({ digest, tags, ...(createdTime ? { timestamp: createdTime } : {}) }));
  });
}

export async function showRepository(session: RegistrySession, repository: string): Promise<unknown> {
  if (session.target.acrApi) return (await import('./acr-read.js')).acrShowRepository(session, repository);
  const client = await session.client();
  const tags = await session.status.progress(`reading ${repository}`, (report) =>
    client.listTags(repository, (count) => report(`listing tags of ${repository}: ${count}`)),
  );
  return { registry: session.target.loginServer, imageName: repository, tagCount: tags.length };
}

export async function showImage(session: RegistrySession, image: ImageReference): Promise<unknown> {
  if (session.target.acrApi) return (await import('./acr-read.js')).acrShowImage(session, image);
  const client = await session.client();
  return session.status.progress(`reading ${image.repository}`, async (report) => {
    const document = await client.fetchManifest(image);
    const detail = await describeManifest(client, image.repository, document);
    const { byDigest } = await mapTags(client, image.repository, { progress: report, warn: (m) => session.status.warn(m) });
    return { ...(image.tag ? { name: image.tag } : {}), ...detail, tags: byDigest.get(detail.digest) ?? [] };
  });
}

async function tagDetails(session: RegistrySession, client: RegistryClient, repository: string, report: (text: string) => void) {
  const map = await mapTags(client, repository, { progress: report, warn: (m) => session.status.warn(m) });
  const details = await describeDigests(client, repository, [...map.byDigest.keys()], report);
  return { ...map, details };
}

function top<T>(items: T[], count: number | undefined): T[] {
  return count === undefined ? items : items.slice(0, count);
}
