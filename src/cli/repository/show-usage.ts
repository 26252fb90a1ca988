// acrx repository show-usage: per repository, how many manifests (tagged, untagged), the bytes they
// reference with shared blobs counted once, and what deleting the untagged ones would free.
import type { TableRows } from '../../output/render.js';
import { formatBytes } from '../../output/transfers.js';
import type { RepositoryUsage } from '../../purge/usage.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { addRegistryOptions, parseRegistryOptions, textValue, type RegistryOptions } from '../options.js';
import { validateRepositoryName } from '../../reference/image.js';

export interface ShowUsageOptions {
  registry: RegistryOptions;
  /** One repository; all of the catalog when absent. */
  repository?: string;
}

const UNTAGGED_UNSEEN =
  'untagged manifests cannot be listed through the OCI distribution API: untagged counts and sizes include only those a tag leads to (platform images, referrers)';

export async function runShowUsage(options: ShowUsageOptions, context: CommandContext): Promise<RepositoryUsage[]> {
  const { service } = await context.openRegistry(options.registry);
  const { repositoryUsage } = await import('../../purge/usage.js');
  const repositories = options.repository !== undefined ? [options.repository] : await service.listRepositories();
  const usage: RepositoryUsage[] = [];
  for (const repository of repositories) usage.push(repositoryUsage(await service.readContents(repository, { bodies: 'all' })));
  if (usage.some((item) => !item.untaggedVisible)) context.status.warn(UNTAGGED_UNSEEN);
  return usage;
}

function usageTable(usage: RepositoryUsage[]): TableRows {
  return usage.map((item) => ({
    Repository: item.repository,
    Tags: String(item.tags),
    Manifests: String(item.manifests),
    Tagged: String(item.taggedManifests),
    Untagged: String(item.untaggedManifests),
    Size: formatBytes(item.sizeBytes),
    'Untagged size': formatBytes(item.untaggedBytes),
  }));
}

export const showUsageCommand = defineCommand<ShowUsageOptions, RepositoryUsage[]>({
  name: 'show-usage',
  summary: 'Show how many manifests each repository holds, tagged and untagged, and the space they take.',
  examples: [
    { summary: 'Show how much each repository of a registry holds.', command: 'acrx repository show-usage -n myregistry -o table' },
    { summary: 'Show the usage of one repository.', command: 'acrx repository show-usage -n myregistry --repository hello-world' },
  ],
  flags: (command) => {
    addRegistryOptions(command).option('--repository <repository>', 'only this repository (default: every repository of the catalog)');
  },
  parse: ({ values }) => {
    const repository = textValue(values, 'repository');
    return { registry: parseRegistryOptions(values), ...(repository !== undefined ? { repository: validateRepositoryName(repository) } : {}) };
  },
  run: runShowUsage,
  table: usageTable,
});
