// -o yaml / -o yamlc, as knack's format_yaml / format_yaml_color:
//   yaml.safe_dump(result, default_flow_style=False, allow_unicode=True)
// (after a json round-trip when --query produced OrderedDicts, so keys are always sorted: safe_dump's
// sort_keys defaults to True), and for yamlc that text coloured by pygments' YamlLexer.
//
// Why not the `yaml` npm package: its quoting (it knows YAML 1.2/1.1 schemas, not PyYAML's implicit
// resolvers, e.g. it quotes 'y' and '1e3' and leaves '=' and '<<' plain), its multi-line style (block
// literals where PyYAML uses folded single quotes) and its line folding (breaks before column 80,
// where PyYAML breaks at the first space past column 80) cannot be configured to PyYAML's. This file
// is a small block-style emitter for JSON data following PyYAML's Emitter rules (scalar analysis,
// style choice, indentation, folding, the '...' after a plain root scalar), written from its
// documented behaviour and checked against PyYAML 6.0 output.
//
// Known differences from az:
// - PyYAML emits anchors/aliases (&id001 / *id001) when the same dict or list object occurs twice
//   in the result (possible with some --query expressions); acrx always writes the value again.
// - yamlc reproduces the colours of pygments' YamlLexer for the shapes below (keys, quoted strings,
//   indicators, whitespace), not every token split it makes, so bytes can differ where the
//   visible colours do not.

import { ansiToken } from './json.js';
import { isJsonObject, pyFloatRepr, pyNumber, sortedKeys } from './python.js';

const BEST_INDENT = 2;
const BEST_WIDTH = 80;

type Kind =
  | 'space' // indentation and separating spaces
  | 'break' // a line break
  | 'indicator' // '-', ':', '?', '[', ']', '{', '}'
  | 'key' // a plain scalar used as a simple mapping key
  | 'plain' // any other plain scalar text
  | 'quote' // quote marks and the text inside quotes
  | 'qspace' // spaces inside quotes (pygments lexes them as Name.Variable)
  | 'document'; // '...'

const YAMLC_COLOR: Record<Kind, string | undefined> = {
  space: '\x1b[37m',
  break: '\x1b[37m',
  indicator: undefined,
  key: '\x1b[94m',
  plain: undefined,
  quote: '\x1b[33m',
  qspace: '\x1b[31m',
  document: '\x1b[04m\x1b[36m',
};

// PyYAML's implicit resolvers (yaml/resolver.py): a str that one of these matches is not written
// plain, because reading it back would give a bool/float/int/null/timestamp/merge/value.
const IMPLICIT_RESOLVERS: readonly RegExp[] = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  /^(?:=)$/,
  /^(?:!|&|\*)$/,
];

// First characters PyYAML's resolvers are registered for (it tries none of them for other strings).
const RESOLVER_FIRST_CHARS = 'yYnNtTfFoO-+0123456789.<~=!&*';

function resolvesToNonString(value: string): boolean {
  if (value !== '' && !RESOLVER_FIRST_CHARS.includes(value.charAt(0))) return false;
  // Python's `$` also matches before a final newline.
  const candidates = value.endsWith('\n') ? [value, value.slice(0, -1)] : [value];
  return candidates.some((v) => IMPLICIT_RESOLVERS.some((re) => re.test(v)));
}

function isBreak(ch: string | undefined): boolean {
  return ch === '\n' || ch === '\x85' || ch === '\u2028' || ch === '\u2029';
}

function isSpaceOrBreakOrEnd(ch: string | undefined): boolean {
  return ch === undefined || ch === ' ' || ch === '\t' || ch === '\r' || ch === '\0' || isBreak(ch);
}

/**
 * A scalar's characters indexed by code point, as Python indexes a str: the string itself when it is
 * printable ASCII (the common case), its code points otherwise.
 */
type Text = string | readonly string[];

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function toText(s: string): Text {
  return PRINTABLE_ASCII.test(s) ? s : Array.from(s);
}

function sub(chars: Text, start: number, end: number): string {
  return typeof chars === 'string' ? chars.slice(start, end) : chars.slice(start, end).join('');
}

const BREAKS_RE = /[\n\x85\u2028\u2029]/;

function hasBreak(chars: Text): boolean {
  return typeof chars === 'string' ? chars.includes('\n') : chars.some(isBreak);
}

interface Analysis {
  chars: Text;
  empty: boolean;
  multiline: boolean;
  allowBlockPlain: boolean;
  allowSingleQuoted: boolean;
}

/** PyYAML Emitter.analyze_scalar, for block context (flow plain is never needed here). */
// Words such as names, digests, timestamps and media types, for which analyze_scalar finds nothing:
// no indicator can apply (the first character is none of them, ':' is never followed by a space or
// the end, there is no '#', space, break or special character).
const SIMPLE_WORD = /^[A-Za-z0-9_/][A-Za-z0-9._/+\-:@=~]*$/;

