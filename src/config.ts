// acrx's own settings: $XDG_CONFIG_HOME/acrx/config.json (defaults for registry and output).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { AcrxError } from './errors.js';

export interface AcrxConfig {
  defaults?: { registry?: string; output?: string };
}

export function configPath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'acrx', 'config.json');
}

export function readConfig(env: NodeJS.ProcessEnv): AcrxConfig {
  const path = configPath(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new AcrxError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as AcrxConfig;
  } catch {
    throw new AcrxError(`${path} is not valid JSON; fix or remove it, or run 'acrx configure --defaults ...' after removing it`);
  }
}

/** Written to a temporary file first and renamed, so a crash never leaves half a file. */
export function writeConfig(env: NodeJS.ProcessEnv, config: AcrxConfig): void {
  const path = configPath(env);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}
