// Options every command shares, and the parsing of option values that commander leaves as strings.
import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { OUTPUT_FORMATS } from '../output/render.js';
import type { TimeOrder } from '../registry/inventory.js';

export function addGlobalOptions(command: Command): Command {
  return command
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS as string[]))
    .option('--query <jmespath>', 'JMESPath query string; see http://jmespath.org/ for more information and examples')
    .option('--verbose', 'increase logging verbosity; use --debug for full debug logs')
    .option('--debug', 'increase logging verbosity to show all debug logs, with every secret redacted')
    .option('--only-show-errors', 'only show errors, suppressing warnings');
}

export function addRegistryOptions(command: Command): Command {
  return addGlobalOptions(
    command
      .option('-n, --name <registry>', 'registry name (myreg → myreg.azurecr.io) or login server (ghcr.io, localhost:5000); default: ACRX_REGISTRY or the configured default')
      .option('--suffix <suffix>', "tenant suffix of the login server: 'myreg-SUFFIX.azurecr.io'")
      .option('-u, --username <username>', 'username for the registry')
      .option('-p, --password <password>', 'password or token for the registry')
      .option('--password-stdin', 'read the password or token from standard input')
      .option('--plain-http', 'use plain HTTP instead of HTTPS (always allowed for loopback hosts)')
      .option('--insecure', 'skip TLS certificate verification')
      .option('--ca-file <file>', 'PEM file of extra CA certificates to trust')
      .addOption(new Option('--concurrency <n>', 'requests in flight for per-tag work').default(undefined).hideHelp()),
  );
}

export function parseTop(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw new UsageError(`argument --top: invalid int value: '${value}' (a whole number of at least 1)`);
  }
  return parsed;
}

export const ORDER_CHOICES: TimeOrder[] = ['time_asc', 'time_desc'];

export function orderOption(): Option {
  return new Option('--orderby <order>', 'order the items in the results; default is alphabetical order of names').choices(ORDER_CHOICES);
}

export const ATTRIBUTE_FLAGS = [
  ['--delete-enabled', 'deleteEnabled', 'whether delete operation is allowed'],
  ['--write-enabled', 'writeEnabled', 'whether write or delete operation is allowed'],
  ['--read-enabled', 'readEnabled', 'whether read operation is allowed'],
  ['--list-enabled', 'listEnabled', 'whether this item shows in list operation results'],
] as const;

export type AttributeName = (typeof ATTRIBUTE_FLAGS)[number][1];

/** The --*-enabled values given, as booleans; anything but true/false is a usage error. */
export function parseAttributes(options: Partial<Record<AttributeName, string>>): Partial<Record<AttributeName, boolean>> {
  const attributes: Partial<Record<AttributeName, boolean>> = {};
  for (const [flag, key] of ATTRIBUTE_FLAGS) {
    const value = options[key];
    if (value === undefined) continue;
    const lowered = value.toLowerCase();
    if (lowered !== 'true' && lowered !== 'false') {
      throw new UsageError(`argument ${flag}: invalid value '${value}' (use true or false)`);
    }
    attributes[key] = lowered === 'true';
  }
  return attributes;
}
