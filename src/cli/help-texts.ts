// Every command's --help text as commander writes it where stdout is not a terminal (80 columns, no
// colour), computed at build time into dist/help.json so that bin/acrx.cjs can answer `--help` without
// loading the CLI. A test holds the two equal.
import { Command } from 'commander';
import type { Io } from './context.js';
import { buildProgram } from './program.js';

export const HELP_WIDTH = 80;

export function helpTexts(): Record<string, string> {
  const silent = { write: () => true };
  const io: Io = { stdout: silent, stderr: silent, env: {}, signal: new AbortController().signal };
  const texts: Record<string, string> = {};
  const visit = (command: Command, path: string[]): void => {
    command.configureOutput({ getOutHelpWidth: () => HELP_WIDTH, getOutHasColors: () => false });
    texts[path.join(' ')] = command.helpInformation();
    for (const child of command.commands) visit(child, [...path, child.name()]);
  };
  visit(buildProgram(io), []);
  return texts;
}
