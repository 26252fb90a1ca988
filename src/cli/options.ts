// Flags every command shares, and the validation of what commander hands over: its values arrive
// untyped and leave here as the command's options type, or as a usage error.
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { addGlobalHelpOption, globalOption } from './help.js';
import { OUTPUT_FORMATS } from '../output/render.js';
import { validateRegistryName } from '../reference/login-server.js';
import { quote } from '../reference/quote.js';
import type { ChangeableAttributes } from '../registry/attributes.js';
import type { TimeOrder } from '../registry/ordering.js';

/** What commander parsed for one command: option values by camel-cased name. */
export type OptionValues = Readonly<Record<string, unknown>>;

export function textValue(values: OptionValues, key: string): string | undefined {
  const value = values[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new UsageError(`argument ${flagName(key)}: expected one value`);
  return value;
}

export function flagValue(values: OptionValues, key: string): boolean {
  return values[key] === true;
}

export function listValue(values: OptionValues, key: string): string[] | undefined {
  const value = values[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    throw new UsageError(`argument ${flagName(key)}: expected values`);
  }
  return value;
}

/** A flag given once per value (`--annotation a=1 --annotation b=2`): unlike `<value...>` it never
 * swallows the positional arguments that follow it. */
export function repeatable(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

// ---- output and logging: every command --------------------------------------------------------

export interface GlobalOptions {
  output?: string;
  query?: string;
  verbose: boolean;
  debug: boolean;
  onlyShowErrors: boolean;
}

/** Output and logging flags, listed under the global heading with -h/--help. */
export function addGlobalOptions(command: Command, extraFormats: readonly string[] = []): Command {
  return addShared(addGlobalHelpOption(command), [
    new Option('-o, --output <format>', 'output format').choices([...OUTPUT_FORMATS, ...extraFormats]),
    new Option('--query <jmespath>', 'JMESPath query string; see http://jmespath.org/ for more information and examples'),
    new Option('--verbose', 'increase logging verbosity; use --debug for full debug logs'),
    new Option('--debug', 'increase logging verbosity to show all debug logs, with every secret redacted'),
    new Option('--only-show-errors', 'only show errors, suppressing warnings'),
  ]);
}

function addShared(command: Command, options: readonly Option[]): Command {
  for (const option of options) command.addOption(globalOption(option));
  return command;
}

export function parseGlobalOptions(values: OptionValues): GlobalOptions {
  const output = textValue(values, 'output');
  const query = textValue(values, 'query');
  return {
    ...(output !== undefined ? { output } : {}),
    ...(query !== undefined ? { query } : {}),
    verbose: flagValue(values, 'verbose'),
    debug: flagValue(values, 'debug'),
    onlyShowErrors: flagValue(values, 'onlyShowErrors'),
  };
}

// ---- the registry and how to reach it ---------------------------------------------------------

export interface RegistryOptions {
  /** The flag that names the registry, for messages. */
  flag: RegistryFlag;
  /** Registry name or login server; default ACRX_REGISTRY or the configured default. */
  name?: string;
  suffix?: string;
  username?: string;
  password?: string;
  passwordStdin: boolean;
  plainHttp: boolean;
  insecure: boolean;
  caFile?: string;
  /** Requests in flight for per-tag work. */
  concurrency?: number;
  /** --timeout: the most the whole command may take talking to the registry. */
  timeoutSeconds?: number;
  /** A username without a password asks for it on a terminal, as `az acr login` and `docker login` do. */
  promptForPassword?: boolean;
  /**
   * The login server a reference carried in front when -n/-r named the registry too: the two must mean
   * the same registry, which resolveTarget checks once the cloud (ACRX_LOGIN_SERVER_SUFFIX) is known.
   */
  inReference?: { loginServer: string; text: string; what: string };
}

/** Which flag names the registry: `-n/--name` everywhere but the manifest group, which keeps az's `-r/--registry`. */
export type RegistryFlag = 'name' | 'registry';

const REGISTRY_HELP = 'registry name (myreg → myreg.azurecr.io) or login server (ghcr.io, localhost:5000); default: ACRX_REGISTRY or the configured default';

export interface ConnectionFlags {
  /** Output formats beyond the common ones (`tree`). */
  extraFormats?: readonly string[];
  /** Shown in help for commands that move blobs; hidden (a tuning knob) elsewhere. */
  concurrencyHelp?: string;
}

/** The registry flag and the connection flags (plus the global ones). */
export function addRegistryOptions(command: Command, flag: RegistryFlag = 'name', flags: ConnectionFlags = {}): Command {
  return addConnectionOptions(addRegistryFlag(command, flag), flags);
}

export function addRegistryFlag(command: Command, flag: RegistryFlag): Command {
  return command.option(flag === 'name' ? '-n, --name <registry>' : '-r, --registry <registry>', REGISTRY_HELP);
}

/** How to reach the registry and with which credentials (plus the global flags). */
export function addConnectionOptions(command: Command, flags: ConnectionFlags = {}): Command {
  const concurrency = new Option('--concurrency <n>', flags.concurrencyHelp ?? 'requests in flight for per-tag work');
  const shared = addShared(addSuffixOption(command), [
    new Option('-u, --username <username>', 'username for the registry'),
    new Option('-p, --password <password>', 'password or token for the registry'),
    new Option('--password-stdin', 'read the password or token from standard input'),
    new Option('--plain-http', 'use plain HTTP instead of HTTPS (always allowed for loopback hosts)'),
    new Option('--insecure', 'skip TLS certificate verification'),
    new Option('--ca-file <file>', 'PEM file of extra CA certificates to trust'),
    new Option('--timeout <seconds>', 'give up after this many seconds in all (default: no overall limit; a stalled server ends the command within about a minute)'),
  ]);
  // Where it is shown (commands that move blobs) it is the command's own knob, not a shared flag.
  return addGlobalOptions(shared.addOption(flags.concurrencyHelp ? concurrency : concurrency.hideHelp()), flags.extraFormats);
}

export function addSuffixOption(command: Command): Command {
  return command.addOption(globalOption(new Option('--suffix <suffix>', "tenant suffix of the login server: 'myreg-SUFFIX.azurecr.io'")));
}

export function parseRegistryOptions(values: OptionValues, flag: RegistryFlag = 'name'): RegistryOptions {
  const optional = (key: string, as: keyof RegistryOptions = key as keyof RegistryOptions) => {
    const value = textValue(values, key);
    return value === undefined ? {} : { [as]: value };
  };
  const concurrency = textValue(values, 'concurrency');
  const timeout = textValue(values, 'timeout');
  const name = textValue(values, flag);
  // The registry is checked with the other flags, so a bad name is reported before any file is read.
  if (name) validateRegistryName(name, textValue(values, 'suffix'));
  return {
    flag,
    ...optional(flag, 'name'),
    ...optional('suffix'),
    ...optional('username'),
    ...optional('password'),
    ...optional('caFile'),
    passwordStdin: flagValue(values, 'passwordStdin'),
    plainHttp: flagValue(values, 'plainHttp'),
    insecure: flagValue(values, 'insecure'),
    ...(concurrency !== undefined ? { concurrency: parseWholeNumber('--concurrency', concurrency, 64) } : {}),
    ...(timeout !== undefined ? { timeoutSeconds: parseWholeNumber('--timeout', timeout, 86_400) } : {}),
  };
}

/** A count given on the command line: decimal digits only, from 1 to `max`. */
export function parseWholeNumber(flag: string, value: string, max = Number.MAX_SAFE_INTEGER, least = 1): number {
  const parsed = Number(value);
  if (/^[0-9]+$/.test(value) && parsed >= least && parsed <= max) return parsed;
  const expected = max !== Number.MAX_SAFE_INTEGER ? `from ${least} to ${max}` : parsed > max ? `of at most ${max}` : `of at least ${least}`;
  throw new UsageError(`argument ${flag}: invalid value ${quote(value)} (a whole number ${expected})`);
}

// ---- listing flags ----------------------------------------------------------------------------

export function addTopOption(command: Command): Command {
  return command.option('--top <n>', 'limit the number of items in the results');
}

export function parseTop(values: OptionValues): number | undefined {
  const value = textValue(values, 'top');
  return value === undefined ? undefined : parseWholeNumber('--top', value);
}

const ORDER_CHOICES: readonly TimeOrder[] = ['time_asc', 'time_desc'];

export function addOrderOption(command: Command): Command {
  return command.addOption(
    new Option('--orderby <order>', 'order the items in the results; default is alphabetical order of names').choices(ORDER_CHOICES),
  );
}

export function parseOrder(values: OptionValues): TimeOrder | undefined {
  const value = textValue(values, 'orderby');
  if (value === undefined) return undefined;
  const order = ORDER_CHOICES.find((choice) => choice === value);
  if (!order) throw new UsageError(`argument --orderby: invalid choice: ${quote(value)} (choose from ${ORDER_CHOICES.join(', ')})`);
  return order;
}

/** --top and --orderby, as the service takes them. */
export function parseListing(values: OptionValues): { top?: number; orderby?: TimeOrder } {
  const top = parseTop(values);
  const orderby = parseOrder(values);
  return { ...(top !== undefined ? { top } : {}), ...(orderby ? { orderby } : {}) };
}

// ---- changeable attributes --------------------------------------------------------------------

const ATTRIBUTE_FLAGS = [
  ['--delete-enabled', 'deleteEnabled', 'whether delete operation is allowed'],
  ['--write-enabled', 'writeEnabled', 'whether write or delete operation is allowed'],
  ['--read-enabled', 'readEnabled', 'whether read operation is allowed'],
  ['--list-enabled', 'listEnabled', 'whether this item shows in list operation results'],
] as const;

export function addAttributeOptions(command: Command): Command {
  for (const [flag, , help] of ATTRIBUTE_FLAGS) command.option(`${flag} <bool>`, `${help} (true|false)`);
  return command;
}

/** The --*-enabled values given, as booleans; anything but true/false is a usage error. */
export function parseAttributes(values: OptionValues): ChangeableAttributes {
  const attributes: ChangeableAttributes = {};
  for (const [flag, key] of ATTRIBUTE_FLAGS) {
    const value = textValue(values, key);
    if (value === undefined) continue;
    const lowered = value.toLowerCase();
    if (lowered !== 'true' && lowered !== 'false') {
      throw new UsageError(`argument ${flag}: invalid value ${quote(value)} (use true or false)`);
    }
    attributes[key] = lowered === 'true';
  }
  return attributes;
}
