// acrx repository show-tags: tag names, or with --detail the tag objects, of one repository.
import type { TagAttributes } from '../../registry/attributes.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { addListingFlags, parseListingOptions, type RepositoryListingOptions } from './listing.js';

export type ShowTagsOptions = RepositoryListingOptions;

/** Names (az's old schema, kept for scripts) or, with --detail, the tag attributes. */
export type TagListing = string[] | TagAttributes[];

export async function runShowTags(options: ShowTagsOptions, context: CommandContext): Promise<TagListing> {
  const { service } = await context.openRegistry(options.registry);
  return options.detail ? service.listTags(options.repository, options.listing) : service.listTagNames(options.repository, options.listing);
}

export const showTagsCommand = defineCommand<ShowTagsOptions, TagListing>({
  name: 'show-tags',
  summary: 'Show tags of a repository.',
  examples: [
    { summary: 'Show the tags of a repository.', command: 'acrx repository show-tags -n myregistry --repository hello-world' },
    { summary: 'Show the 10 newest tags, with their digests and times.', command: 'acrx repository show-tags -n myregistry --repository hello-world --top 10 --orderby time_desc --detail' },
  ],
  flags: addListingFlags,
  parse: ({ values }) => parseListingOptions(values),
  run: runShowTags,
});
