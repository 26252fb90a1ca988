// acrx tag lock / unlock: a tag's writeEnabled and deleteEnabled (ACR only). Locks are never lifted
// implicitly anywhere else: this is the one place that changes them on request.
import type { ChangeableAttributes, ImageAttributes, RepositoryAttributes } from '../../registry/attributes.js';
import type { TaggedImage } from '../../reference/image.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { addRegistryOptions, flagValue, parseRegistryOptions, type RegistryOptions } from '../options.js';
import { taggedImage } from '../targets.js';

export interface LockOptions {
  registry: RegistryOptions;
  image: TaggedImage;
  attributes: ChangeableAttributes;
}

const LOCK: ChangeableAttributes = { writeEnabled: false, deleteEnabled: false };
const LOCK_DELETE_ONLY: ChangeableAttributes = { deleteEnabled: false };
const UNLOCK: ChangeableAttributes = { writeEnabled: true, deleteEnabled: true };

/** The tag's attributes after the change, as the service answers them. */
export type LockResult = RepositoryAttributes | ImageAttributes;

export async function runLock(options: LockOptions, context: CommandContext): Promise<LockResult> {
  const { service } = await context.openRegistry(options.registry);
  return service.updateAttributes({ image: options.image }, options.attributes);
}

const IMAGE_HELP = "the tag, as 'name:tag'";

export const lockCommand = defineCommand<LockOptions, LockResult>({
  name: 'lock',
  summary: 'Lock a tag: no overwrite, no delete (writeEnabled=false, deleteEnabled=false).',
  examples: [
    { summary: 'Lock a tag against deletion and overwrites.', command: 'acrx tag lock -n myregistry --image hello-world:v1' },
    { summary: 'Only forbid deleting it.', command: 'acrx tag lock -n myregistry --image hello-world:v1 --delete-only' },
  ],
  flags: (command) =>
    addRegistryOptions(command)
      .requiredOption('-t, --image <image>', IMAGE_HELP)
      .option('--delete-only', 'only forbid delete (deleteEnabled=false); overwriting stays allowed'),
  parse: ({ values }) => ({
    ...taggedImage(values, parseRegistryOptions(values)),
    attributes: flagValue(values, 'deleteOnly') ? LOCK_DELETE_ONLY : LOCK,
  }),
  run: runLock,
});

export const unlockCommand = defineCommand<LockOptions, LockResult>({
  name: 'unlock',
  summary: 'Unlock a tag (writeEnabled=true, deleteEnabled=true).',
  examples: [
    { summary: 'Unlock a tag.', command: 'acrx tag unlock -n myregistry --image hello-world:v1' },
  ],
  flags: (command) => addRegistryOptions(command).requiredOption('-t, --image <image>', IMAGE_HELP),
  parse: ({ values }) => ({ ...taggedImage(values, parseRegistryOptions(values)), attributes: UNLOCK }),
  run: runLock,
});
