// acrx repository: the repositories (image names) of a registry, as `az acr repository`.
import type { Command } from 'commander';
import { addGroup } from '../command.js';
import type { Io } from '../context.js';
import { deleteCommand } from './delete.js';
import { listCommand } from './list.js';
import { showManifestsCommand } from './show-manifests.js';
import { showTagsCommand } from './show-tags.js';
import { showUsageCommand } from './show-usage.js';
import { showCommand } from './show.js';
import { untagCommand } from './untag.js';
import { updateCommand } from './update.js';

export function addRepositoryGroup(program: Command, io: Io, only?: string): Command {
  return addGroup(
    program,
    'repository',
    'Manage repositories (image names) of a registry.',
    [
      { summary: 'List the repositories of a registry.', command: 'acrx repository list -n myregistry' },
      { summary: 'Show the tags of a repository.', command: 'acrx repository show-tags -n myregistry --repository hello-world' },
    ],
    [listCommand, showTagsCommand, showManifestsCommand, showUsageCommand, showCommand, deleteCommand, untagCommand, updateCommand],
    io,
    only,
  );
}
