// acrx repository update: the changeable attributes (locks) of a repository or an image (ACR only);
// with no attribute given, az shows the item instead.
import type { ChangeableAttributes } from '../../registry/attributes.js';
import type { AttributeTarget } from '../../registry/service/types.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { addAttributeOptions, addRegistryOptions, parseAttributes, parseRegistryOptions, type RegistryOptions } from '../options.js';
import { addTargetOptions, exactlyOneTarget } from '../targets.js';
import type { ShowResult } from './show.js';

export interface UpdateOptions {
  registry: RegistryOptions;
  target: AttributeTarget;
  attributes: ChangeableAttributes;
}

export async function runUpdate(options: UpdateOptions, context: CommandContext): Promise<ShowResult> {
  const { service } = await context.openRegistry(options.registry);
  return service.updateAttributes(options.target, options.attributes);
}

export const updateCommand = defineCommand<UpdateOptions, ShowResult>({
  name: 'update',
  summary: 'Update the changeable attributes (locks) of a repository or an image.',
  examples: [
    { summary: 'Forbid deleting and overwriting an image.', command: 'acrx repository update -n myregistry --image hello-world:v1 --delete-enabled false --write-enabled false' },
    { summary: 'Hide a repository from listings.', command: 'acrx repository update -n myregistry --repository hello-world --list-enabled false' },
  ],
  flags: (command) => addAttributeOptions(addTargetOptions(addRegistryOptions(command), "the image: 'name:tag' or 'name@digest'")),
  parse: ({ values }) => {
    const attributes = parseAttributes(values);
    return { ...exactlyOneTarget(values, parseRegistryOptions(values)), attributes };
  },
  run: runUpdate,
});
