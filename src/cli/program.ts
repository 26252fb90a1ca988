// The commander tree: the program and its command groups. Each group registers its own commands;
// what a command does is loaded only when it runs, so `acrx --help` stays light.
import { Command } from 'commander';
import { packageVersion } from '../version.js';
import { addArtifactGroup } from './artifact/index.js';
import { addCompletionCommand, addLookupCommands } from './completion/index.js';
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

/** Adds a part of the tree; a group given `only` may add just that command of its own (see addGroup). */
type AddCommands = (program: Command, io: Io, only?: string) => void;

/**
 * The top-level commands each adder registers (a test holds the names to what it registers). A run
 * whose first word is one of them builds that part of the tree only: building all of it is ~4 ms of
 * every start. `acrx completion` reads the whole tree, so it gets it.
 */
const PARTS: ReadonlyArray<{ names: readonly string[]; add: AddCommands; needsWholeTree?: true }> = [
  { names: ['repository'], add: addRepositoryGroup },
  { names: ['manifest'], add: addManifestGroup },
  { names: ['artifact'], add: addArtifactGroup },
  { names: ['purge'], add: addPurgeCommand },
  { names: ['login', 'logout'], add: addLoginCommands },
  { names: ['tag'], add: addTagGroup },
  { names: ['configure'], add: addConfigureCommand },
  { names: ['version'], add: addVersionCommand },
  { names: ['completion'], add: addCompletionCommand, needsWholeTree: true },
  { names: ['__complete'], add: addLookupCommands },
];

/** The names PARTS gives each adder, for the test that holds them to the tree. */
export const TOP_LEVEL_NAMES: readonly string[] = PARTS.flatMap((part) => part.names);

/**
 * The program; with `firstWord`, only the part of the tree that word runs, when it names one, and
 * within a group only the command `secondWord` names, when it names one.
 */
export function buildProgram(io: Io, firstWord?: string, secondWord?: string): Command {
  const program = new Command('acrx')
    .description('Manage container registries the way `az acr` does, against any OCI registry.')
    .version(packageVersion(), '-v, --version', 'print the version')
    .helpCommand('help [command...]', 'show the help of a command')
    // The program's own flags (-v) only before a command: after it, `-v...` belongs to that command.
    .enablePositionalOptions()
    .showSuggestionAfterError(true);
  useAzHelpLayout(addExamples(program, PROGRAM_EXAMPLES));
  const only = PARTS.find((part) => firstWord !== undefined && part.names.includes(firstWord));
  if (only && !only.needsWholeTree) only.add(program, io, secondWord);
  else for (const part of PARTS) part.add(program, io);
  return program;
}
