// acrx configure --defaults registry=NAME output=FORMAT: with pairs, stores them (an empty value
// removes the default) and prints nothing; without, shows the defaults.
import { readConfig, updateConfig, type AcrxConfig } from '../../config.js';
import { UsageError } from '../../errors.js';
import { parseOutputFormat } from '../../output/render.js';
import { validateRegistryName } from '../../reference/login-server.js';
import { quote } from '../../reference/quote.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { addGlobalOptions, flagValue, listValue } from '../options.js';

const KEYS = ['registry', 'output'] as const;
type DefaultKey = (typeof KEYS)[number];
/** az's names for the same defaults: `az configure --defaults acr=myregistry`. */
const AZ_KEYS: Readonly<Record<string, DefaultKey>> = { acr: 'registry' };

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
  const given = pair.slice(0, equals);
  const key = KEYS.find((known) => known === given) ?? (Object.hasOwn(AZ_KEYS, given) ? AZ_KEYS[given] : undefined);
  if (equals < 1 || !key) throw new UsageError(`invalid default ${quote(pair)}: expected KEY=VALUE with KEY one of ${[...KEYS, ...Object.keys(AZ_KEYS)].join(', ')}`);
  const value = pair.slice(equals + 1);
  // Checked here, with the other flags, so that nothing is read or written for a bad value.
  if (value !== '' && key === 'registry') validateRegistryName(value);
  if (value !== '' && key === 'output') parseOutputFormat(value);
  return { key, value };
}

export const configureCommand = defineCommand<ConfigureOptions, Defaults | undefined>({
  name: 'configure',
  summary: 'Set defaults: acrx configure --defaults registry=NAME [output=FORMAT]; -l shows them.',
  examples: [
    { summary: 'Make myregistry the default registry, and tables the default output.', command: 'acrx configure -d acr=myregistry output=table' },
    { summary: 'Show the defaults.', command: 'acrx configure -l' },
    { summary: 'Remove the default registry.', command: 'acrx configure -d registry=' },
  ],
  flags: (command) =>
    addGlobalOptions(command)
      .option('-d, --defaults <pairs...>', "space-separated KEY=VALUE pairs; keys: registry (or az's acr), output")
      .option('-l, --list-defaults', 'show the defaults (as when no pair is given)'),
  parse: ({ values }) => {
    const pairs = listValue(values, 'defaults') ?? [];
    if (pairs.length > 0 && flagValue(values, 'listDefaults')) throw new UsageError('--defaults and --list-defaults are mutually exclusive');
    return { defaults: pairs.map(parsePair) };
  },
  run: runConfigure,
});
