// acrx completion SHELL: the scripts come from the commander tree, the committed ones are current,
// and bash completes what the tree holds (the shells' own tests are in test/integration).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMPLETION_SHELLS } from '../../../src/cli/completion/shells.js';
import { COMPLETION_FILES, completionScript } from '../../../src/cli/completion/script.js';
import { buildProgram } from '../../../src/cli/program.js';
import { runCli } from '../../support/cli.js';
import { COMPLETIONS_DIR } from '../../support/completion.js';

const silent = { write: () => true };
const program = () => buildProgram({ stdout: silent, stderr: silent, env: {}, signal: new AbortController().signal });

describe('acrx completion SHELL', () => {
  it.each(COMPLETION_SHELLS)('completions/ holds the current %s script (npm run completions rewrites it)', (shell) => {
    const committed = readFileSync(path.join(COMPLETIONS_DIR, COMPLETION_FILES[shell]), 'utf8');
    expect(committed, `completions/${COMPLETION_FILES[shell]} is stale: run npm run completions`).toBe(completionScript(shell, program()));
  });

  it.each(COMPLETION_SHELLS)('prints the %s script, byte for byte, on stdout alone', async (shell) => {
    expect(await runCli(['completion', shell])).toEqual({ code: 0, stdout: completionScript(shell, program()), stderr: '' });
  });

  it('refuses a shell it has no script for, naming those it has (usage error)', async () => {
    const result = await runCli(['completion', 'tcsh']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('bash, zsh, fish, powershell');
  });

  it('lists completion in the help and keeps the registry lookups out of it', async () => {
    const help = (await runCli(['--help'])).stdout;
    expect(help).toMatch(/^ {2}completion /m);
    expect(help).not.toContain('__complete');
  });

  it('the scripts name every command of the tree and no hidden one', () => {
    const bash = completionScript('bash', program());
    for (const group of program().commands.filter((command) => command.name() !== '__complete')) {
      expect(bash).toContain(`'${group.name()}'`);
      for (const command of group.commands) expect(bash).toContain(`'${group.name()} ${command.name()}'`);
    }
    expect(bash).not.toMatch(/'__complete/);
    // --concurrency is a hidden tuning knob except where blobs move.
    expect(/'repository list'\) reply=\(([^)]*)\)/.exec(bash)?.[1]).not.toContain("'--concurrency'");
    expect(/'artifact push'\) reply=\(([^)]*)\)/.exec(bash)?.[1]).toContain("'--concurrency'");
  });
});

describe('the PowerShell script (PowerShell is not installed here: its structure is checked)', () => {
  const script = completionScript('powershell', program());

  it('registers a native completer for acrx', () => {
    expect(script).toContain("Register-ArgumentCompleter -Native -CommandName 'acrx' -ScriptBlock {");
    expect(script).toContain('param($wordToComplete, $commandAst, $cursorPosition)');
  });

  it('has every command path, and the values of -o, --orderby and the shells', () => {
    expect(script).toMatch(/'repository show-tags' = \[ordered\]@\{ '-n' = /);
    expect(script).toMatch(/'manifest' = \[ordered\]@\{ 'list-metadata' = /);
    expect(script).toContain("'--orderby' = @{ '*' = 'choices time_asc time_desc' }");
    expect(script).toContain("'-o' = @{ '*' = 'choices json jsonc yaml yamlc table tsv none'; 'artifact discover' = 'choices json jsonc yaml yamlc table tsv none tree' }");
    expect(script).toContain("'completion' = @('choices bash zsh fish powershell')");
    expect(script).toContain("'manifest show' = @('-r', '--registry')");
  });

  it('asks acrx __complete for repositories and tags', () => {
    expect(script).toContain('& $program __complete @args @target 2>$null');
    expect(script).toContain('Ask tags --repository $repository');
  });

  it('balances its brackets outside quoted text', () => {
    expect(unbalanced(script)).toBe('');
  });
});

describe('scripts from any commander tree', () => {
  const toy = new Command('acrx');
  toy.command('paint').addOption(new Option('-c, --colour <colour>', 'the colour').choices(['red', 'green'])).option('--wet', 'still wet');
  toy.command('secret', { hidden: true }).option('--hush', 'quiet');
  toy.addOption(new Option('--tuning <n>', 'a knob').hideHelp());

  it('complete the values of any .choices() option, and leave hidden commands and flags out', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'acrx-toy-completion-'));
    try {
      const file = path.join(dir, 'toy.bash');
      writeFileSync(file, completionScript('bash', toy));
      expect(await bash(file, 'acrx paint --colour ')).toEqual(['red', 'green']);
      expect(await bash(file, 'acrx paint -c g')).toEqual(['green']);
      expect(await bash(file, 'acrx paint --')).toEqual(['--colour', '--wet', '--help']);
      expect(await bash(file, 'acrx ')).toEqual(['paint', 'help']);
      expect(await bash(file, 'acrx --')).toEqual(['--help']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function bash(script: string, line: string): Promise<string[]> {
  const driver = 'source "$1"; COMP_LINE=$2; COMP_POINT=${#2}; COMP_WORDS=($2); COMP_CWORD=${#COMP_WORDS[@]}; _acrx; printf "%s\\n" "${COMPREPLY[@]}"';
  return new Promise((resolve, reject) => {
    execFile('bash', ['--norc', '--noprofile', '-c', driver, 'bash', script, line], (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout.split('\n').filter(Boolean));
    });
  });
}

/** The brackets left open or closed unopened, ignoring those in '...' and "..." strings and # comments. */
function unbalanced(script: string): string {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
  let quote: string | undefined;
  for (const line of script.split('\n')) {
    if (line.trimStart().startsWith('#')) continue;
    for (const character of line) {
      if (quote) {
        if (character === quote) quote = undefined;
      } else if (character === "'" || character === '"') {
        quote = character;
      } else if ('({['.includes(character)) {
        stack.push(character);
      } else if (character in pairs) {
        if (stack.pop() !== pairs[character]) return `unexpected ${character} in: ${line}`;
      }
    }
  }
  return stack.join('');
}
