// acrx repository show-tags: tag names, or with --detail the tag objects, of one repository.
import type { TagAttributes } from '../../registry/attributes.js';
import type { Listing } from '../../registry/service/types.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { addOrderOption, addRegistryOptions, addTopOption, flagValue, parseListing, parseRegistryOptions, type RegistryOptions } from '../options.js';
import { requiredRepository } from '../targets.js';

export interface ShowTagsOptions {
  registry: RegistryOptions;
  repository: string;
  listing: Listing;
  detail: boolean;
}

/** Names (az's old schema, kept for scripts) or, with --detail, the tag attributes. */
export type TagListing = string[] | TagAttributes[];

export async function runShowTags(options: ShowTagsOptions, context: CommandContext): Promise<TagListing> {
  const { service } = await context.openRegistry(options.registry);
  return options.detail ? service.listTags(options.repository, options.listing) : service.listTagNames(options.repository, options.listing);
}

export const showTagsCommand = defineCommand<ShowTagsOptions, TagListing>({
  name: 'show-tags',
  summary: 'Show tags of a repository.',
  flags: (command) => {
    addRegistryOptions(command).requiredOption('--repository <repository>', 'the name of the repository');
    addOrderOption(addTopOption(command)).option('--detail', 'show detailed information');
  },
  parse: ({ values }) => ({
    registry: parseRegistryOptions(values),
    repository: requiredRepository(values),
    listing: parseListing(values),
    detail: flagValue(values, 'detail'),
  }),
  run: runShowTags,
});
