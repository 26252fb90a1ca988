// acrx manifest show-metadata: the attributes of a tag or a manifest (as `repository show --image`).
import type { ImageReference } from '../../reference/image.js';
import type { ImageAttributes } from '../../registry/attributes.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import type { RegistryOptions } from '../options.js';
import { addManifestTarget, parseManifestTarget } from './target.js';

export interface ShowMetadataOptions {
  registry: RegistryOptions;
  image: ImageReference;
}

export async function runShowMetadata(options: ShowMetadataOptions, context: CommandContext): Promise<ImageAttributes> {
  const { service } = await context.openRegistry(options.registry);
  return service.getImage(options.image);
}

export const showMetadataCommand = defineCommand<ShowMetadataOptions, ImageAttributes>({
  name: 'show-metadata',
  summary: 'Get the metadata of an artifact.',
  examples: [
    { summary: 'Get the metadata of the manifest tagged v1.', command: 'acrx manifest show-metadata -r myregistry -n hello-world:v1' },
    { summary: 'Get the metadata of a manifest by its digest (DIGEST=sha256:...).', command: 'acrx manifest show-metadata "myregistry.azurecr.io/hello-world@$DIGEST"' },
  ],
  flags: addManifestTarget,
  parse: parseManifestTarget,
  run: runShowMetadata,
});
