// A cell of a command's own table (az's table transformers): `_get_value`, which prints str(value),
// or ' ' for a missing or empty value — but 0 (and False, which Python counts as 0) print as they are.
import { pyStr } from './formats/python.js';

export function transformerCell(value: unknown): string {
  if (value === undefined || value === null || value === '') return ' ';
  if (Array.isArray(value) && value.length === 0) return ' ';
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return ' ';
  return pyStr(value);
}

/** The value at a path of keys, as `_get_value(item, *keys)` walks it (undefined where it stops). */
export function valueAt(item: unknown, ...keys: string[]): unknown {
  let current = item;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
