// acrx repository show-manifests: the manifests of a repository with their tags and timestamps (az's
// reshaped summary), or with --detail their attributes. az now points to `manifest list-metadata`.
import type { TableRows } from '../../output/render.js';
import type { ManifestAttributes } from '../../registry/attributes.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { addListingFlags, parseListingOptions, type RepositoryListingOptions } from './listing.js';

export type ShowManifestsOptions = RepositoryListingOptions;

/** az's show-manifests line: an untagged manifest has `tags: []`. */
export interface ManifestSummary {
  digest: string;
  tags: string[];
  /** ACR's lastUpdateTime; elsewhere the image's created time, left out when there is none. */
  timestamp?: string;
}

export type ManifestListing = ManifestSummary[] | ManifestAttributes[];

export async function runShowManifests(options: ShowManifestsOptions, context: CommandContext): Promise<ManifestListing> {
  const { service } = await context.openRegistry(options.registry);
  const manifests = await service.listManifests(options.repository, options.listing);
  return options.detail ? manifests : manifests.map(summarize);
}

/**
 * az's generic table drops list columns, so its table of show-manifests has no tags; acrx shows them
 * joined (the --detail objects keep the generic table).
 */
function manifestTable(listing: ManifestListing): TableRows | undefined {
  if (!listing.every((item): item is ManifestSummary => Array.isArray(item.tags) && Object.keys(item).every((key) => ['digest', 'tags', 'timestamp'].includes(key)))) return undefined;
  return listing.map((item) => ({ Digest: item.digest, Tags: item.tags.join(', '), Timestamp: item.timestamp ?? '' }));
}

function summarize(manifest: ManifestAttributes): ManifestSummary {
  const timestamp = manifest.lastUpdateTime ?? manifest.createdTime;
  return { digest: manifest.digest, tags: manifest.tags ?? [], ...(timestamp !== undefined ? { timestamp } : {}) };
}

export const showManifestsCommand = defineCommand<ShowManifestsOptions, ManifestListing>({
  name: 'show-manifests',
  summary: "Show manifests of a repository with their tags and timestamps (az now recommends 'manifest list-metadata').",
  examples: [
    { summary: 'Show the manifests of a repository with their tags.', command: 'acrx repository show-manifests -n myregistry --repository hello-world' },
    { summary: 'Show the manifests without a tag.', command: 'acrx repository show-manifests -n myregistry --repository hello-world --query "[?tags[0]==null].digest"' },
  ],
  flags: addListingFlags,
  parse: ({ values }) => parseListingOptions(values),
  run: runShowManifests,
  table: manifestTable,
});
