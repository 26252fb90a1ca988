// acrx repository list: the repositories of a registry, sorted by name.
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { addRegistryOptions, addTopOption, parseRegistryOptions, parseTop, type RegistryOptions } from '../options.js';

export interface ListOptions {
  registry: RegistryOptions;
  top?: number;
}

/** Repository names, as az prints them. */
export type RepositoryList = string[];

export async function runList(options: ListOptions, context: CommandContext): Promise<RepositoryList> {
  const { service } = await context.openRegistry(options.registry);
  return service.listRepositories(options.top);
}

export const listCommand = defineCommand<ListOptions, RepositoryList>({
  name: 'list',
  summary: 'List repositories of a registry.',
  examples: [
    { summary: 'List the repositories of a registry.', command: 'acrx repository list -n myregistry' },
    { summary: 'List the first 10 repositories of a local registry as a table.', command: 'acrx repository list -n localhost:5000 --top 10 -o table' },
  ],
  flags: (command) => addTopOption(addRegistryOptions(command)),
  parse: ({ values }) => {
    const top = parseTop(values);
    return { registry: parseRegistryOptions(values), ...(top !== undefined ? { top } : {}) };
  },
  run: runList,
});
