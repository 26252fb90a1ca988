// acrx's own settings: $XDG_CONFIG_HOME/acrx/config.json (defaults for registry and output).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readJsonObject, writeJsonAtomically } from './util/json-file.js';

export interface AcrxConfig {
  defaults?: { registry?: string; output?: string };
}

/** $XDG_CONFIG_HOME/acrx: acrx's settings and its credential helper's store. */
export function acrxConfigDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'acrx');
}

export function configPath(env: NodeJS.ProcessEnv): string {
  return join(acrxConfigDir(env), 'config.json');
}

export function readConfig(env: NodeJS.ProcessEnv): AcrxConfig {
  return readJsonObject<AcrxConfig>(configPath(env), "fix or remove it, then run 'acrx configure --defaults ...' again") ?? {};
}

export function writeConfig(env: NodeJS.ProcessEnv, config: AcrxConfig): void {
  writeJsonAtomically(configPath(env), config);
}
