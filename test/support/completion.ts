// Completes a command line in a real bash, zsh or fish with the committed completion script, and
// returns the candidates the shell would offer. `acrx` is on the shells' PATH, so the scripts' registry
// lookups run the built CLI.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACRX_BIN, isolatedEnv } from './cli.js';

export const COMPLETIONS_DIR = fileURLToPath(new URL('../../completions/', import.meta.url));
const ZSH_DRIVER = fileURLToPath(new URL('./zsh-complete.zsh', import.meta.url));

// Sources the script, sets the variables bash sets for a completion function, calls it, prints COMPREPLY.
const BASH_DRIVER = `
source "$ACRX_SCRIPT"
COMP_LINE=$ACRX_LINE
COMP_POINT=\${#COMP_LINE}
[[ -n \${ACRX_WORDBREAKS+set} ]] && COMP_WORDBREAKS=$ACRX_WORDBREAKS
read -r -a COMP_WORDS <<<"$COMP_LINE"
[[ $COMP_LINE == *[[:blank:]] ]] && COMP_WORDS+=('')
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
complete -p acrx >&2
_acrx acrx "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "\${COMPREPLY[@]}"
`;

export interface ShellOptions {
  env?: NodeJS.ProcessEnv;
  /** bash only: COMP_WORDBREAKS instead of bash's default. */
  wordbreaks?: string;
}

/** A PATH whose `acrx` is this checkout's bin/acrx.cjs; remove() deletes it. */
export function acrxOnPath(): { path: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'acrx-completion-bin-'));
  symlinkSync(ACRX_BIN, path.join(dir, 'acrx'));
  return { path: `${dir}${path.delimiter}${process.env.PATH ?? ''}`, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function completeInBash(line: string, options: ShellOptions = {}): Promise<string[]> {
  const env = { ...options.env, ACRX_SCRIPT: path.join(COMPLETIONS_DIR, 'acrx.bash'), ACRX_LINE: line, ...(options.wordbreaks !== undefined ? { ACRX_WORDBREAKS: options.wordbreaks } : {}) };
  const { stdout, stderr } = await run('bash', ['--norc', '--noprofile', '-c', BASH_DRIVER], env);
  if (stderr !== 'complete -F _acrx acrx\n') throw new Error(`bash did not register the completion function cleanly:\n${stderr}`);
  return lines(stdout);
}

export async function completeInZsh(line: string, options: ShellOptions = {}): Promise<string[]> {
  const { stdout } = await run('zsh', ['-f', ZSH_DRIVER, COMPLETIONS_DIR, line], options.env ?? {});
  return lines(stdout);
}

/** fish's candidates without their descriptions. */
export async function completeInFish(line: string, options: ShellOptions = {}): Promise<string[]> {
  const script = `source ${path.join(COMPLETIONS_DIR, 'acrx.fish')}; complete -C $ACRX_LINE`;
  const { stdout } = await run('fish', ['--no-config', '-c', script], { ...options.env, ACRX_LINE: line });
  return lines(stdout).map((candidate) => candidate.split('\t')[0] ?? '');
}

function lines(text: string): string[] {
  return text.split('\n').filter((candidate) => candidate !== '');
}

function run(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { env: isolatedEnv(env), timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${program} failed: ${error.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}
