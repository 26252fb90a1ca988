// Help pages laid out as az lays them out: the command's own flags first, then the flags every command
// shares under their own heading, `[Required]` in front of what must be given, and an Examples section
// (a line saying what the example does, then the command). Everything is rendered inside
// commander's formatHelp, so helpInformation() — and with it the texts bin/acrx.cjs stores — includes it.
import { Help, Option, type Command } from 'commander';

export const GLOBAL_OPTIONS_HEADING = 'Global Options:';

export interface Example {
  /** What the example does, as a sentence. */
  summary: string;
  /** The command line, starting with `acrx`. */
  command: string;
}

const examplesByCommand = new WeakMap<Command, readonly Example[]>();

export function addExamples(command: Command, examples: readonly Example[]): Command {
  examplesByCommand.set(command, examples);
  return command;
}

export function examplesOf(command: Command): readonly Example[] {
  return examplesByCommand.get(command) ?? [];
}

/** A flag every command shares: listed under the global heading. */
export function globalOption(option: Option): Option {
  return option.helpGroup(GLOBAL_OPTIONS_HEADING);
}

/** Commander's -h/--help, listed with the shared flags. */
export function addGlobalHelpOption(command: Command): Command {
  return command.addHelpOption(globalOption(new Option('-h, --help', 'show this help message and exit')));
}

/** Installs the layout on the program; commands created afterwards inherit it. */
export function useAzHelpLayout(program: Command): Command {
  return program.configureHelp({
    optionDescription(option) {
      const description = Help.prototype.optionDescription.call(this, option);
      return option.mandatory ? `[Required] ${description}` : description;
    },
    // The command's own flags before the shared ones, whichever were added first.
    groupItems<T extends Command | Option>(unsorted: T[], visible: T[], getGroup: (item: T) => string): Map<string, T[]> {
      const groups = new Help().groupItems(unsorted, visible, getGroup);
      const shared = groups.get(GLOBAL_OPTIONS_HEADING);
      if (shared === undefined) return groups;
      groups.delete(GLOBAL_OPTIONS_HEADING);
      return groups.set(GLOBAL_OPTIONS_HEADING, shared);
    },
    formatHelp(command, helper) {
      return Help.prototype.formatHelp.call(this, command, helper) + formatExamples(examplesOf(command), helper);
    },
  });
}

// Command lines are never wrapped, so that each can be copied whole.
function formatExamples(examples: readonly Example[], helper: Help): string {
  if (examples.length === 0) return '';
  const items = examples.map((example) => `  ${example.summary}\n    ${example.command}\n`);
  return `\n${helper.styleTitle('Examples:')}\n${items.join('\n')}`;
}
