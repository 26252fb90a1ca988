// acrx manifest delete: one manifest by tag or digest, with every tag on it. What goes is shown and
// confirmed first; without a terminal --yes is required.
import type { ImageReference } from '../../reference/image.js';
import { defineCommand } from '../command.js';
import { confirm, ensureCanConfirm } from '../confirm.js';
import type { CommandContext } from '../context.js';
import { flagValue, type RegistryOptions } from '../options.js';
import { addManifestTarget, parseManifestTarget } from './target.js';

export interface DeleteOptions {
  registry: RegistryOptions;
  image: ImageReference;
  yes: boolean;
}

export async function runDelete(options: DeleteOptions, context: CommandContext): Promise<undefined> {
  ensureCanConfirm(context, options.yes);
  const { service } = await context.openRegistry(options.registry);
  const { repository } = options.image;
  const { digest, tags, parents } = await service.planImageDeletion(options.image);
  const named = (list: string[]) => list.map((tag) => `'${repository}:${tag}'`).join(', ');
  let statement = `This operation will delete the manifest '${digest}'${tags.length > 0 ? ` and its tags ${named(tags)}` : ''}`;
  if (parents.length > 0) statement += `. It is also a platform manifest of ${named(parents)}, which will then fail to pull for that platform`;
  await confirm(context, statement, `Are you sure you want to delete the artifact '${digest}' and all manifests that refer to it?`, options.yes);
  await service.deleteManifest(repository, digest);
  return undefined;
}

export const deleteCommand = defineCommand<DeleteOptions, undefined>({
  name: 'delete',
  summary: 'Delete a manifest (and every tag on it).',
  flags: (command) => addManifestTarget(command).option('-y, --yes', 'do not prompt for confirmation'),
  parse: (input) => ({ ...parseManifestTarget(input), yes: flagValue(input.values, 'yes') }),
  run: runDelete,
});
