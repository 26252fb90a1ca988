// The shape of a command, after cli/cli's pkg/cmd/<group>/<verb>: an options type, a flag builder,
// a parser that validates commander's values into the options type, and a run function that returns
// the command's named result — it never prints.
import type { Command } from 'commander';
import type { TableRows } from '../output/render.js';
import type { CommandContext } from './context.js';
import type { Example } from './help.js';
import type { OptionValues } from './options.js';

export interface CommandInput {
  /** Option values by camel-cased name, as commander parsed them. */
  values: OptionValues;
  /** Positional arguments. */
  args: readonly string[];
}

export interface CommandSpec<Options, Result> {
  name: string;
  summary: string;
  /** az-style examples for --help: what the example does, then the command line. */
  examples: readonly Example[];
  /** Adds the command's arguments and flags. */
  flags(command: Command): void;
  /** Commander's values → the options type; a usage error for anything that does not fit. */
  parse(input: CommandInput): Options;
  /** Does the work and returns what is printed (undefined: nothing). */
  run(options: Options, context: CommandContext): Promise<Result>;
  /** az's table transformer for this command, where az has one. */
  /** Undefined where the result is better shown by the generic table. */
  table?(result: Result): TableRows | undefined;
  /**
   * A tree drawing of the result (`-o tree`, and the default on a terminal when no output format is
   * configured), for commands whose result is a graph, as `oras discover` draws it.
   */
  tree?(result: Result): string;
  /** The output on a terminal when no format is asked for or configured (acrx's default is JSON). */
  terminalFormat?: 'table';
}
