// The commands that change a registry: delete, untag, update, and tag lock/unlock. Each validates
// everything first, shows exactly what goes, and never unlocks anything on the user's behalf.
import { RefusedError } from '../errors.js';
import type { AcrObject, ChangeableAttributes } from '../registry/acr.js';
import { mapTags } from '../registry/inventory.js';
import { INDEX_TYPES } from '../registry/media-types.js';
import type { ImageReference } from '../registry/reference.js';
import { confirm, ensureCanConfirm } from './confirm.js';
import type { CommandContext, RegistrySession } from './context.js';

export async function deleteImage(context: CommandContext, session: RegistrySession, image: ImageReference, yes: boolean): Promise<undefined> {
  ensureCanConfirm(context, yes);
  const { repository } = image;
  const { digest, tags, parents } = session.target.acrApi ? await acrTagsOfImage(session, image) : await tagsOfImage(session, image);
  const named = (list: string[]) => list.map((tag) => `'${repository}:${tag}'`).join(', ');
  let statement = `This operation will delete the manifest '${digest}'${tags.length > 0 ? ` and all the following images: ${named(tags)}` : ''}`;
  // Deleting a platform manifest breaks every multi-platform image that lists it: say which.
  if (parents.length > 0) statement += `. It is also a platform manifest of ${named(parents)}, which will then fail to pull for that platform`;
  await confirm(context, statement, 'Are you sure you want to continue?', yes);
  await (await session.client()).deleteManifest(repository, digest);
  return undefined;
}

export async function deleteRepository(context: CommandContext, session: RegistrySession, repository: string, yes: boolean): Promise<AcrObject | undefined> {
  ensureCanConfirm(context, yes);
  const question = `Are you sure you want to delete the repository '${repository}' and all images under it?`;
  if (session.target.acrApi) {
    const acr = await session.acr();
    await acr.getRepository(repository);
    await confirm(context, '', question, yes);
    return acr.deleteRepository(repository);
  }
  // No repository delete in the OCI API: delete every tagged manifest, after showing all of them.
  const client = await session.client();
  const { byDigest } = await session.status.progress(`reading ${repository}`, (report) => mapTags(client, repository, { progress: report, warn: (m) => session.status.warn(m) }));
  const plan = [...byDigest.entries()];
  if (plan.length === 0) {
    context.status.warn(`repository '${repository}' has no tagged manifests: nothing to delete (untagged manifests cannot be found through the OCI API)`);
    return { manifestsDeleted: [], tagsDeleted: [] };
  }
  const lines = plan.map(([digest, tags]) => `  ${digest}: ${tags.map((tag) => `'${repository}:${tag}'`).join(', ')}`);
  const statement = `This operation will delete ${plan.length} manifest(s) and all their tags:\n${lines.join('\n')}`;
  await confirm(context, statement, question, yes);
  const deleted: string[] = [];
  for (const [digest] of plan) {
    try {
      await client.deleteManifest(repository, digest);
    } catch (error) {
      if (deleted.length > 0 && error instanceof Error) error.message += ` (after deleting ${deleted.length} of ${plan.length} manifests)`;
      throw error;
    }
    deleted.push(digest);
  }
  return { manifestsDeleted: deleted.sort(), tagsDeleted: plan.flatMap(([, tags]) => tags).sort() };
}

export async function untag(session: RegistrySession, image: ImageReference & { tag: string }): Promise<undefined> {
  if (session.target.acrApi) {
    await (await session.acr()).deleteTag(image.repository, image.tag);
    return undefined;
  }
  const client = await session.client();
  await client.resolveManifest(image);
  await client.deleteTag(image.repository, image.tag);
  return undefined;
}

/** PATCH of changeableAttributes; with no attribute given, az shows the item instead. */
export async function update(
  session: RegistrySession,
  target: { repository: string; image?: undefined } | { image: ImageReference; repository?: undefined },
  attributes: ChangeableAttributes,
): Promise<AcrObject> {
  requireAcr(session, 'repository update');
  const acr = await session.acr();
  const changing = Object.keys(attributes).length > 0;
  if (!target.image) return changing ? acr.updateRepository(target.repository, attributes) : acr.getRepository(target.repository);
  const { repository, tag, digest } = target.image;
  if (digest) return changing ? acr.updateManifest(repository, digest, attributes) : acr.getManifest(repository, digest);
  const name = tag ?? 'latest';
  return changing ? acr.updateTag(repository, name, attributes) : acr.getTag(repository, name);
}

export const LOCK: ChangeableAttributes = { writeEnabled: false, deleteEnabled: false };
export const LOCK_DELETE_ONLY: ChangeableAttributes = { deleteEnabled: false };
export const UNLOCK: ChangeableAttributes = { writeEnabled: true, deleteEnabled: true };

export async function setTagLock(session: RegistrySession, image: ImageReference, attributes: ChangeableAttributes, command: string): Promise<AcrObject> {
  requireAcr(session, command);
  return (await session.acr()).updateTag(image.repository, image.tag ?? 'latest', attributes);
}

/** Known before any request: locks and attributes exist only in ACR's metadata API. */
export function requireAcr(session: RegistrySession, command: string): void {
  if (!session.target.acrApi) {
    throw new RefusedError(
      `'${command}' needs the ACR metadata API (/acr/v1), which ${session.target.loginServer} does not offer; ` +
        'for an ACR registry behind a custom domain set ACRX_ACR_API=1',
    );
  }
}

interface ImageTags {
  digest: string;
  tags: string[];
  /** Tags of the indexes (multi-platform images) that list this manifest. */
  parents: string[];
}

async function acrTagsOfImage(session: RegistrySession, image: ImageReference): Promise<ImageTags> {
  const acr = await session.acr();
  const digest = image.digest ?? String((await acr.getTag(image.repository, image.tag ?? 'latest')).digest ?? '');
  const manifest = await acr.getManifest(image.repository, digest);
  const parents = (await acr.listManifests(image.repository))
    .filter((entry) => Array.isArray(entry.references) && entry.references.some((ref) => (ref as { digest?: unknown }).digest === digest))
    .flatMap((entry) => stringsOf(entry.tags));
  return { digest, tags: stringsOf(manifest.tags).sort(), parents: parents.sort() };
}

async function tagsOfImage(session: RegistrySession, image: ImageReference): Promise<ImageTags> {
  const client = await session.client();
  const { digest } = await client.resolveManifest(image);
  const { byTag, byDigest } = await session.status.progress(`finding every tag on ${digest}`, (report) => mapTags(client, image.repository, { progress: report, warn: (m) => session.status.warn(m) }));
  const indexes = [...new Set([...byTag.values()].filter((d) => INDEX_TYPES.has(d.mediaType) && d.digest !== digest).map((d) => d.digest))];
  const documents = await client.mapConcurrent(indexes, (index) => client.fetchManifest({ repository: image.repository, digest: index }));
  const parents = documents
    .filter((document) => document.body.manifests?.some((child) => child.digest === digest))
    .flatMap((document) => byDigest.get(document.descriptor.digest) ?? []);
  return { digest, tags: byDigest.get(digest) ?? [], parents: parents.sort() };
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
