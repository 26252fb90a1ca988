// -o json / -o jsonc, as knack's format_json / format_json_color:
//   json.dumps(result, ensure_ascii=False, indent=2, sort_keys=True, separators=(',', ': ')) + '\n'
// and for jsonc that text run through pygments' JsonLexer + TerminalFormatter (light background).

import { isJsonObject, pyFloatRepr, pyNumber, pySplitlines, sortedKeys } from './python.js';

type TokenKind = 'punct' | 'space' | 'key' | 'string' | 'number' | 'constant';

// pygments TERMINAL_COLORS for the tokens JsonLexer produces (index 0 = light background):
// Whitespace → gray, Name.Tag → brightblue, String → yellow, Number → blue, Keyword.Constant → blue.
const COLOR: Record<TokenKind, string | undefined> = {
  punct: undefined,
  space: '\x1b[37m',
  key: '\x1b[94m',
  string: '\x1b[33m',
  number: '\x1b[34m',
  constant: '\x1b[34m',
};
const RESET = '\x1b[39;49;00m';

/** What TerminalFormatter writes for one token: every line of it wrapped in its colour. */
function ansiToken(color: string | undefined, text: string): string {
  if (color === undefined) return text;
  let out = '';
  for (const line of pySplitlines(text, true)) {
    const body = line.endsWith('\n') ? line.slice(0, -1) : line;
    out += color + body.replace(/\n+$/, '') + RESET;
    if (line.endsWith('\n')) out += '\n';
  }
  return out;
}

function jsonNumber(x: number): string {
  // float.__repr__ except the three non-finite values, which json.dumps spells as JavaScript does.
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return Number.isSafeInteger(x) ? pyNumber(x) : pyFloatRepr(x);
}

const NEEDS_ESCAPE = /["\\\x00-\x1f\ud800-\udfff]/;

function jsonString(s: string): string {
  // With ensure_ascii=False Python escapes exactly what JSON.stringify escapes: '"', '\\', and
  // control characters below U+0020 (\b \f \n \r \t by name, the rest as lowercase \u00XX).
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

function emit(value: unknown, indent: string, push: (kind: TokenKind, text: string) => void): void {
  if (value === null || value === undefined || typeof value === 'function' || typeof value === 'symbol') {
    push('constant', 'null');
  } else if (typeof value === 'boolean') {
    push('constant', value ? 'true' : 'false');
  } else if (typeof value === 'number') {
    push('number', jsonNumber(value));
  } else if (typeof value === 'bigint') {
    push('number', value.toString());
  } else if (typeof value === 'string') {
    push('string', jsonString(value));
  } else if (Array.isArray(value)) {
    if (value.length === 0) {
      push('punct', '[]');
      return;
    }
    const inner = indent + '  ';
    push('punct', '[');
    value.forEach((item, i) => {
      if (i > 0) push('punct', ',');
      push('space', '\n' + inner);
      emit(item, inner, push);
    });
    push('space', '\n' + indent);
    push('punct', ']');
  } else if (isJsonObject(value)) {
    const keys = sortedKeys(value);
    if (keys.length === 0) {
      push('punct', '{}');
      return;
    }
    const inner = indent + '  ';
    push('punct', '{');
    keys.forEach((key, i) => {
      if (i > 0) push('punct', ',');
      push('space', '\n' + inner);
      push('key', jsonString(key));
      push('punct', ':');
      push('space', ' ');
      emit(value[key], inner, push);
    });
    push('space', '\n' + indent);
    push('punct', '}');
  } else {
    push('string', jsonString(String(value)));
  }
}

/** The uncoloured text, built without the per-token callback (results can be large). */
function plain(value: unknown, indent: string): string {
  if (typeof value === 'string') return jsonString(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inner = indent + '  ';
    const items = new Array<string>(value.length);
    for (let i = 0; i < value.length; i++) items[i] = plain(value[i], inner);
    return `[\n${inner}${items.join(`,\n${inner}`)}\n${indent}]`;
  }
  if (isJsonObject(value)) {
    const keys = sortedKeys(value);
    if (keys.length === 0) return '{}';
    const inner = indent + '  ';
    const items = new Array<string>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] ?? '';
      items[i] = `${jsonString(key)}: ${plain(value[key], inner)}`;
    }
    return `{\n${inner}${items.join(`,\n${inner}`)}\n${indent}}`;
  }
  let text = '';
  emit(value, indent, (_kind, t) => {
    text += t;
  });
  return text;
}

export function formatJson(value: unknown, color = false): string {
  // A list of names (tags, repositories) can be 100,000 long: JSON.stringify lays out an array of
  // strings exactly as json.dumps does, with the same escapes, natively.
  if (!color && Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return `${JSON.stringify(value, null, 2)}\n`;
  }
  if (!color) return plain(value, '') + '\n';
  let out = '';
  emit(value, '', (kind, text) => {
    out += ansiToken(COLOR[kind], text);
  });
  return out + ansiToken(COLOR.space, '\n');
}
