// -o table, as knack's format_table/_TableOutput (the rows of a command's table transformer, or the
// result itself for commands without one) feeding python-tabulate's tabulate(rows, headers="keys", tablefmt="simple",
// disable_numparse=True), with wcwidth installed (az bundles it) so East Asian wide characters count
// as two columns and combining marks as none. Rules, from knack/output.py and tabulate 0.8.9:
//
// _TableOutput
// - the result is turned into a list of rows (a non-list result is one row);
// - a dict row: keys sorted when no --query is active (item.keys() order otherwise); keys 'id',
//   'type', 'etag' skipped; values that are None, list or dict dropped; the column header is the key
//   with its first character upper-cased;
// - a list row: columns Column1, Column2, ... with the items as they are;
// - any other row (a string, number, bool, None): one column 'Result';
// - an empty list prints just '\n'.
// tabulate "simple"
// - headers: the union of the row keys, in first-seen order; a missing cell is '';
// - every value printed with str() (True/False, None as ''), stripped of surrounding whitespace;
// - column width = max(len(header) + 2, widest cell); cells and headers left-aligned, padded with
//   spaces; a row of '-' under the header; columns joined by two spaces; every line right-stripped;
// - cells with line breaks make multi-line rows.
// A table that comes out empty ('\n') is knack's "Table output unavailable" error.

import { OutputError } from '../../errors.js';
import {
  isJsonObject,
  presentKeys,
  pyLen,
  pyRstrip,
  pySplitlines,
  pyStr,
  pyStrip,
  sortedKeys,
  type IsOrdered,
  neverOrdered,
} from './python.js';

export const TABLE_UNAVAILABLE =
  'Table output unavailable. Use the --query option to specify an appropriate query. Use --debug for more info.';

const SKIP_KEYS = new Set(['id', 'type', 'etag']);
const MIN_PADDING = 2;
const COLUMN_SEPARATOR = '  ';

export interface TableOptions {
  /** False when a --query is active: columns then keep the order of the object keys. */
  sortKeys: boolean;
  isOrdered?: IsOrdered;
}

type Row = Map<string, unknown>;

function capitalizeFirst(key: string): string {
  const cp = key.codePointAt(0);
  if (cp === undefined) return key;
  const first = String.fromCodePoint(cp);
  return first.toUpperCase() + key.slice(first.length);
}

function autoTableItem(item: unknown, sortKeys: boolean): Row {
  const row: Row = new Map();
  if (isJsonObject(item)) {
    const keys = sortKeys ? sortedKeys(item) : presentKeys(item);
    for (const key of keys) {
      if (SKIP_KEYS.has(key)) continue;
      const value = item[key];
      if (value !== null && value !== undefined && typeof value !== 'object') {
        row.set(capitalizeFirst(key), value); // a repeated header keeps its first position
      }
    }
  } else if (Array.isArray(item)) {
    item.forEach((value, i) => row.set(`Column${i + 1}`, value === undefined ? null : value));
  } else {
    row.set('Result', item === undefined ? null : item);
  }
  return row;
}

// ---- widths (wcwidth.wcswidth) ----------------------------------------------------------------

