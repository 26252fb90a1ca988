// The commander tree: the program and its command groups. Each group registers its own commands;
// what a command does is loaded only when it runs, so `acrx --help` stays light.
import { Command } from 'commander';
import { packageVersion } from '../version.js';
import { addArtifactGroup } from './artifact/index.js';
import { addCompletionCommands } from './completion/index.js';
import { addConfigureCommand } from './configure/index.js';
import type { Io } from './context.js';
import { addExamples, useAzHelpLayout, type Example } from './help.js';
import { addLoginCommands } from './login/index.js';
import { addManifestGroup } from './manifest/index.js';
import { addPurgeCommand } from './purge/index.js';
import { addRepositoryGroup } from './repository/index.js';
import { addTagGroup } from './tag/index.js';
import { addVersionCommand } from './version-command.js';

const PROGRAM_EXAMPLES: readonly Example[] = [
  { summary: 'Log in to a registry.', command: 'acrx login localhost:5000 -u bob' },
  { summary: 'List the repositories of a registry.', command: 'acrx repository list -n localhost:5000' },
  { summary: 'Show the help of a command.', command: 'acrx help repository show-tags' },
];

export function buildProgram(io: Io): Command {
  const program = new Command('acrx')
    .description('Manage container registries the way `az acr` does, against any OCI registry.')
    .version(packageVersion(), '-v, --version', 'print the version')
    .helpCommand('help [command...]', 'show the help of a command')
    // The program's own flags (-v) only before a command: after it, `-v...` belongs to that command.
    .enablePositionalOptions()
    .showSuggestionAfterError(true);
  useAzHelpLayout(addExamples(program, PROGRAM_EXAMPLES));
  addRepositoryGroup(program, io);
  addManifestGroup(program, io);
  addArtifactGroup(program, io);
  addPurgeCommand(program, io);
  addLoginCommands(program, io);
  addTagGroup(program, io);
  addConfigureCommand(program, io);
  addVersionCommand(program, io);
  addCompletionCommands(program, io);
  return program;
}
