// `acrx login localhost:5000`, as docker takes it: the registry as an argument, or with -n as az
// takes it, never both.
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { quote } from '../../reference/quote.js';
import { textValue, type OptionValues } from '../options.js';

export function addRegistryArgument(command: Command): Command {
  return command.argument('[registry]', 'the registry, as docker login takes it (instead of -n)');
}

/** The registry named by the argument or by -n; undefined when neither (the default registry). */
export function registryArgumentOrName(values: OptionValues, args: readonly string[]): string | undefined {
  const name = textValue(values, 'name');
  const argument = args[0];
  if (argument !== undefined && name !== undefined) {
    throw new UsageError(`the registry is given twice, as the argument ${quote(argument)} and with -n ${quote(name)}: give it once`);
  }
  return argument ?? name;
}
