// acrx repository delete: a repository, or one image — the manifest and every tag on it. The plan is
// shown (every tag that goes, every multi-platform image it breaks) and confirmed before anything goes.
import type { DeletedRepository } from '../../registry/attributes.js';
import type { AttributeTarget, RegistryService } from '../../registry/service/types.js';
import type { ImageReference } from '../../reference/image.js';
import { defineCommand } from '../command.js';
import { confirm, ensureCanConfirm } from '../confirm.js';
import { imageDeletionStatement } from '../deletion.js';
import type { CommandContext } from '../context.js';
import { addRegistryOptions, flagValue, parseRegistryOptions, type RegistryOptions } from '../options.js';
import { addTargetOptions, exactlyOneTarget } from '../targets.js';

export interface DeleteOptions {
  registry: RegistryOptions;
  target: AttributeTarget;
  yes: boolean;
}

/** ACR answers a repository delete with what it deleted; an image delete prints nothing. */
export type DeleteResult = DeletedRepository | undefined;

export async function runDelete(options: DeleteOptions, context: CommandContext): Promise<DeleteResult> {
  ensureCanConfirm(context, options.yes);
  const { service } = await context.openRegistry(options.registry);
  const { target } = options;
  if (target.image) {
    await deleteImage(context, service, target.image, options.yes);
    return undefined;
  }
  return deleteRepository(context, service, target.repository, options.yes);
}

async function deleteImage(context: CommandContext, service: RegistryService, image: ImageReference, yes: boolean): Promise<void> {
  const plan = await service.planImageDeletion(image);
  await confirm(context, imageDeletionStatement(image.repository, plan), 'Are you sure you want to continue?', yes);
  await service.deleteManifest(image.repository, plan.digest);
}

async function deleteRepository(context: CommandContext, service: RegistryService, repository: string, yes: boolean): Promise<DeleteResult> {
  const question = `Are you sure you want to delete the repository '${repository}' and all images under it?`;
  const plan = await service.planRepositoryDeletion(repository);
  if (plan.manifests === undefined) {
    await confirm(context, '', question, yes);
    return plan.execute();
  }
  if (plan.manifests.length === 0) return plan.execute();
  const lines = plan.manifests.map(({ digest, tags }) => `  ${digest}: ${tags.map((tag) => `'${repository}:${tag}'`).join(', ')}`);
  await confirm(context, `This operation will delete ${plan.manifests.length} manifest(s) and all their tags:\n${lines.join('\n')}`, question, yes);
  return plan.execute();
}

export const deleteCommand = defineCommand<DeleteOptions, DeleteResult>({
  name: 'delete',
  summary: 'Delete a repository or an image (the manifest and every tag on it).',
  examples: [
    { summary: 'Delete an image: the manifest hello-world:latest points to and every tag on it.', command: 'acrx repository delete -n myregistry --image hello-world:latest' },
    { summary: 'Delete a repository without being asked to confirm.', command: 'acrx repository delete -n myregistry --repository hello-world --yes' },
  ],
  flags: (command) => {
    addTargetOptions(addRegistryOptions(command), "the image: 'name:tag' or 'name@digest'; deleting by tag deletes the manifest and all its tags");
    command.option('-y, --yes', 'do not prompt for confirmation');
  },
  parse: ({ values }) => ({ ...exactlyOneTarget(values, parseRegistryOptions(values)), yes: flagValue(values, 'yes') }),
  run: runDelete,
});
