// acrx repository untag: removes one tag; the manifest and its other tags stay.
import type { TaggedImage } from '../../reference/image.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { addRegistryOptions, parseRegistryOptions, type RegistryOptions } from '../options.js';
import { taggedImage } from '../targets.js';

export interface UntagOptions {
  registry: RegistryOptions;
  image: TaggedImage;
}

export async function runUntag(options: UntagOptions, context: CommandContext): Promise<undefined> {
  const { service } = await context.openRegistry(options.registry);
  await service.untag(options.image);
  return undefined;
}

export const untagCommand = defineCommand<UntagOptions, undefined>({
  name: 'untag',
  summary: 'Remove one tag; the manifest and its other tags stay.',
  examples: [
    { summary: 'Remove the tag v1 from hello-world; the manifest stays.', command: 'acrx repository untag -n myregistry --image hello-world:v1' },
  ],
  flags: (command) => addRegistryOptions(command).requiredOption('-t, --image <image>', "the image to untag, as 'name:tag'"),
  parse: ({ values }) => taggedImage(values, parseRegistryOptions(values), { requireTag: true }),
  run: runUntag,
});
