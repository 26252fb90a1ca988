// Registering commands with commander. Registration is light: the run path (context, registry,
// renderer) loads only when a command is actually run.
import type { Command } from 'commander';
import type { Io } from './context.js';
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
      const command = group.command(spec.name).description(spec.summary);
      spec.flags(command);
      command.action(async () => {
        const { execute } = await import('./execute.js');
        await execute(io, spec, { values: command.opts(), args: command.args });
      });
      return command;
    },
  };
}

/** A group of commands (`acrx repository ...`). */
export function addGroup(program: Command, name: string, summary: string, commands: readonly CommandDefinition[], io: Io): Command {
  const group = program.command(name).description(summary);
  for (const definition of commands) definition.register(group, io);
  return group;
}
