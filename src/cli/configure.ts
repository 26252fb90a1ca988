// acrx configure --defaults registry=NAME output=FORMAT
import { readConfig, writeConfig, type AcrxConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { parseOutputFormat } from '../output/render.js';
import { resolveRegistry } from '../registry/reference.js';
import type { CommandContext } from './context.js';

const KEYS = ['registry', 'output'] as const;
type DefaultKey = (typeof KEYS)[number];

/** With pairs: stores them (an empty value removes the default) and prints nothing. Without: shows the defaults. */
export async function configure(context: CommandContext, pairs: string[] | undefined): Promise<AcrxConfig['defaults'] | undefined> {
  const env = context.io.env;
  const config = readConfig(env);
  if (!pairs || pairs.length === 0) return config.defaults ?? {};
  const defaults = { ...config.defaults };
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    const key = pair.slice(0, Math.max(equals, 0)) as DefaultKey;
    if (equals < 1 || !KEYS.includes(key)) {
      throw new UsageError(`invalid default '${pair}': expected KEY=VALUE with KEY one of ${KEYS.join(', ')}`);
    }
    const value = pair.slice(equals + 1);
    if (value === '') {
      delete defaults[key];
      continue;
    }
    if (key === 'registry') resolveRegistry(value, { env });
    if (key === 'output') parseOutputFormat(value);
    defaults[key] = value;
  }
  writeConfig(env, { ...config, defaults });
  return undefined;
}
