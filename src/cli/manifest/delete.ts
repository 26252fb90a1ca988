// acrx manifest delete: one manifest by tag or digest, with every tag on it. What goes is shown and
// confirmed first; without a terminal --yes is required.
import type { ImageReference } from '../../reference/image.js';
import { defineCommand } from '../command.js';
import { confirm, ensureCanConfirm } from '../confirm.js';
import { artifactDeletionQuestion, imageDeletionStatement } from '../deletion.js';
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
  const plan = await service.planImageDeletion(options.image);
  await confirm(context, imageDeletionStatement(repository, plan), artifactDeletionQuestion(plan), options.yes);
  await service.deleteManifest(repository, plan.digest);
  return undefined;
}

export const deleteCommand = defineCommand<DeleteOptions, undefined>({
  name: 'delete',
  summary: 'Delete a manifest (and every tag on it).',
  examples: [
    { summary: 'Delete the manifest tagged v1, and every tag on it.', command: 'acrx manifest delete -r myregistry -n hello-world:v1' },
    { summary: 'Delete a manifest by its digest (DIGEST=sha256:...) without being asked to confirm.', command: 'acrx manifest delete "myregistry.azurecr.io/hello-world@$DIGEST" --yes' },
  ],
  flags: (command) => addManifestTarget(command).option('-y, --yes', 'do not prompt for confirmation'),
  parse: (input) => ({ ...parseManifestTarget(input), yes: flagValue(input.values, 'yes') }),
  run: runDelete,
});