// East Asian Wide (W) and Fullwidth (F) ranges, as wcwidth's WIDE_EASTASIAN table (abridged to the
// blocks text is drawn from; emoji presentation characters are included).
const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0],
  [0x23f3, 0x23f3], [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f],
  [0x2693, 0x2693], [0x26a1, 0x26a1], [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5],
  [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea], [0x26f2, 0x26f3], [0x26f5, 0x26f5],
  [0x26fa, 0x26fa], [0x26fd, 0x26fd], [0x2705, 0x2705], [0x270a, 0x270b], [0x2728, 0x2728],
  [0x274c, 0x274c], [0x274e, 0x274e], [0x2753, 0x2755], [0x2757, 0x2757], [0x2795, 0x2797],
  [0x27b0, 0x27b0], [0x27bf, 0x27bf], [0x2b1b, 0x2b1c], [0x2b50, 0x2b50], [0x2b55, 0x2b55],
  [0x2e80, 0x2e99], [0x2e9b, 0x2ef3], [0x2f00, 0x2fd5], [0x2ff0, 0x2ffb], [0x3000, 0x303e],
  [0x3041, 0x3096], [0x3099, 0x30ff], [0x3105, 0x312f], [0x3131, 0x318e], [0x3190, 0x31e3],
  [0x31f0, 0x321e], [0x3220, 0x3247], [0x3250, 0x4dbf], [0x4e00, 0xa48c], [0xa490, 0xa4c6],
  [0xa960, 0xa97c], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe52],
  [0xfe54, 0xfe66], [0xfe68, 0xfe6b], [0xff01, 0xff60], [0xffe0, 0xffe6], [0x16fe0, 0x16fe4],
  [0x17000, 0x187f7], [0x18800, 0x18cd5], [0x1b000, 0x1b122], [0x1b150, 0x1b152], [0x1b164, 0x1b167],
  [0x1b170, 0x1b2fb], [0x1f004, 0x1f004], [0x1f0cf, 0x1f0cf], [0x1f18e, 0x1f18e], [0x1f191, 0x1f19a],
  [0x1f200, 0x1f202], [0x1f210, 0x1f23b], [0x1f240, 0x1f248], [0x1f250, 0x1f251], [0x1f260, 0x1f265],
  [0x1f300, 0x1f320], [0x1f32d, 0x1f335], [0x1f337, 0x1f37c], [0x1f37e, 0x1f393], [0x1f3a0, 0x1f3ca],
  [0x1f3cf, 0x1f3d3], [0x1f3e0, 0x1f3f0], [0x1f3f4, 0x1f3f4], [0x1f3f8, 0x1f43e], [0x1f440, 0x1f440],
  [0x1f442, 0x1f4fc], [0x1f4ff, 0x1f53d], [0x1f54b, 0x1f54e], [0x1f550, 0x1f567], [0x1f57a, 0x1f57a],
  [0x1f595, 0x1f596], [0x1f5a4, 0x1f5a4], [0x1f5fb, 0x1f64f], [0x1f680, 0x1f6c5], [0x1f6cc, 0x1f6cc],
  [0x1f6d0, 0x1f6d2], [0x1f6d5, 0x1f6d7], [0x1f6eb, 0x1f6ec], [0x1f6f4, 0x1f6fc], [0x1f7e0, 0x1f7eb],
  [0x1f90c, 0x1f93a], [0x1f93c, 0x1f945], [0x1f947, 0x1f9ff], [0x1fa70, 0x1faff], [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200b-\u200f\u2028-\u202e\u2060-\u2063]/u;

function inRanges(cp: number): boolean {
  let lo = 0;
  let hi = WIDE_RANGES.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const range = WIDE_RANGES[mid];
    if (range === undefined) return false;
    if (cp < range[0]) hi = mid - 1;
    else if (cp > range[1]) lo = mid + 1;
    else return true;
  }
  return false;
}

function wcwidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp === 0) return 0;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return -1;
  if (ZERO_WIDTH.test(ch)) return 0;
  return inRanges(cp) ? 2 : 1;
}

/** wcwidth.wcswidth: -1 as soon as one character is non-printable. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function wcswidth(s: string): number {
  if (PRINTABLE_ASCII.test(s)) return s.length;
  let width = 0;
  for (const ch of s) {
    const w = wcwidth(ch);
    if (w < 0) return -1;
    width += w;
  }
  return width;
}

// tabulate's _invisible_codes / _invisible_codes_link (ANSI colours and OSC 8 hyperlinks).
const INVISIBLE_CODES = /\x1b\[\d+[;\d]*m|\x1b\[\d*;\d*;\d*m|\x1b\]8;;(.*?)\x1b\\/g;
const INVISIBLE_LINK = /\x1B]8;[a-zA-Z0-9:]*;[^\x1B]+\x1B\\([^\x1b]+)\x1B]8;;\x1B\\/g;

function stripInvisible(s: string): string {
  return s.replace(INVISIBLE_LINK, '$1').replace(INVISIBLE_CODES, '');
}

/** Python '{0:<{width}s}'.format(s): pads by code points. */
/** max() without spreading (result lists can be longer than the engine's argument limit). */
function maxOf(initial: number, values: readonly number[]): number {
  let max = initial;
  for (const v of values) if (v > max) max = v;
  return max;
}

function padRight(width: number, s: string): string {
  const len = PRINTABLE_ASCII.test(s) ? s.length : pyLen(s);
  return width > len ? s + ' '.repeat(width - len) : s;
}

// ---- tabulate ---------------------------------------------------------------------------------

