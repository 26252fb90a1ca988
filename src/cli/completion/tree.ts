// What a completion script needs to know about the commander tree, read from it once: commands,
// flags with their short forms, and where each value comes from. The four shell generators write
// this same description in their own language, so they cannot disagree about the CLI.
import type { Argument, Command, Option } from 'commander';

/** Where a value is completed from. `images` is a repository name, then its tags after `REPO:`. */
export type ValueSource =
  | { kind: 'text' }
  | { kind: 'choices'; choices: readonly string[] }
  | { kind: 'files' }
  | { kind: 'directories' }
  | { kind: 'repositories' }
  | { kind: 'images' };

export interface FlagNode {
  /** Short form first where there is one: ['-n', '--name']. */
  names: string[];
  description: string;
  /** Undefined for a switch. */
  value?: ValueSource;
}

export interface CommandNode {
  /** Words after `acrx`: [] for the program itself, ['repository', 'list']. */
  path: string[];
  description: string;
  subcommands: CommandNode[];
  flags: FlagNode[];
  /** Positional arguments in order; the last one repeats when `variadic`. */
  positionals: ValueSource[];
  variadic: boolean;
  /** The flag that names the registry here (-n/--name, or -r/--registry in the manifest group). */
  registryFlag?: string[];
}

/** Flags whose value the dynamic lookups pass on, so they reach the registry the way the command would. */
export const FORWARDED_VALUE_FLAGS = ['--suffix', '--ca-file'] as const;
export const FORWARDED_SWITCHES = ['--plain-http', '--insecure'] as const;

export function describeTree(program: Command): CommandNode {
  return describe(program, []);
}

/** Every command of the tree, the program first. */
export function allNodes(root: CommandNode): CommandNode[] {
  return [root, ...root.subcommands.flatMap(allNodes)];
}

function describe(command: Command, path: string[]): CommandNode {
  const registryFlag = command.options.find((option) => option.long === '--registry')
    ? ['-r', '--registry']
    : command.options.find((option) => option.long === '--name' && placeholder(option) === 'registry')
      ? ['-n', '--name']
      : undefined;
  // What help shows is what completes: hidden commands and flags stay hidden, --help and `help` appear.
  const help = command.createHelp();
  const flags = help.visibleOptions(command).map((option) => describeFlag(option, command));
  const args = command.registeredArguments;
  return {
    path,
    description: command.description(),
    subcommands: help.visibleCommands(command).map((child) => describe(child, [...path, child.name()])),
    flags,
    positionals: args.map(argumentSource),
    variadic: args.at(-1)?.variadic ?? false,
    ...(registryFlag ? { registryFlag } : {}),
  };
}

function describeFlag(option: Option, command: Command): FlagNode {
  const names = [option.short, option.long].filter((name): name is string => name !== undefined);
  const takesValue = option.required || option.optional;
  return { names, description: option.description, ...(takesValue ? { value: optionSource(option, command) } : {}) };
}

function optionSource(option: Option, command: Command): ValueSource {
  if (option.argChoices) return { kind: 'choices', choices: option.argChoices };
  const name = placeholder(option);
  // In the manifest group -n stands for the positional it replaces: a repository or an image.
  if (name === 'name') {
    const positional = command.registeredArguments[0]?.name();
    if (positional === 'REPO_ID') return { kind: 'repositories' };
    if (positional === 'MANIFEST_ID') return { kind: 'images' };
  }
  return sourceByName(name);
}

function argumentSource(argument: Argument): ValueSource {
  if (argument.argChoices) return { kind: 'choices', choices: argument.argChoices };
  return sourceByName(argument.name());
}

/** What a value is, read from the name help shows for it (`<repository>`, `<file...>`). */
function sourceByName(name: string): ValueSource {
  switch (name) {
    case 'repository':
      return { kind: 'repositories' };
    case 'image':
    case 'reference':
      return { kind: 'images' };
    case 'file':
      return { kind: 'files' };
    case 'dir':
      return { kind: 'directories' };
    case 'bool':
      return { kind: 'choices', choices: ['true', 'false'] };
    default:
      return { kind: 'text' };
  }
}

/** `--name <registry>` → 'registry'. */
function placeholder(option: Option): string {
  return /[<[]([^>\]]+?)(?:\.\.\.)?[>\]]/.exec(option.flags)?.[1] ?? '';
}

