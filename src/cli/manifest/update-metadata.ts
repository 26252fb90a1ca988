// acrx manifest update-metadata: the changeable attributes (locks) of a tag or a manifest (ACR only);
// with no attribute given, the current ones.
import type { ImageReference } from '../../reference/image.js';
import type { ChangeableAttributes, ImageAttributes, RepositoryAttributes } from '../../registry/attributes.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { addAttributeOptions, parseAttributes, type RegistryOptions } from '../options.js';
import { addManifestTarget, parseManifestTarget } from './target.js';

export interface UpdateMetadataOptions {
  registry: RegistryOptions;
  image: ImageReference;
  attributes: ChangeableAttributes;
}

export type UpdatedAttributes = RepositoryAttributes | ImageAttributes;

export async function runUpdateMetadata(options: UpdateMetadataOptions, context: CommandContext): Promise<UpdatedAttributes> {
  const { service } = await context.openRegistry(options.registry);
  return service.updateAttributes({ image: options.image }, options.attributes);
}

export const updateMetadataCommand = defineCommand<UpdateMetadataOptions, UpdatedAttributes>({
  name: 'update-metadata',
  summary: 'Update the metadata (locks) of an artifact.',
  examples: [
    { summary: 'Lock the manifest tagged v1 against deletion and overwrites.', command: 'acrx manifest update-metadata -r myregistry -n hello-world:v1 --delete-enabled false --write-enabled false' },
  ],
  flags: (command) => addAttributeOptions(addManifestTarget(command)),
  parse: (input) => {
    const attributes = parseAttributes(input.values);
    return { ...parseManifestTarget(input), attributes };
  },
  run: runUpdateMetadata,
});
