// acrx manifest list-metadata: the manifests of a repository with their attributes (az's recommended
// replacement of `repository show-manifests`). On ACR untagged manifests are listed too, without `tags`.
import type { ManifestAttributes } from '../../registry/attributes.js';
import type { Listing } from '../../registry/service/types.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { addOrderOption, addTopOption, parseListing, type RegistryOptions } from '../options.js';
import { addRepositoryTarget, parseRepositoryTarget } from './target.js';

export interface ListMetadataOptions {
  registry: RegistryOptions;
  repository: string;
  listing: Listing;
}

export async function runListMetadata(options: ListMetadataOptions, context: CommandContext): Promise<ManifestAttributes[]> {
  const { service } = await context.openRegistry(options.registry);
  return service.listManifests(options.repository, options.listing);
}

export const listMetadataCommand = defineCommand<ListMetadataOptions, ManifestAttributes[]>({
  name: 'list-metadata',
  summary: 'List the metadata of the manifests in a repository.',
  flags: (command) => addOrderOption(addTopOption(addRepositoryTarget(command))),
  parse: (input) => ({ ...parseRepositoryTarget(input), listing: { ...parseListing(input.values), untaggedExpected: true } }),
  run: runListMetadata,
});
