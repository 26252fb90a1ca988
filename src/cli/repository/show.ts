// acrx repository show: the attributes of a repository, or of one image by tag or digest.
import type { ImageAttributes, RepositoryAttributes } from '../../registry/attributes.js';
import type { AttributeTarget } from '../../registry/service/types.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { addRegistryOptions, parseRegistryOptions, type RegistryOptions } from '../options.js';
import { addTargetOptions, exactlyOneTarget } from '../targets.js';

export interface ShowOptions {
  registry: RegistryOptions;
  target: AttributeTarget;
}

export type ShowResult = RepositoryAttributes | ImageAttributes;

export async function runShow(options: ShowOptions, context: CommandContext): Promise<ShowResult> {
  const { service } = await context.openRegistry(options.registry);
  const { target } = options;
  return target.repository !== undefined ? service.getRepository(target.repository) : service.getImage(target.image);
}

export const showCommand = defineCommand<ShowOptions, ShowResult>({
  name: 'show',
  summary: 'Get the attributes of a repository or an image.',
  examples: [
    { summary: 'Show the attributes of a repository.', command: 'acrx repository show -n myregistry --repository hello-world' },
    { summary: 'Show the attributes of an image, named by its full reference.', command: 'acrx repository show --image localhost:5000/hello-world:latest' },
  ],
  flags: (command) => addTargetOptions(addRegistryOptions(command), "the name of the image: 'name:tag' or 'name@digest' ('name' means 'name:latest')"),
  parse: ({ values }) => exactlyOneTarget(values, parseRegistryOptions(values)),
  run: runShow,
});
