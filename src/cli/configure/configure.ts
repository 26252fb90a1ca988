// acrx configure --defaults registry=NAME output=FORMAT: with pairs, stores them (an empty value
// removes the default) and prints nothing; without, shows the defaults.
import { readConfig, updateConfig, type AcrxConfig } from '../../config.js';
import { UsageError } from '../../errors.js';
import { parseOutputFormat } from '../../output/render.js';
import { validateRegistryName } from '../../reference/login-server.js';
import { quote } from '../../reference/quote.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { addGlobalOptions, listValue } from '../options.js';

const KEYS = ['registry', 'output'] as const;
type DefaultKey = (typeof KEYS)[number];

export interface ConfigureOptions {
  /** KEY=VALUE pairs; none shows the current defaults. */
  defaults: Array<{ key: DefaultKey; value: string }>;
}

export type Defaults = NonNullable<AcrxConfig['defaults']>;

export async function runConfigure(options: ConfigureOptions, context: CommandContext): Promise<Defaults | undefined> {
  const env = context.io.env;
  if (options.defaults.length === 0) return readConfig(env).defaults ?? {};
  // Under the file's lock, on what it holds then: a configure run at the same time loses nothing.
  await updateConfig(env, (config) => {
    const defaults: Defaults = { ...config.defaults };
    for (const { key, value } of options.defaults) {
      if (value === '') delete defaults[key];
      else defaults[key] = value;
    }
    return { ...config, defaults };
  });
  return undefined;
}

function parsePair(pair: string): { key: DefaultKey; value: string } {
  const equals = pair.indexOf('=');
  const key = KEYS.find((known) => known === pair.slice(0, equals));
  if (equals < 1 || !key) throw new UsageError(`invalid default ${quote(pair)}: expected KEY=VALUE with KEY one of ${KEYS.join(', ')}`);
  const value = pair.slice(equals + 1);
  // Checked here, with the other flags, so that nothing is read or written for a bad value.
  if (value !== '' && key === 'registry') validateRegistryName(value);
  if (value !== '' && key === 'output') parseOutputFormat(value);
  return { key, value };
}

export const configureCommand = defineCommand<ConfigureOptions, Defaults | undefined>({
  name: 'configure',
  summary: 'Set defaults: acrx configure --defaults registry=NAME [output=FORMAT].',
  flags: (command) => addGlobalOptions(command).option('--defaults <pairs...>', 'space-separated KEY=VALUE pairs; keys: registry, output'),
  parse: ({ values }) => ({ defaults: (listValue(values, 'defaults') ?? []).map(parsePair) }),
  run: runConfigure,
});
