// The command words at the front of the command line, checked before commander parses them: commander
// answers `acrx repository show-tag -h` with the group's help and exit 0, and `acrx help a b` with the
// help of `a` alone. Here a word that names no command is a usage error with the nearest name, and
// `help a b` becomes `a b --help`.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { quote } from '../reference/quote.js';

/** The command line commander should parse: `help WORDS...` → `WORDS... --help`. */
export function withHelpWords(argv: readonly string[]): string[] {
  return argv[0] === 'help' ? [...argv.slice(1), '--help'] : [...argv];
}

/** Throws a UsageError for the first command word that is not a subcommand of the one before it. */
export function checkCommandWords(program: Command, argv: readonly string[]): void {
  let command = program;
  const path = [program.name()];
  for (const word of argv) {
    if (word.startsWith('-') || command.commands.length === 0) return;
    // `acrx repository help show-tags`: commander's help command, naming a command of the same group.
    if (word === 'help') continue;
    const next = command.commands.find((child) => child.name() === word || child.aliases().includes(word));
    if (next === undefined) {
      const nearest = nearestName(word, command.createHelp().visibleCommands(command).map((child) => child.name()));
      const hint = nearest === undefined ? '' : ` Did you mean ${quote(nearest)}?`;
      throw new UsageError(`${quote(word)} is not a command of '${path.join(' ')}'.${hint} See '${path.join(' ')} --help'.`);
    }
    command = next;
    path.push(word);
  }
}

/** The candidate within a few edits of the word (a typo), or that the word starts (a truncation). */
function nearestName(word: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = name.startsWith(word) ? 0.5 : editDistance(word, name);
    if (distance <= Math.max(1, Math.floor(word.length / 3)) && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
