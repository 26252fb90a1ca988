// acrx manifest show: a manifest as JSON, or with --raw its bytes exactly as the registry sent them,
// so that `sha256sum` of the output is the digest.
import { RawOutput } from '../../output/raw.js';
import type { ImageReference } from '../../reference/image.js';
import type { JsonObject } from '../../registry/attributes.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { flagValue, type RegistryOptions } from '../options.js';
import { addManifestTarget, parseManifestTarget } from './target.js';

export interface ShowOptions {
  registry: RegistryOptions;
  image: ImageReference;
  raw: boolean;
}

export type ManifestContent = JsonObject | RawOutput;

export async function runShow(options: ShowOptions, context: CommandContext): Promise<ManifestContent> {
  const { service } = await context.openRegistry(options.registry);
  const document = await service.fetchManifest(options.image);
  return options.raw ? new RawOutput(document.bytes) : document.json;
}

export const showCommand = defineCommand<ShowOptions, ManifestContent>({
  name: 'show',
  summary: 'Get a manifest.',
  examples: [
    { summary: 'Get the manifest of hello-world:latest.', command: 'acrx manifest show -r myregistry -n hello-world:latest' },
    { summary: 'Get the manifest bytes exactly as stored, to check their digest.', command: 'acrx manifest show localhost:5000/hello-world:latest --raw | sha256sum' },
  ],
  flags: (command) => addManifestTarget(command).option('--raw', 'output the raw manifest text with no formatting'),
  parse: (input) => ({ ...parseManifestTarget(input), raw: flagValue(input.values, 'raw') }),
  run: runShow,
});