function analyzeScalar(text: string): Analysis {
  if (SIMPLE_WORD.test(text) && !text.endsWith(':')) {
    return { chars: text, empty: false, multiline: false, allowBlockPlain: true, allowSingleQuoted: true };
  }
  const chars = toText(text);
  if (chars.length === 0) {
    return { chars, empty: true, multiline: false, allowBlockPlain: true, allowSingleQuoted: true };
  }
  let blockIndicators = text.startsWith('---') || text.startsWith('...');
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let precededByWhitespace = true;
  let followedByWhitespace = chars.length === 1 || isSpaceOrBreakOrEnd(chars[1]);
  let previousSpace = false;
  let previousBreak = false;
  const last = chars.length - 1;

  for (let index = 0; index <= last; index++) {
    const ch = chars[index] ?? '';
    if (index === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      if ('?:'.includes(ch) && followedByWhitespace) blockIndicators = true;
      if (ch === '-' && followedByWhitespace) blockIndicators = true;
    } else {
      if (ch === ':' && followedByWhitespace) blockIndicators = true;
      if (ch === '#' && precededByWhitespace) blockIndicators = true;
    }
    if (isBreak(ch)) lineBreaks = true;
    const cp = ch.codePointAt(0) ?? 0;
    if (cp > 0x7e || (cp < 0x20 && ch !== '\n')) {
      const unicode =
        (cp === 0x85 ||
          (cp >= 0xa0 && cp <= 0xd7ff) ||
          (cp >= 0xe000 && cp <= 0xfffd) ||
          (cp >= 0x10000 && cp < 0x10ffff)) &&
        cp !== 0xfeff;
      // allow_unicode=True: printable non-ASCII is fine; anything else forces double quotes.
      if (!unicode) special = true;
    }
    if (ch === ' ') {
      if (index === 0) leadingSpace = true;
      if (index === last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(ch)) {
      if (index === 0) leadingBreak = true;
      if (index === last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isSpaceOrBreakOrEnd(ch);
    followedByWhitespace = index + 2 >= chars.length || isSpaceOrBreakOrEnd(chars[index + 2]);
  }

  let allowBlockPlain = true;
  let allowSingleQuoted = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowBlockPlain = false;
  if (breakSpace) allowBlockPlain = allowSingleQuoted = false;
  if (spaceBreak || special) allowBlockPlain = allowSingleQuoted = false;
  if (lineBreaks) allowBlockPlain = false;
  if (blockIndicators) allowBlockPlain = false;
  return { chars, empty: false, multiline: lineBreaks, allowBlockPlain, allowSingleQuoted };
}

const DOUBLE_QUOTE_ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\x08': 'b',
  '\x09': 't',
  '\x0a': 'n',
  '\x0b': 'v',
  '\x0c': 'f',
  '\x0d': 'r',
  '\x1b': 'e',
  '"': '"',
  '\\': '\\',
  '\x85': 'N',
  '\xa0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
};

interface NodeContext {
  root?: boolean;
  mapping?: boolean;
  simpleKey?: boolean;
}

class BlockEmitter {
  // Output in chunks of a few KiB: one long += chain or millions of array parts both cost more.
  private readonly out: string[] = [];
  private chunk = '';
  private column = 0;
  private whitespace = true;
  private indention = true;
  private openEnded = false;
  private indent: number | null = null;
  private readonly indents: (number | null)[] = [];
  private rootContext = false;
  private mappingContext = false;
  private simpleKeyContext = false;

  constructor(private readonly color: boolean) {}

  document(value: unknown): string {
    this.node(value, { root: true });
    this.writeIndent(); // document end (implicit)
    if (this.openEnded) {
      // stream end after an open-ended (plain) root scalar
      this.writeIndicator('...', true, 'document');
      this.writeIndent();
    }
    this.flushKey();
    this.out.push(this.chunk);
    return this.out.join('');
  }

  // ---- output primitives -------------------------------------------------------------------

  private pendingKey = '';

  private write(text: string, kind: Kind): void {
    if (text === '') return;
    if (!this.color) {
      this.append(text);
      return;
    }
    // pygments lexes a plain mapping key as one Name.Tag token, spaces included.
    if (kind === 'key') {
      this.pendingKey += text;
      return;
    }
    this.flushKey();
    this.append(ansiToken(YAMLC_COLOR[kind], text));
  }

  private append(text: string): void {
    this.chunk += text;
    if (this.chunk.length > 4096) {
      this.out.push(this.chunk);
      this.chunk = '';
    }
  }

  private flushKey(): void {
    if (this.pendingKey !== '') {
      this.append(ansiToken(YAMLC_COLOR.key, this.pendingKey));
      this.pendingKey = '';
    }
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, kind: Kind, opts?: { whitespace?: boolean; indention?: boolean }): void {
    if (!this.whitespace && needWhitespace) {
      this.write(' ', 'space');
      this.column += 1;
    }
    this.write(indicator, kind);
    this.column += indicator.length;
    this.whitespace = opts?.whitespace ?? false;
    this.indention = this.indention && (opts?.indention ?? false);
    this.openEnded = false;
  }

  private writeIndent(): void {
    const indent = this.indent ?? 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) {
      this.writeLineBreak();
    }
    if (this.column < indent) {
      this.whitespace = true;
      this.write(' '.repeat(indent - this.column), 'space');
      this.column = indent;
    }
  }

  private writeLineBreak(data = '\n'): void {
    this.whitespace = true;
    this.indention = true;
    this.column = 0;
    this.write(data, 'break');
  }

  private increaseIndent(flow: boolean, indentless = false): void {
    this.indents.push(this.indent);
    if (this.indent === null) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop() ?? null;
  }

  // ---- nodes -------------------------------------------------------------------------------

  private node(value: unknown, ctx: NodeContext): void {
    this.rootContext = ctx.root ?? false;
    this.mappingContext = ctx.mapping ?? false;
    this.simpleKeyContext = ctx.simpleKey ?? false;
    if (Array.isArray(value)) {
      if (value.length === 0) this.emptyFlow('[', ']');
      else this.blockSequence(value);
    } else if (isJsonObject(value)) {
      const keys = sortedKeys(value);
      if (keys.length === 0) this.emptyFlow('{', '}');
      else this.blockMapping(value, keys);
    } else {
      this.scalar(value);
    }
  }

  private emptyFlow(open: string, close: string): void {
    this.writeIndicator(open, true, 'indicator', { whitespace: true });
    this.writeIndicator(close, false, 'indicator');
  }

  private blockSequence(items: unknown[]): void {
    const indentless = this.mappingContext && !this.indention;
    this.increaseIndent(false, indentless);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, 'indicator', { indention: true });
      this.node(item === undefined ? null : item, {});
    }
    this.popIndent();
  }

  private blockMapping(obj: Record<string, unknown>, keys: string[]): void {
    this.increaseIndent(false);
    for (const key of keys) {
      this.writeIndent();
      const chars = toText(key);
      const simple = chars.length < 128 && chars.length > 0 && !BREAKS_RE.test(key);
      if (simple) {
        this.node(key, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false, 'indicator');
      } else {
        this.writeIndicator('?', true, 'indicator', { indention: true });
        this.node(key, { mapping: true });
        this.writeIndent();
        this.writeIndicator(':', true, 'indicator', { indention: true });
      }
      this.node(obj[key], { mapping: true });
    }
    this.popIndent();
  }

  private scalar(value: unknown): void {
    let text: string;
    let implicitPlain: boolean;
    if (typeof value === 'string') {
      text = value;
      implicitPlain = !resolvesToNonString(value);
    } else {
      text = representNonString(value);
      implicitPlain = true;
    }
    this.increaseIndent(true);
    const analysis = analyzeScalar(text);
    const split = !this.simpleKeyContext;
    let style: '' | "'" | '"' = '"';
    if (implicitPlain && !(this.simpleKeyContext && (analysis.empty || analysis.multiline)) && analysis.allowBlockPlain) {
      style = '';
    } else if (analysis.allowSingleQuoted && !(this.simpleKeyContext && analysis.multiline)) {
      style = "'";
    }
    if (style === '') this.writePlain(analysis.chars, split);
    else if (style === "'") this.writeSingleQuoted(analysis.chars, split);
    else this.writeDoubleQuoted(analysis.chars, split);
    this.popIndent();
  }

  // ---- scalar writers (PyYAML Emitter.write_plain / write_single_quoted / write_double_quoted) --

  private writePlain(chars: Text, split: boolean): void {
    if (this.rootContext) this.openEnded = true;
    if (chars.length === 0) return;
    const kind: Kind = this.simpleKeyContext ? 'key' : 'plain';
    if (!this.whitespace) {
      this.write(' ', 'space');
      this.column += 1;
    }
    this.whitespace = false;
    this.indention = false;
    if (!chars.includes(' ') && !hasBreak(chars)) {
      // One word: the loop below would write it in one piece.
      this.writeText(chars, 0, chars.length, kind);
      return;
    }
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = chars[end];
      if (spaces) {
        if (ch !== ' ') {
          if (start + 1 === end && this.column > BEST_WIDTH && split) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else {
            this.writeText(chars, start, end, kind);
          }
          start = end;
        }
      } else if (breaks) {
        if (!isBreak(ch)) {
          this.writeBreaks(chars, start, end);
          this.whitespace = false;
          this.indention = false;
          start = end;
        }
      } else if (ch === undefined || ch === ' ' || isBreak(ch)) {
        this.writeText(chars, start, end, kind);
        start = end;
      }
      if (ch !== undefined) {
        spaces = ch === ' ';
        breaks = isBreak(ch);
      }
    }
  }

  private writeSingleQuoted(chars: Text, split: boolean): void {
    this.writeIndicator("'", true, 'quote');
    if (!chars.includes(' ') && !chars.includes("'") && !hasBreak(chars)) {
      this.writeText(chars, 0, chars.length, 'quote');
      this.writeIndicator("'", false, 'quote');
      return;
    }
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = chars[end];
      if (spaces) {
        if (ch === undefined || ch !== ' ') {
          if (start + 1 === end && this.column > BEST_WIDTH && split && start !== 0 && end !== chars.length) {
            this.writeIndent();
          } else {
            this.writeText(chars, start, end, 'qspace');
          }
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !isBreak(ch)) {
          this.writeBreaks(chars, start, end);
          start = end;
        }
      } else if (ch === undefined || ch === ' ' || isBreak(ch) || ch === "'") {
        if (start < end) {
          this.writeText(chars, start, end, 'quote');
          start = end;
        }
      }
      if (ch === "'") {
        this.write("''", 'quote');
        this.column += 2;
        start = end + 1;
      }
      if (ch !== undefined) {
        spaces = ch === ' ';
        breaks = isBreak(ch);
      }
    }
    this.writeIndicator("'", false, 'quote');
  }

  private writeDoubleQuoted(chars: Text, split: boolean): void {
    this.writeIndicator('"', true, 'quote');
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = chars[end];
      const cp = ch === undefined ? -1 : (ch.codePointAt(0) ?? 0);
      if (
        ch === undefined ||
        '"\\\x85\u2028\u2029\ufeff'.includes(ch) ||
        !((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd))
      ) {
        if (start < end) {
          this.writeText(chars, start, end, 'quote');
          start = end;
        }
        if (ch !== undefined) {
          const named = DOUBLE_QUOTE_ESCAPES[ch];
          let data: string;
          if (named !== undefined) data = `\\${named}`;
          else if (cp <= 0xff) data = `\\x${cp.toString(16).toUpperCase().padStart(2, '0')}`;
          else if (cp <= 0xffff) data = `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
          else data = `\\U${cp.toString(16).toUpperCase().padStart(8, '0')}`;
          this.write(data, 'quote');
          this.column += data.length;
          start = end + 1;
        }
      }
      if (end > 0 && end < chars.length - 1 && (ch === ' ' || start >= end) && this.column + (end - start) > BEST_WIDTH && split) {
        const data = sub(chars, start, end) + '\\';
        if (start < end) start = end;
        this.writeQuotedRun(data);
        this.column += Array.from(data).length;
        this.writeIndent();
        this.whitespace = false;
        this.indention = false;
        if (chars[start] === ' ') {
          this.write('\\', 'quote');
          this.column += 1;
        }
      }
    }
    this.writeIndicator('"', false, 'quote');
  }

  /** Text inside quotes: spaces lexed apart from the rest, as pygments does. */
  private writeQuotedRun(data: string): void {
    for (const part of data.split(/( +)/)) {
      if (part !== '') this.write(part, part.startsWith(' ') ? 'qspace' : 'quote');
    }
  }

  private writeText(chars: Text, start: number, end: number, kind: Kind): void {
    if (start >= end) return;
    const data = sub(chars, start, end);
    this.column += end - start;
    if (kind === 'quote') this.writeQuotedRun(data);
    else this.write(data, kind);
  }

  private writeBreaks(chars: Text, start: number, end: number): void {
    if (chars[start] === '\n') this.writeLineBreak();
    for (let i = start; i < end; i++) {
      const br = chars[i] ?? '\n';
      this.writeLineBreak(br === '\n' ? '\n' : br);
    }
    this.writeIndent();
  }
}

/** SafeRepresenter for the non-str scalars JSON has. */
function representNonString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (value === Infinity) return '.inf';
    if (value === -Infinity) return '-.inf';
    if (Number.isSafeInteger(value)) return pyNumber(value);
    // represent_float: repr(data).lower(), and '1e+16' → '1.0e+16' so that it resolves as a float.
    const text = pyFloatRepr(value).toLowerCase();
    return !text.includes('.') && text.includes('e') ? text.replace('e', '.0e') : text;
  }
  return String(value);
}

export function formatYaml(value: unknown, color = false): string {
  return new BlockEmitter(color).document(value);
}
