// -o tsv, as knack's _TsvOutput: one line per item of the result (a non-list result is one item).
// - a dict item: its values separated by tabs, in sorted-key order for a plain dict and in insertion
//   order for an OrderedDict (what a --query multi-select hash builds);
// - a list item: its items separated by tabs;
// - inside an item, a list prints as its length, a dict as an empty field, anything else as str()
//   (so True/False and None print as Python spells them);
// - a bool item prints lower-cased (true/false); any other item as str().

import { isJsonObject, presentKeys, pyStr, sortedKeys, type IsOrdered, neverOrdered } from './python.js';

function field(value: unknown, isOrdered: IsOrdered): string {
  if (Array.isArray(value)) return String(value.length);
  if (isJsonObject(value)) return '';
  return pyStr(value === undefined ? null : value, isOrdered);
}

function row(item: unknown, isOrdered: IsOrdered): string {
  if (isJsonObject(item)) {
    const keys = isOrdered(item) ? presentKeys(item) : sortedKeys(item);
    return keys.map((k) => field(item[k], isOrdered)).join('\t');
  }
  if (Array.isArray(item)) return item.map((v) => field(v, isOrdered)).join('\t');
  if (typeof item === 'boolean') return item ? 'true' : 'false';
  return field(item, isOrdered);
}

export function formatTsv(result: unknown, isOrdered: IsOrdered = neverOrdered): string {
  const items = Array.isArray(result) ? result : [result];
  return items.map((item) => row(item, isOrdered) + '\n').join('');
}
