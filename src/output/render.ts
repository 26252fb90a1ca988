// Turns a command's result into the text az would print for it (knack's OutputProducer):
// the --query runs first, then the formatter chosen by -o. Nothing is printed when the command
// returned nothing or the result (after the query) is null: knack prints only
// `if cmd_result and cmd_result.result is not None`; falsy results such as [], false, 0 or "" print.
//
// This module is imported at start-up: formatters and the JMESPath engine are loaded only in the
// branch that needs them.

import { UsageError } from '../errors.js';
import type { CompiledQuery } from './query.js';
import { RawOutput } from './raw.js';

export type OutputFormat = 'json' | 'jsonc' | 'yaml' | 'yamlc' | 'table' | 'tsv' | 'none';

export const OUTPUT_FORMATS: readonly OutputFormat[] = Object.freeze([
  'json',
  'jsonc',
  'yaml',
  'yamlc',
  'table',
  'tsv',
  'none',
] as const);

/** -o/--output value (case-insensitive, as knack's type=str.lower). */
export function parseOutputFormat(value: string): OutputFormat {
  const lowered = value.toLowerCase();
  const found = OUTPUT_FORMATS.find((f) => f === lowered);
  if (found !== undefined) return found;
  throw new UsageError(
    `'${lowered}' is not a valid value for '--output'. Allowed values: ${OUTPUT_FORMATS.join(', ')}.`,
  );
}

/** A command's own table layout (az's table transformer): rows whose keys are the columns, in order. */
export type TableRows = Array<Record<string, string>>;

export interface RenderOptions {
  format: OutputFormat;
  query?: CompiledQuery;
  color: boolean;
  /** Used for -o table when no --query is active, as knack applies a transformer. */
  table?: () => TableRows | undefined;
}

/** What goes to stdout for a command's result: raw bytes exactly as they are, anything else rendered. */
export async function renderOutput(result: unknown, options: RenderOptions): Promise<string | Uint8Array> {
  return result instanceof RawOutput ? result.bytes : render(result, options);
}

export async function render(result: unknown, options: RenderOptions): Promise<string> {
  if (result === undefined || options.format === 'none') return '';
  const rows = options.format === 'table' && options.query === undefined ? options.table?.() : undefined;
  if (rows) {
    const { formatTable } = await import('./formats/table.js');
    return formatTable(rows, { sortKeys: false });
  }

  let data = toJsonData(result);
  let isOrdered = (_obj: object): boolean => false;
  if (options.query !== undefined) {
    // Python's jmespath builds multi-select hashes as OrderedDicts (knack passes
    // Options(dict_cls=OrderedDict)): tsv keeps their key order where it sorts plain dicts, and
    // str() shows them as OrderedDict(...) in table cells. The objects that were not in the input
    // are the ones the query built.
    const input = new WeakSet<object>();
    const needsOrder = options.format === 'tsv' || options.format === 'table';
    if (needsOrder) collectObjects(data, input);
    data = toJsonData(options.query.search(data));
    if (needsOrder) isOrdered = (obj) => !input.has(obj);
  }
  if (data === null || data === undefined) return '';

  switch (options.format) {
    case 'json':
    case 'jsonc': {
      const { formatJson } = await import('./formats/json.js');
      // jsonc falls back to json when colour is off (knack's get_formatter).
      return formatJson(data, options.format === 'jsonc' && options.color);
    }
    case 'yaml':
    case 'yamlc': {
      const { formatYaml } = await import('./formats/yaml.js');
      return formatYaml(data, options.format === 'yamlc' && options.color);
    }
    case 'table': {
      const { formatTable } = await import('./formats/table.js');
      // knack sorts the columns only when no query is active (and there is no table transformer).
      return formatTable(data, { sortKeys: options.query === undefined, isOrdered });
    }
    case 'tsv': {
      const { formatTsv } = await import('./formats/tsv.js');
      return formatTsv(data, isOrdered);
    }
    default:
      return '';
  }
}

function collectObjects(value: unknown, into: WeakSet<object>): void {
  if (typeof value !== 'object' || value === null || into.has(value)) return;
  into.add(value);
  for (const child of Array.isArray(value) ? value : Object.values(value)) collectObjects(child, into);
}

/**
 * The value as JSON data, the way az's results are (they come from json.loads / todict): objects
 * with toJSON() are converted, properties that are undefined or functions are dropped, and array
 * slots holding them become null. Values that are already plain JSON are returned as they are
 * (same references), so no copy is made in the common case.
 */
function toJsonData(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return Number(value);
    if (typeof value === 'function' || typeof value === 'symbol') return undefined;
    return value;
  }
  const withToJson = value as { toJSON?: unknown };
  if (typeof withToJson.toJSON === 'function') {
    return toJsonData((withToJson.toJSON as () => unknown).call(value));
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      let converted = toJsonData(item);
      if (converted === undefined) converted = null;
      if (converted !== item && copy === undefined) copy = value.slice(0, i);
      if (copy !== undefined) copy.push(converted);
    });
    return copy ?? value;
  }
  if (value instanceof Map) {
    return toJsonData(Object.fromEntries(value));
  }
  const source = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  const keys = Object.keys(source);
  keys.forEach((key, i) => {
    const item = source[key];
    const converted = toJsonData(item);
    if ((converted !== item || converted === undefined) && copy === undefined) {
      copy = {};
      for (const earlier of keys.slice(0, i)) copy[earlier] = source[earlier];
    }
    if (copy !== undefined && converted !== undefined) copy[key] = converted;
  });
  return copy ?? value;
}
