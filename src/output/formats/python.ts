// How CPython prints values, for formatters that must match az (which is Python) byte for byte:
// str() / repr() of JSON-like values, float repr, code-point ordering of keys, str.strip(),
// str.splitlines(). Written from the CPython documentation and behaviour, not copied.

export type JsonObject = { [key: string]: unknown };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Python compares str by code point; JS `<` compares UTF-16 code units (they differ above U+E000). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) {
      return (a.codePointAt(i) ?? 0) - (b.codePointAt(i) ?? 0);
    }
  }
  return a.length - b.length;
}

/** Keys whose value is not undefined (JSON.stringify drops those, and so do we). */
export function presentKeys(obj: JsonObject): string[] {
  const keys = Object.keys(obj);
  for (const k of keys) if (obj[k] === undefined) return keys.filter((key) => obj[key] !== undefined);
  return keys;
}

/** Keys in Python `sorted()` order (json.dumps(sort_keys=True), sorted(dict)). */
export function sortedKeys(obj: JsonObject): string[] {
  const keys = presentKeys(obj);
  // UTF-16 order equals code-point order unless a key holds a surrogate or a char above U+D7FF.
  return keys.some((k) => HIGH_UNITS.test(k)) ? keys.sort(compareCodePoints) : keys.sort();
}
const HIGH_UNITS = /[\ud800-\uffff]/;

/** len() of a Python str: code points, not UTF-16 units. */
export function pyLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

// str.isspace() characters (Unicode White_Space plus the ASCII separators \x1c-\x1f).
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const STRIP_RE = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');
const RSTRIP_RE = new RegExp(`[${PY_SPACE}]+$`);
const LSTRIP_RE = new RegExp(`^[${PY_SPACE}]+`);

export function pyStrip(s: string): string {
  return s.replace(STRIP_RE, '');
}

export function pyRstrip(s: string): string {
  return s.replace(RSTRIP_RE, '');
}

export function pyLstrip(s: string): string {
  return s.replace(LSTRIP_RE, '');
}

// str.splitlines() boundaries.
const LINE_BOUNDARY = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;

/** str.splitlines(keepends). */
export function pySplitlines(s: string, keepends = false): string[] {
  const lines: string[] = [];
  let start = 0;
  LINE_BOUNDARY.lastIndex = 0;
  for (let m = LINE_BOUNDARY.exec(s); m !== null; m = LINE_BOUNDARY.exec(s)) {
    const end = m.index + m[0].length;
    lines.push(s.slice(start, keepends ? end : m.index));
    start = end;
  }
  if (start < s.length) lines.push(s.slice(start));
  return lines;
}

/**
 * repr(float). Python switches to exponent notation when the decimal exponent is < -4 or >= 16,
 * writes at least two exponent digits, and always shows a fractional part in fixed notation.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // toExponential() without an argument gives the shortest round-tripping digits, as repr does.
  const [mantissa = '', expText = '0'] = x.toExponential().split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  if (digits.length <= intLen) return `${sign}${digits.padEnd(intLen, '0')}.0`;
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

/**
 * A JSON number as Python prints it after json.loads: integers as int (no ".0"), other values as float.
 * JavaScript cannot tell 1.0 from 1, so every integral value within the safe range is an int here.
 */
export function pyNumber(x: number): string {
  if (Number.isSafeInteger(x)) return String(x === 0 ? 0 : x);
  return pyFloatRepr(x);
}

// Characters str.isprintable() rejects: categories Cc Cf Cs Co Cn Zl Zp Zs, except the ASCII space.
// Made on first use: V8 builds a pattern of Unicode properties from ICU's tables when it is created
// (~1.5% of a small read's instructions), and the JSON output, which loads this module, never asks.
let nonPrintable: RegExp | undefined;
const isNonPrintable = (ch: string): boolean => (nonPrintable ??= /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u).test(ch);

/** repr(str). */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x7f || ch === ' ') out += ch;
    else if (isNonPrintable(ch)) {
      if (cp <= 0xff) out += `\\x${cp.toString(16).padStart(2, '0')}`;
      else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
      else out += `\\U${cp.toString(16).padStart(8, '0')}`;
    } else out += ch;
  }
  return out + quote;
}

/**
 * Whether an object came out of a JMESPath multi-select hash, which Python's jmespath builds as an
 * OrderedDict (knack passes Options(dict_cls=OrderedDict)). Such objects keep their key order in
 * tsv output and print as OrderedDict(...) in repr().
 */
export type IsOrdered = (obj: object) => boolean;
export const neverOrdered: IsOrdered = () => false;

/** repr() of a JSON-like value (Python 3.12 OrderedDict repr for query-built objects). */
export function pyRepr(value: unknown, isOrdered: IsOrdered = neverOrdered): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return pyStrRepr(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumber(value);
  if (Array.isArray(value)) return `[${value.map((v) => pyRepr(v, isOrdered)).join(', ')}]`;
  if (isJsonObject(value)) {
    const body = presentKeys(value)
      .map((k) => `${pyStrRepr(k)}: ${pyRepr(value[k], isOrdered)}`)
      .join(', ');
    if (isOrdered(value)) return body ? `OrderedDict({${body}})` : 'OrderedDict()';
    return `{${body}}`;
  }
  return pyStrRepr(String(value));
}

/** str() of a JSON-like value. */
export function pyStr(value: unknown, isOrdered: IsOrdered = neverOrdered): string {
  if (typeof value === 'string') return value;
  return pyRepr(value, isOrdered);
}
