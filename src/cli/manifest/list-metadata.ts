// acrx manifest list-metadata: the manifests of a repository with their attributes (az's recommended
// replacement of `repository show-manifests`). On ACR untagged manifests are listed too, without `tags`.
import type { ManifestAttributes } from '../../registry/attributes.js';
import type { Listing } from '../../registry/service/types.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { addOrderOption, addTopOption, flagValue, parseListing, type RegistryOptions } from '../options.js';
import { addRepositoryTarget, parseRepositoryTarget } from './target.js';

export interface ListMetadataOptions {
  registry: RegistryOptions;
  repository: string;
  listing: Listing;
  /** Only manifests without tags (az's `--query "[?tags==null]"`). */
  untagged: boolean;
}

export async function runListMetadata(options: ListMetadataOptions, context: CommandContext): Promise<ManifestAttributes[]> {
  const { service } = await context.openRegistry(options.registry);
  if (!options.untagged) return service.listManifests(options.repository, options.listing);
  // --top counts what is shown: the untagged ones.
  const { top, ...rest } = options.listing;
  const untagged = (await service.listManifests(options.repository, rest)).filter((manifest) => (manifest.tags ?? []).length === 0);
  return top === undefined ? untagged : untagged.slice(0, top);
}

export const listMetadataCommand = defineCommand<ListMetadataOptions, ManifestAttributes[]>({
  name: 'list-metadata',
  summary: 'List the metadata of the manifests in a repository.',
  examples: [
    { summary: 'List the metadata of the manifests in a repository.', command: 'acrx manifest list-metadata -r myregistry -n hello-world' },
    { summary: 'List the 5 oldest manifests of a repository, named az\'s positional way.', command: 'acrx manifest list-metadata myregistry.azurecr.io/hello-world --orderby time_asc --top 5' },
  ],
  flags: (command) => addOrderOption(addTopOption(addRepositoryTarget(command))).option('--untagged', 'only the manifests without tags (what --untagged of purge deletes)'),
  parse: (input) => ({
    ...parseRepositoryTarget(input),
    listing: { ...parseListing(input.values), untaggedExpected: true },
    untagged: flagValue(input.values, 'untagged'),
  }),
  run: runListMetadata,
});
