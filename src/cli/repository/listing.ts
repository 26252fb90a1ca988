// What show-tags and show-manifests share: one repository, --top, --orderby and --detail.
import type { Command } from 'commander';
import type { Listing } from '../../registry/service/types.js';
import { addOrderOption, addRegistryOptions, addTopOption, flagValue, parseListing, parseRegistryOptions, type OptionValues, type RegistryOptions } from '../options.js';
import { requiredRepository } from '../targets.js';

export interface RepositoryListingOptions {
  registry: RegistryOptions;
  repository: string;
  listing: Listing;
  detail: boolean;
}

export function addListingFlags(command: Command): Command {
  addRegistryOptions(command).requiredOption('--repository <repository>', 'the name of the repository');
  return addOrderOption(addTopOption(command)).option('--detail', 'show detailed information');
}

export function parseListingOptions(values: OptionValues): RepositoryListingOptions {
  return {
    registry: parseRegistryOptions(values),
    repository: requiredRepository(values),
    listing: parseListing(values),
    detail: flagValue(values, 'detail'),
  };
}
