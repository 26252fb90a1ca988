// acrx completion SHELL prints the completion script; the hidden `acrx __complete` answers the
// scripts' questions about the registry (repository names, tags). Only the flags are registered
// here: the generators and the lookups load when one of these commands runs.
import { Argument, type Command } from 'commander';
import { RawOutput } from '../../output/raw.js';
import { defineCommand } from '../command.js';
import { addExamples } from '../help.js';
import type { Io } from '../context.js';
import { addRegistryOptions, textValue } from '../options.js';
import type { Lookup } from './lookup.js';
import { COMPLETION_SHELLS, type CompletionShell } from './shells.js';

/** `acrx completion SHELL`, which needs the whole tree built (it is made from it). */
export function addCompletionCommand(program: Command, io: Io): void {
  completionCommand(program).register(program, io);
}

/** The hidden `acrx __complete`, run at a Tab press: it needs only itself. */
export function addLookupCommands(program: Command, io: Io): void {
  const hidden = addExamples(program.command('__complete', { hidden: true }).description('names for the completion scripts'), [
    { summary: 'The repository names the completion scripts offer.', command: 'acrx __complete repositories -n localhost:5000' },
  ]);
  for (const kind of ['repositories', 'tags'] as const) lookupCommand(kind).register(hidden, io);
}

/** The script is made from `program`, the tree it completes. */
function completionCommand(program: Command) {
  return defineCommand<CompletionShell, RawOutput>({
    name: 'completion',
    summary: `Print the shell completion script (${COMPLETION_SHELLS.join(', ')}).`,
    examples: [
      { summary: 'Install the bash completion (commands, flags, repositories and tags).', command: 'acrx completion bash > ~/.local/share/bash-completion/completions/acrx' },
      { summary: 'Install the zsh completion for every session (a directory on $fpath).', command: 'acrx completion zsh > ~/.zfunc/_acrx' },
      { summary: 'Install the fish completion.', command: 'acrx completion fish > ~/.config/fish/completions/acrx.fish' },
    ],
    flags: (command) => {
      command.addArgument(new Argument('<shell>', 'the shell to complete in').choices(COMPLETION_SHELLS));
    },
    parse: ({ args }) => {
      // commander's .choices() has refused any other word already.
      return COMPLETION_SHELLS.find((name) => name === args[0]) as CompletionShell;
    },
    run: async (shell) => {
      const { completionScript } = await import('./script.js');
      return new RawOutput(Buffer.from(completionScript(shell, program)));
    },
  });
}

function lookupCommand(kind: Lookup['kind']) {
  return defineCommand<Lookup, RawOutput>({
    name: kind,
    summary: kind === 'tags' ? 'tag names of --repository, one a line' : 'repository names, one a line',
    examples: [
      kind === 'tags'
        ? { summary: 'The tags the completion scripts offer.', command: 'acrx __complete tags -n localhost:5000 --repository hello' }
        : { summary: 'The repositories the completion scripts offer.', command: 'acrx __complete repositories -n localhost:5000' },
    ],
    flags: (command) => {
      addRegistryOptions(command);
      if (kind === 'tags') command.option('--repository <repository>', 'the repository');
    },
    // Nothing is checked here: whatever is wrong with the command line makes an empty answer, never a message.
    parse: ({ values }) => ({ kind, values, repository: textValue(values, 'repository') ?? '' }),
    run: async (lookup, context) => (await import('./lookup.js')).lookUp(lookup, context),
  });
}
