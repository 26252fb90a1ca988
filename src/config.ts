// acrx's own settings: $XDG_CONFIG_HOME/acrx/config.json (defaults for registry and output).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readJsonObject, updateJsonObject } from './util/json-file.js';

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

const FIX_OR_REMOVE = "fix or remove it, then run 'acrx configure --defaults ...' again";

export function readConfig(env: NodeJS.ProcessEnv): AcrxConfig {
  return readJsonObject<AcrxConfig>(configPath(env), FIX_OR_REMOVE) ?? {};
}

/** Changes the settings under the file's lock, starting from what the file holds then. */
export async function updateConfig(env: NodeJS.ProcessEnv, change: (current: AcrxConfig) => AcrxConfig): Promise<void> {
  await updateJsonObject<AcrxConfig>(configPath(env), { advice: FIX_OR_REMOVE, secret: false }, (current = {}) => change(current));
}
