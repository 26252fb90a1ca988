// Registering commands with commander. Registration is light: the run path (context, registry,
// renderer) loads only when a command is actually run.
import type { Command } from 'commander';
import type { Io } from './context.js';
import { addExamples, type Example } from './help.js';
import type { CommandSpec } from './spec.js';
/** A command ready to be added to its group; the options and result types stay inside. */
export interface CommandDefinition {
  name: string;
  register(group: Command, io: Io): Command;
}

export function defineCommand<Options, Result>(spec: CommandSpec<Options, Result>): CommandDefinition {
  return {
    name: spec.name,
    register(group, io) {
      const command = addExamples(group.command(spec.name).description(spec.summary), spec.examples);
      spec.flags(command);
      command.action(async () => {
        const { execute } = await import('./execute.js');
        await execute(io, spec, { values: command.opts(), args: command.args });
      });
      return command;
    },
  };
}

/**
 * A group of commands (`acrx repository ...`). With `only`, the word after the group's name in this
 * run: when it names one of the group's commands, that command alone is registered (the run needs no
 * other; each costs its options and help at every start); otherwise all are, for the group's help
 * and for commander's suggestion of the nearest name.
 */
export function addGroup(
  program: Command,
  name: string,
  summary: string,
  examples: readonly Example[],
  commands: readonly CommandDefinition[],
  io: Io,
  only?: string,
): Command {
  const group = addExamples(program.command(name).description(summary), examples);
  const named = commands.find((definition) => definition.name === only);
  for (const definition of named ? [named] : commands) definition.register(group, io);
  return group;
}
