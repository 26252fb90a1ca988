// The commander tree: the program and its command groups. Each group registers its own commands;
// what a command does is loaded only when it runs, so `acrx --help` stays light.
import { Command } from 'commander';
import { packageVersion } from '../version.js';
import { addArtifactGroup } from './artifact/index.js';
import { addCompletionCommands } from './completion/index.js';
import { addConfigureCommand } from './configure/index.js';
import type { Io } from './context.js';
import { addLoginCommands } from './login/index.js';
import { addManifestGroup } from './manifest/index.js';
import { addPurgeCommand } from './purge/index.js';
import { addRepositoryGroup } from './repository/index.js';
import { addTagGroup } from './tag/index.js';

export function buildProgram(io: Io): Command {
  const program = new Command('acrx')
    .description('Manage container registries the way `az acr` does, against any OCI registry.')
    .version(packageVersion(), '--version', 'print the version')
    .showSuggestionAfterError(true);
  addRepositoryGroup(program, io);
  addManifestGroup(program, io);
  addArtifactGroup(program, io);
  addPurgeCommand(program, io);
  addLoginCommands(program, io);
  addTagGroup(program, io);
  addConfigureCommand(program, io);
  addCompletionCommands(program, io);
  return program;
}