function tabulateSimple(rows: Row[], isOrdered: IsOrdered): string {
  const headers: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of row.keys()) {
      if (!seen.has(key)) {
        seen.add(key);
        headers.push(key);
      }
    }
  }
  // No column at all: tabulate produces no line, not even a header.
  if (headers.length === 0) return '';

  const matrix = rows.map((row) => headers.map((h) => (row.has(h) ? row.get(h) : null)));
  const str = (v: unknown): string => pyStr(v, isOrdered);

  const plainText = [headers.join('\t'), ...matrix.map((r) => r.map(str).join('\t'))].join('\t');
  const hasInvisible = new RegExp(INVISIBLE_CODES.source).test(plainText) || new RegExp(INVISIBLE_LINK.source).test(plainText);
  const isMultiline = /[\r\n]/.test(plainText);

  const lineWidth = hasInvisible ? (s: string) => wcswidth(stripInvisible(s)) : wcswidth;
  const widthFn = isMultiline ? (s: string) => maxOf(-Infinity, s.split(/[\r\n]/).map(lineWidth)) : lineWidth;

  // _format: None → missingval '', anything else → str(value) (numbers are not parsed).
  const formatted = headers.map((_, c) => matrix.map((r) => {
    const v = r[c];
    return v === null || v === undefined ? '' : str(v);
  }));

  const minWidths = headers.map((h) => widthFn(h) + MIN_PADDING);
  const cols = formatted.map((col, c) => alignColumn(col, minWidths[c] ?? 0, lineWidth, isMultiline));

  const widths = minWidths.map((minw, c) => maxOf(minw, (cols[c] ?? []).map(widthFn)));
  const alignedHeaders = headers.map((h, c) => alignHeader(h, widths[c] ?? 0, widthFn(h), isMultiline, widthFn));

  const lines: string[] = [];
  const appendRow = (cells: string[]): void => {
    if (!isMultiline) {
      lines.push(pyRstrip(cells.join(COLUMN_SEPARATOR)));
      return;
    }
    const cellLines = cells.map((cell) => pySplitlines(cell));
    const height = maxOf(0, cellLines.map((l) => l.length));
    for (let i = 0; i < height; i++) {
      lines.push(pyRstrip(cellLines.map((l, c) => l[i] ?? ' '.repeat(widths[c] ?? 0)).join(COLUMN_SEPARATOR)));
    }
  };
  appendRow(alignedHeaders);
  lines.push(pyRstrip(widths.map((w) => '-'.repeat(Math.max(w, 0))).join(COLUMN_SEPARATOR)));
  for (let r = 0; r < rows.length; r++) appendRow(cols.map((col) => col[r] ?? ''));
  return lines.join('\n');
}

function alignColumn(strings: string[], minWidth: number, lineWidth: (s: string) => number, isMultiline: boolean): string[] {
  const stripped = strings.map(pyStrip);
  if (!isMultiline) {
    const widths = stripped.map(lineWidth);
    const maxWidth = maxOf(minWidth, widths);
    // Width corrections for wide/invisible characters: pad by code points to the visible width.
    return stripped.map((s, i) => padRight(maxWidth - ((widths[i] ?? 0) - pyLen(s)), s));
  }
  const widths = stripped.map((s) => s.split(/[\r\n]/).map(lineWidth));
  const maxWidth = maxOf(minWidth, widths.flat());
  return stripped.map((s, i) => {
    const parts = s.split(/[\r\n]/);
    const visible = (widths[i] ?? []).map((w, j) => maxWidth - (w - pyLen(parts[j] ?? '')));
    const lines = pySplitlines(s);
    const padded: string[] = [];
    for (let j = 0; j < Math.min(lines.length, visible.length); j++) {
      padded.push(padRight(visible[j] ?? 0, lines[j] ?? ''));
    }
    return padded.join('\n');
  });
}

function alignHeader(header: string, width: number, visibleWidth: number, isMultiline: boolean, widthFn: (s: string) => number): string {
  if (isMultiline) {
    return header
      .split(/\r|\n|\r\n/)
      .map((line) => alignHeader(line, width, widthFn(line), false, widthFn))
      .join('\n');
  }
  return padRight(width + (pyLen(header) - visibleWidth), header);
}

export function formatTable(result: unknown, options: TableOptions): string {
  const isOrdered = options.isOrdered ?? neverOrdered;
  let table: string;
  try {
    const list = Array.isArray(result) ? result : [result];
    const rows = list.map((item) => autoTableItem(item, options.sortKeys));
    table = rows.length > 0 ? tabulateSimple(rows, isOrdered) : '';
  } catch (error) {
    throw new OutputError(TABLE_UNAVAILABLE, { cause: error });
  }
  if (table === '\n') throw new OutputError(TABLE_UNAVAILABLE);
  return table + '\n';
}
