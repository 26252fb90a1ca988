// Help pages as az lays them out, checked over the whole commander tree: every command has examples
// whose flags it really takes, required flags say so, the shared flags stand apart, `acrx help WORDS`
// shows that command's page, and a command word that names nothing is a usage error with a suggestion.
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { examplesOf, GLOBAL_OPTIONS_HEADING } from '../../../src/cli/help.js';
import { helpTexts } from '../../../src/cli/help-texts.js';
import { buildProgram, TOP_LEVEL_NAMES } from '../../../src/cli/program.js';
import { packageVersion } from '../../../src/version.js';
import { runCli, spawnCli } from '../../support/cli.js';

const silent = { write: () => true };
const program = buildProgram({ stdout: silent, stderr: silent, env: {}, signal: new AbortController().signal });
const texts = helpTexts();

function* tree(command: Command, path: string[] = []): Generator<{ path: string[]; command: Command }> {
  yield { path, command };
  for (const child of command.commands) yield* tree(child, [...path, child.name()]);
}
const commands = [...tree(program)];
const leaves = commands.filter(({ command }) => command.commands.length === 0);

/** The words of the acrx part of an example's shell line (quotes removed, a pipe ends it). */
function acrxWords(line: string): string[] {
  const words = (line.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((word) => word.replace(/^(["'])(.*)\1$/, '$2'));
  const start = words.indexOf('acrx');
  const end = words.indexOf('|', start);
  return words.slice(start + 1, end < 0 ? undefined : end);
}

describe('the part of the tree a run builds', () => {
  const io = { stdout: silent, stderr: silent, env: {}, signal: new AbortController().signal };
  const names = (command: Command): string[] => command.commands.map((child) => child.name()).filter((name) => name !== 'help');

  it('names every top-level command, and only those', () => {
    expect([...TOP_LEVEL_NAMES].sort()).toEqual(names(program).sort());
  });

  it.each(TOP_LEVEL_NAMES.filter((name) => name !== 'completion'))("is what the whole tree has under '%s'", (name) => {
    const part = buildProgram(io, name);
    expect(names(part)).toContain(name);
    const whole = (command: Command | undefined): string[] => [...tree(command as Command)].map(({ path }) => path.join(' '));
    expect(whole(part.commands.find((child) => child.name() === name))).toEqual(whole(program.commands.find((child) => child.name() === name)));
    expect(names(part).length).toBeLessThan(names(program).length);
  });

  it("is one command of a group when the next word names it, that command whole; the whole group when it names none", () => {
    const group = (command: Command, name: string): Command => command.commands.find((child) => child.name() === name) as Command;
    const whole = (command: Command): string[] => [...tree(command)].map(({ path, command: each }) => `${path.join(' ')}: ${each.options.map((option) => option.flags).join(', ')}`);
    for (const [name, command] of [['repository', 'show-tags'], ['manifest', 'list-metadata'], ['artifact', 'push'], ['tag', 'lock']] as const) {
      const part = group(buildProgram(io, name, command), name);
      expect(names(part)).toEqual([command]);
      expect(whole(group(part, command))).toEqual(whole(group(group(program, name), command)));
      for (const other of ['show-tag', '--help', '-h', 'help', undefined]) expect(names(group(buildProgram(io, name, other), name))).toEqual(names(group(program, name)));
    }
  });

  it('is the whole tree for `acrx completion`, which reads all of it, and for a word that names no command', () => {
    for (const word of ['completion', 'repositry', '--help', undefined]) expect(names(buildProgram(io, word))).toEqual(names(program));
  });
});

describe('help pages', () => {
  it('the tree walked holds every group, command and the version command', () => {
    expect(commands.map(({ path }) => path.join(' '))).toEqual(expect.arrayContaining(['', 'repository', 'repository show-tags', 'manifest show', 'artifact push', 'login', 'version']));
  });

  it.each(commands.map(({ path, command }) => [path.join(' ') || 'acrx', command] as const))("'%s' has examples, shown under Examples:", (name, command) => {
    const examples = examplesOf(command);
    expect(examples.length).toBeGreaterThan(0);
    const text = texts[name === 'acrx' ? '' : name] ?? '';
    expect(text).toContain('\nExamples:\n');
    for (const example of examples) expect(text).toContain(`  ${example.summary}\n    ${example.command}\n`);
  });

  it.each(leaves.map(({ path, command }) => [path.join(' '), command] as const))("every example of '%s' runs that command with flags it takes", (name, command) => {
    const known = new Set(command.options.flatMap((option) => [option.long, option.short]).filter((flag) => flag !== undefined));
    for (const example of examplesOf(command)) {
      const words = acrxWords(example.command);
      expect(words.slice(0, name.split(' ').length).join(' '), example.command).toBe(name);
      const flags = words.filter((word) => word.startsWith('-'));
      for (const flag of flags) expect(known, `${flag} in '${example.command}'`).toContain(flag);
    }
  });

  it('marks required flags [Required], and only those', () => {
    expect(texts['tag lock']).toMatch(/-t, --image <image> +\[Required\] /);
    expect(texts['artifact pull']).toMatch(/--output-dir <dir> +\[Required\] /);
    expect(texts['repository show-tags']).toMatch(/--repository <repository> +\[Required\] /);
    expect(texts['repository show-tags']).not.toMatch(/--top <n> +\[Required\]/);
    const marked = Object.values(texts).join('').match(/\[Required\]/g)?.length ?? 0;
    const mandatory = leaves.flatMap(({ command }) => command.options.filter((option) => option.mandatory)).length;
    expect(marked).toBe(mandatory);
  });

  it("lists a command's own flags first and the shared ones under 'Global Options:'", () => {
    const page = texts['repository show-tags'] ?? '';
    const own = page.slice(page.indexOf('Options:'), page.indexOf(GLOBAL_OPTIONS_HEADING));
    const shared = page.slice(page.indexOf(GLOBAL_OPTIONS_HEADING), page.indexOf('Examples:'));
    expect(own).toContain('--repository <repository>');
    expect(own).toContain('-n, --name <registry>');
    for (const flag of ['--suffix', '--username', '--password-stdin', '--plain-http', '--insecure', '--ca-file', '--timeout', '--output', '--query', '--verbose', '--debug', '--only-show-errors', '--help']) {
      expect(shared, flag).toContain(flag);
      expect(own, flag).not.toContain(flag);
    }
  });

  it('every command that takes the shared flags lists them apart', () => {
    for (const { path, command } of leaves) {
      if (!command.options.some((option) => option.long === '--output')) continue;
      expect(texts[path.join(' ')], path.join(' ')).toContain(`\n${GLOBAL_OPTIONS_HEADING}\n`);
    }
  });
});

describe('acrx help WORDS', () => {
  it('shows the help of the command named, not of its group', async () => {
    expect(await runCli(['help', 'repository', 'show-tags'])).toEqual({ code: 0, stdout: texts['repository show-tags'], stderr: '' });
    expect(await spawnCli(['help', 'manifest', 'list-referrers'])).toEqual({ code: 0, stdout: texts['manifest list-referrers'], stderr: '' });
  });

  it("shows a group's command through the group's own help command too", async () => {
    expect(await runCli(['repository', 'help', 'show-tags'])).toEqual({ code: 0, stdout: texts['repository show-tags'], stderr: '' });
  });
});

describe('a command word that names no command', () => {
  const suggestion = "ERROR: 'show-tag' is not a command of 'acrx repository'. Did you mean 'show-tags'? See 'acrx repository --help'.\n";

  it.each([
    [['repository', 'show-tag']],
    [['repository', 'show-tag', '-h']],
    [['repository', 'show-tag', '--help']],
    [['help', 'repository', 'show-tag']],
  ])('%j is a usage error that suggests the nearest command', async (args) => {
    expect(await runCli(args)).toEqual({ code: 2, stdout: '', stderr: suggestion });
    expect(await spawnCli(args)).toEqual({ code: 2, stdout: '', stderr: suggestion });
  });

  it('suggests nothing when no command is near', async () => {
    expect(await runCli(['manifest', 'frobnicate'])).toEqual({ code: 2, stdout: '', stderr: "ERROR: 'frobnicate' is not a command of 'acrx manifest'. See 'acrx manifest --help'.\n" });
  });

  it('is checked at the top level too', async () => {
    const result = await runCli(['repositry', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Did you mean 'repository'?");
  });
});

describe('the version', () => {
  it.each([[['--version']], [['-v']], [['version']]])('%j prints the version, in process and through the launcher', async (args) => {
    const version = packageVersion();
    expect(await runCli(args)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(await spawnCli(args)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});
