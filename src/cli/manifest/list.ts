// acrx manifest list: the manifests of a repository, each as the registry stores it.
import type { JsonObject } from '../../registry/attributes.js';
import type { Listing } from '../../registry/service/types.js';
import type { TableRows } from '../../output/render.js';
import { transformerCell, valueAt } from '../../output/table-cell.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { addOrderOption, addTopOption, parseListing, type RegistryOptions } from '../options.js';
import { addRepositoryTarget, parseRepositoryTarget } from './target.js';

export interface ListOptions {
  registry: RegistryOptions;
  repository: string;
  listing: Listing;
}

/** The manifest documents (JSON), in the order of list-metadata. */
export type ManifestDocuments = JsonObject[];

export async function runList(options: ListOptions, context: CommandContext): Promise<ManifestDocuments> {
  const { service } = await context.openRegistry(options.registry);
  return service.readManifests(options.repository, options.listing);
}

/** az's manifest_output_format. */
export function manifestTable(manifests: ManifestDocuments): TableRows {
  return manifests.map((manifest) => ({
    MediaType: transformerCell(valueAt(manifest, 'mediaType')),
    ArtifactType: transformerCell(valueAt(manifest, 'artifactType')),
    SubjectDigest: transformerCell(valueAt(manifest, 'subject', 'digest')),
  }));
}

export const listCommand = defineCommand<ListOptions, ManifestDocuments>({
  name: 'list',
  summary: 'List the manifests in a repository.',
  examples: [
    { summary: 'List the manifests in a repository.', command: 'acrx manifest list -r myregistry -n hello-world' },
    { summary: 'List the newest manifest of a repository.', command: 'acrx manifest list myregistry.azurecr.io/hello-world --orderby time_desc --top 1' },
  ],
  flags: (command) => addOrderOption(addTopOption(addRepositoryTarget(command))),
  parse: (input) => ({ ...parseRepositoryTarget(input), listing: { ...parseListing(input.values), untaggedExpected: true } }),
  run: runList,
  table: manifestTable,
});
