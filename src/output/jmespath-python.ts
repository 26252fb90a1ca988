// Python's jmespath 1.0.1 (what az evaluates --query with) on top of @jmespath-community/jmespath.
// The two differ in their grammar, in how they compare and order values, and in their function
// libraries. Every difference is handled in this file, with a note on what Python does:
//
// - Grammar. The community parser reads a larger language (arithmetic, $root, $variables, let,
//   ?: ternaries) with a different lexer, so the lexer and Pratt parser below follow Python's
//   grammar instead and build the library's AST nodes.
// - Evaluation. PythonInterpreter subclasses the library's tree interpreter and takes over the
//   node types Python evaluates differently; all other nodes are the library's.
// - Functions. Only Python's 26 functions exist, with Python's argument checks and messages; the
//   library's implementation runs where it gives Python's answer, ours where it does not.
//
// Numbers: JavaScript has no int/float distinction, so an integral value within the safe range is
// taken for a Python int and any other value for a float, as the formatters do (pyNumber).
//
// This module is loaded with query.ts, only when --query is used.

import { TreeInterpreter } from '@jmespath-community/jmespath';
import type { JSONValue } from '@jmespath-community/jmespath';
import { JmespathError, JmespathSyntaxError, PythonError } from '../errors.js';
import { compareCodePoints, isJsonObject, pyLstrip, pyNumber, pyRepr, pyStr, pyStrip } from './formats/python.js';

type Interpreter = typeof TreeInterpreter;
type Node = Parameters<Interpreter['visit']>[0];
type Visited = ReturnType<Interpreter['visit']>;
type KeyValuePair = Extract<Node, { type: 'MultiSelectHash' }>['children'][number];
type ComparatorName = Extract<Node, { type: 'Comparator' }>['name'];

// ---------------------------------------------------------------------------------------------
// Lexer: Python's tokens. The community lexer also has $, =, ?, + - * / % //, and Unicode
// operators (all "Unknown token" in Python), reads "1-2" as one number, accepts unterminated
// quotes, unescapes \\ in raw strings and only the first \` in a literal, and cannot read NaN.

// Python's token types with their binding power in its Pratt parser (0: ends an expression).
const BINDING_POWER = {
  eof: 0, unquoted_identifier: 0, quoted_identifier: 0, literal: 0, rbracket: 0, rparen: 0, comma: 0,
  rbrace: 0, number: 0, current: 0, expref: 0, colon: 0, pipe: 1, or: 2, and: 3, eq: 5, gt: 5, lt: 5, gte: 5,
  lte: 5, ne: 5, flatten: 9, star: 20, filter: 21, dot: 40, not: 45, lbrace: 50, lbracket: 55, lparen: 60,
} as const;
type TokenType = keyof typeof BINDING_POWER;

interface Token {
  readonly type: TokenType;
  readonly value: unknown;
  readonly start: number;
}

const SIMPLE_TOKENS = new Map<string, TokenType>([
  ['.', 'dot'], ['*', 'star'], [']', 'rbracket'], [',', 'comma'], [':', 'colon'],
  ['@', 'current'], ['(', 'lparen'], [')', 'rparen'], ['{', 'lbrace'], ['}', 'rbrace'],
]);
const START_IDENTIFIER = /[A-Za-z_]/;
const IDENTIFIER_TAIL = /[A-Za-z0-9_]*/y;
const DIGITS = /[0-9]*/y;
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

function lexError(message: string, position: number): JmespathSyntaxError {
  return new JmespathSyntaxError(`Bad jmespath expression: ${message} (column ${position})`);
}

function tokenize(expression: string): Token[] {
  if (expression === '') throw new JmespathSyntaxError('Invalid JMESPath expression: cannot be empty.');
  const tokens: Token[] = [];
  const push = (type: TokenType, value: unknown, start: number): void => {
    tokens.push({ type, value, start });
  };
  // Two-character operators: `second` after `first` makes `long`, else `short`.
  const pair = (start: number, second: string, long: TokenType, short: TokenType): number => {
    const first = expression[start] ?? '';
    if (expression[start + 1] === second) {
      push(long, first + second, start);
      return start + 2;
    }
    push(short, first, start);
    return start + 1;
  };
  let pos = 0;
  while (pos < expression.length) {
    const ch = expression[pos] ?? '';
    const start = pos;
    const simple = SIMPLE_TOKENS.get(ch);
    if (simple !== undefined) {
      push(simple, ch, start);
      pos += 1;
    } else if (START_IDENTIFIER.test(ch)) {
      IDENTIFIER_TAIL.lastIndex = pos + 1;
      IDENTIFIER_TAIL.exec(expression);
      pos = IDENTIFIER_TAIL.lastIndex;
      push('unquoted_identifier', expression.slice(start, pos), start);
    } else if (WHITESPACE.has(ch)) {
      pos += 1;
    } else if (ch === '[') {
      const next = expression[pos + 1];
      if (next === ']') push('flatten', '[]', start);
      else if (next === '?') push('filter', '[?', start);
      else push('lbracket', '[', start);
      pos += next === ']' || next === '?' ? 2 : 1;
    } else if (ch === "'") {
      const [text, end] = consumeUntil(expression, pos, "'");
      // Python unescapes \' only; a \\ stays two backslashes.
      push('literal', text.replaceAll("\\'", "'"), start);
      pos = end;
    } else if (ch === '|') {
      pos = pair(pos, '|', 'or', 'pipe');
    } else if (ch === '&') {
      pos = pair(pos, '&', 'and', 'expref');
    } else if (ch === '`') {
      const [text, end] = consumeUntil(expression, pos, '`');
      push('literal', parseLiteral(text.replaceAll('\\`', '`'), start), start);
      pos = end;
    } else if ((ch >= '0' && ch <= '9') || ch === '-') {
      // A number is -?[0-9]+; a lone '-' is an unknown token.
      DIGITS.lastIndex = pos + 1;
      DIGITS.exec(expression);
      const text = expression.slice(start, DIGITS.lastIndex);
      if (text === '-') throw lexError("Unknown token '-'", start);
      push('number', Number.parseInt(text, 10), start);
      pos = DIGITS.lastIndex;
    } else if (ch === '"') {
      const [text, end] = consumeUntil(expression, pos, '"');
      const parsed = parseJson(`"${text}"`);
      if (!parsed.ok) throw lexError(`Invalid quoted identifier "${text}"`, start);
      push('quoted_identifier', parsed.value, start);
      pos = end;
    } else if (ch === '<') {
      pos = pair(pos, '=', 'lte', 'lt');
    } else if (ch === '>') {
      pos = pair(pos, '=', 'gte', 'gt');
    } else if (ch === '!') {
      pos = pair(pos, '=', 'ne', 'not');
    } else if (ch === '=' && expression[pos + 1] === '=') {
      push('eq', '==', start);
      pos += 2;
    } else {
      throw lexError(`Unknown token ${ch}`, start);
    }
  }
  push('eof', '', expression.length);
  return tokens;
}

/**
 * The text between a delimiter and the next unescaped one, and the position after it. A backslash
 * keeps itself and the character after it (so \<delimiter> does not close).
 */
function consumeUntil(expression: string, start: number, delimiter: string): [string, number] {
  let text = '';
  let pos = start + 1;
  for (;;) {
    let ch = expression[pos];
    if (ch === delimiter) return [text, pos + 1];
    if (ch === '\\') {
      text += ch;
      pos += 1;
      ch = expression[pos];
    }
    if (ch === undefined) throw lexError(`Unclosed ${delimiter} delimiter`, start);
    text += ch;
    pos += 1;
  }
}

/** `...` literal: JSON, else (deprecated form) the text as a JSON string, as Python reads it. */
function parseLiteral(text: string, start: number): unknown {
  const json = parseJson(text);
  if (json.ok) return json.value;
  // Python: json.loads('"%s"' % lexeme.lstrip()); the community lexer strips JavaScript whitespace
  // and takes `true ` (trailing space) for a string where Python reads true.
  const asString = parseJson(`"${pyLstrip(text)}"`);
  if (asString.ok) return asString.value;
  throw lexError(`Bad token ${text}`, start);
}

type Parsed = { ok: true; value: unknown } | { ok: false };

/** json.loads: JSON, plus the NaN, Infinity and -Infinity Python's json module also reads. */
function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return /NaN|Infinity/.test(text) ? parseJsonWithConstants(text) : { ok: false };
  }
}

const JSON_STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const JSON_SCALAR = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null|NaN|-?Infinity/y;
const JSON_SPACE = /[ \t\n\r]*/y;
const CONSTANTS = new Map<string, unknown>([
  ['true', true], ['false', false], ['null', null],
  ['NaN', Number.NaN], ['Infinity', Number.POSITIVE_INFINITY], ['-Infinity', Number.NEGATIVE_INFINITY],
]);

/** A JSON reader for the rare text JSON.parse refuses only because of NaN / Infinity. */
function parseJsonWithConstants(text: string): Parsed {
  let pos = 0;
  const fail = (): never => {
    throw new SyntaxError('not JSON');
  };
  const match = (re: RegExp): string | undefined => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (m === null) return undefined;
    pos = re.lastIndex;
    return m[0];
  };
  const skip = (token: string): boolean => {
    match(JSON_SPACE);
    if (!text.startsWith(token, pos)) return false;
    pos += token.length;
    return true;
  };
  const string = (): string => JSON.parse(match(JSON_STRING) ?? fail()) as string;
  const value = (): unknown => {
    match(JSON_SPACE);
    if (skip('{')) {
      const obj: Record<string, unknown> = {};
      if (skip('}')) return obj;
      do {
        match(JSON_SPACE);
        const key = string();
        if (!skip(':')) fail();
        setKey(obj, key, value());
      } while (skip(','));
      return skip('}') ? obj : fail();
    }
    if (skip('[')) {
      const list: unknown[] = [];
      if (skip(']')) return list;
      do {
        list.push(value());
      } while (skip(','));
      return skip(']') ? list : fail();
    }
    if (text[pos] === '"') return string();
    const scalar = match(JSON_SCALAR) ?? fail();
    return CONSTANTS.has(scalar) ? CONSTANTS.get(scalar) : Number(scalar);
  };
  try {
    const result = value();
    match(JSON_SPACE);
    return pos === text.length ? { ok: true, value: result } : { ok: false };
  } catch {
    return { ok: false };
  }
}

// ---------------------------------------------------------------------------------------------
// Parser: Python's Pratt parser, building the library's nodes. Beyond the operators the lexer
// already refuses, Python differs from the community parser in two places: a multi-select list
// needs commas ([a b] is an error), and a bracket after an index expression extends it without
// starting a projection (a[0][0:2].b takes .b of the sliced list, not of each element).

const PROJECTION_STOP = 10;
const COMPARATORS: Partial<Record<TokenType, ComparatorName>> = { eq: 'EQ', ne: 'NE', lt: 'LT', lte: 'LTE', gt: 'GT', gte: 'GTE' };
const IDENTITY: Node = { type: 'Identity' };

class Parser {
  private index = 0;
  hasExpref = false;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): Node {
    const node = this.expression(0);
    if (this.current !== 'eof') this.fail(this.token, `Unexpected token: ${String(this.token.value)}`);
    return node;
  }

  private get token(): Token {
    return this.tokens[this.index] ?? this.tokens[this.tokens.length - 1]!;
  }

  private get current(): TokenType {
    return this.token.type;
  }

  private lookahead(offset: number): TokenType | undefined {
    return this.tokens[this.index + offset]?.type;
  }

  private fail(token: Token, reason: string): never {
    if (token.type === 'eof') throw new JmespathSyntaxError('Invalid jmespath expression: Incomplete expression');
    throw new JmespathSyntaxError(`${reason}: Parse error at column ${token.start}, token "${String(token.value)}" (${token.type.toUpperCase()})`);
  }

  private match(type: TokenType): void {
    if (this.current !== type) this.fail(this.token, `Expecting: ${type}, got: ${this.current}`);
    this.index += 1;
  }

  private expression(bindingPower: number): Node {
    const token = this.token;
    this.index += 1;
    let left = this.nud(token);
    while (bindingPower < BINDING_POWER[this.current]) {
      const next = this.token;
      this.index += 1;
      left = this.led(next, left);
    }
    return left;
  }

  private nud(token: Token): Node {
    switch (token.type) {
      case 'literal':
        return { type: 'Literal', value: token.value as JSONValue };
      case 'unquoted_identifier':
        return { type: 'Field', name: token.value as string };
      case 'quoted_identifier':
        if (this.current === 'lparen') this.fail(this.token, 'Quoted identifier not allowed for function names.');
        return { type: 'Field', name: token.value as string };
      case 'star':
        return { type: 'ValueProjection', left: IDENTITY, right: this.current === 'rbracket' ? IDENTITY : this.projectionRhs(BINDING_POWER.star) };
      case 'filter':
        return this.filter(IDENTITY);
      case 'lbrace':
        return this.multiSelectHash();
      case 'lparen': {
        const inner = this.expression(0);
        this.match('rparen');
        return inner;
      }
      case 'flatten':
        return { type: 'Projection', left: { type: 'Flatten', child: IDENTITY }, right: this.projectionRhs(BINDING_POWER.flatten) };
      case 'not':
        return { type: 'NotExpression', child: this.expression(BINDING_POWER.not) };
      case 'lbracket':
        if (this.current === 'number' || this.current === 'colon') return this.projectIfSlice(IDENTITY, this.indexExpression());
        if (this.current === 'star' && this.lookahead(1) === 'rbracket') {
          this.index += 2;
          return { type: 'Projection', left: IDENTITY, right: this.projectionRhs(BINDING_POWER.star) };
        }
        return this.multiSelectList();
      case 'current':
        return { type: 'Current' };
      case 'expref':
        this.hasExpref = true;
        return { type: 'ExpressionReference', child: this.expression(BINDING_POWER.expref) };
      default:
        return this.fail(token, 'invalid token');
    }
  }

  private led(token: Token, left: Node): Node {
    const comparator = COMPARATORS[token.type];
    if (comparator !== undefined) return { type: 'Comparator', name: comparator, left, right: this.expression(BINDING_POWER[token.type]) };
    switch (token.type) {
      case 'dot':
        if (this.current !== 'star') return { type: 'Subexpression', left, right: this.dotRhs(BINDING_POWER.dot) };
        this.index += 1;
        return { type: 'ValueProjection', left, right: this.projectionRhs(BINDING_POWER.dot) };
      case 'pipe':
        return { type: 'Pipe', left, right: this.expression(BINDING_POWER.pipe) };
      case 'or':
        return { type: 'OrExpression', left, right: this.expression(BINDING_POWER.or) };
      case 'and':
        return { type: 'AndExpression', left, right: this.expression(BINDING_POWER.and) };
      case 'lparen': {
        if (left.type !== 'Field') return this.fail(token, 'Invalid function name');
        const args: Node[] = [];
        while (this.current !== 'rparen') {
          args.push(this.expression(0));
          if (this.current === 'comma') this.match('comma');
        }
        this.match('rparen');
        return { type: 'Function', name: left.name, children: args };
      }
      case 'filter':
        return this.filter(left);
      case 'flatten':
        return { type: 'Projection', left: { type: 'Flatten', child: left }, right: this.projectionRhs(BINDING_POWER.flatten) };
      case 'lbracket':
        if (this.current === 'number' || this.current === 'colon') {
          const right = this.indexExpression();
          // Python appends to an index expression in place: a[0][0:2] is not a projection.
          return left.type === 'IndexExpression' ? { type: 'IndexExpression', left, right } : this.projectIfSlice(left, right);
        }
        this.match('star');
        this.match('rbracket');
        return { type: 'Projection', left, right: this.projectionRhs(BINDING_POWER.star) };
      default:
        return this.fail(token, 'invalid token');
    }
  }

  private filter(left: Node): Node {
    const condition = this.expression(0);
    this.match('rbracket');
    const right = this.current === 'flatten' ? IDENTITY : this.projectionRhs(BINDING_POWER.filter);
    return { type: 'FilterProjection', left, right, condition };
  }

  private indexExpression(): Node {
    if (this.current === 'colon' || this.lookahead(1) === 'colon') return this.slice();
    const value = this.token.value as number;
    this.index += 1;
    this.match('rbracket');
    return { type: 'Index', value };
  }

  private slice(): Node {
    const parts: (number | null)[] = [null, null, null];
    let part = 0;
    while (this.current !== 'rbracket' && part < 3) {
      if (this.current === 'colon') {
        part += 1;
        if (part === 3) this.fail(this.token, 'syntax error');
        this.index += 1;
      } else if (this.current === 'number') {
        parts[part] = this.token.value as number;
        this.index += 1;
      } else {
        this.fail(this.token, 'syntax error');
      }
    }
    this.match('rbracket');
    const [start = null, stop = null, step = null] = parts;
    return { type: 'Slice', start, stop, step };
  }

  private projectIfSlice(left: Node, right: Node): Node {
    const indexed: Node = { type: 'IndexExpression', left, right };
    if (right.type !== 'Slice') return indexed;
    return { type: 'Projection', left: indexed, right: this.projectionRhs(BINDING_POWER.star) };
  }

  private multiSelectList(): Node {
    const children: Node[] = [];
    for (;;) {
      children.push(this.expression(0));
      if (this.current === 'rbracket') break;
      this.match('comma');
    }
    this.match('rbracket');
    return { type: 'MultiSelectList', children };
  }

  private multiSelectHash(): Node {
    const children: KeyValuePair[] = [];
    for (;;) {
      const key = this.token;
      if (key.type !== 'quoted_identifier' && key.type !== 'unquoted_identifier') this.fail(key, `Expecting: identifier, got: ${key.type}`);
      this.index += 1;
      this.match('colon');
      children.push({ type: 'KeyValuePair', name: key.value as string, value: this.expression(0) });
      // Python needs no comma between pairs: {a: a b: b} is accepted.
      if (this.current === 'comma') this.match('comma');
      else if (this.current === 'rbrace') {
        this.match('rbrace');
        break;
      }
    }
    return { type: 'MultiSelectHash', children };
  }

  private projectionRhs(bindingPower: number): Node {
    if (BINDING_POWER[this.current] < PROJECTION_STOP) return IDENTITY;
    if (this.current === 'lbracket' || this.current === 'filter') return this.expression(bindingPower);
    if (this.current === 'dot') {
      this.match('dot');
      return this.dotRhs(bindingPower);
    }
    return this.fail(this.token, 'syntax error');
  }

  private dotRhs(bindingPower: number): Node {
    const type = this.current;
    if (type === 'quoted_identifier' || type === 'unquoted_identifier' || type === 'star') return this.expression(bindingPower);
    if (type === 'lbracket') {
      this.match('lbracket');
      return this.multiSelectList();
    }
    if (type === 'lbrace') {
      this.match('lbrace');
      return this.multiSelectHash();
    }
    return this.fail(this.token, `Expecting: identifier, lbracket or lbrace, got: ${type}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Values as Python sees them.

/**
 * Python's _Expression, the value of &expr. The library's {expref: true, ...node} cannot be told
 * apart from data with an `expref` key. `node` is an own enumerable property, so the library's
 * truthiness test sees a non-empty object, truthy as in Python.
 */
class Expref {
  constructor(readonly node: Node) {}
}

type IsOrdered = (obj: object) => boolean;

function isObject(value: unknown): value is Record<string, unknown> {
  return isJsonObject(value) && !(value instanceof Expref);
}

/** type(value).__name__ (an OrderedDict is what a multi-select hash built). */
function pyTypeName(value: unknown, isOrdered: IsOrdered): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isSafeInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Expref) return '_Expression';
  return isOrdered(value) ? 'OrderedDict' : 'dict';
}

/** The C-level type name Python puts in TypeError messages (OrderedDict lives in collections). */
function pyTpName(value: unknown, isOrdered: IsOrdered): string {
  const name = pyTypeName(value, isOrdered);
  return name === 'OrderedDict' ? 'collections.OrderedDict' : name;
}

// functions.TYPES_MAP and REVERSE_TYPES_MAP: Python type names ↔ JMESPath type names.
const JMESPATH_TYPES: Record<string, string> = {
  bool: 'boolean', list: 'array', dict: 'object', OrderedDict: 'object', NoneType: 'null',
  str: 'string', float: 'number', int: 'number', _Expression: 'expref',
};
const PYTHON_TYPES: Record<string, readonly string[]> = {
  boolean: ['bool'], array: ['list'], object: ['dict', 'OrderedDict'], null: ['NoneType'],
  string: ['str'], number: ['float', 'int'], expref: ['_Expression'],
};

function jmespathType(value: unknown, isOrdered: IsOrdered): string {
  return JMESPATH_TYPES[pyTypeName(value, isOrdered)] ?? 'unknown';
}

/** str(value) in a message. */
function describe(value: unknown, isOrdered: IsOrdered): string {
  return value instanceof Expref ? '<jmespath.visitor._Expression object>' : pyStr(value, isOrdered);
}

function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  // Plain assignment to "__proto__" would set the prototype; Python just stores the key.
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Python's ==: bools are the ints 0 and 1, containers compare element by element. */
function pyEquals(a: unknown, b: unknown): boolean {
  if (a instanceof Expref || b instanceof Expref) return a === b; // identity
  const na = typeof a === 'boolean' ? Number(a) : a;
  const nb = typeof b === 'boolean' ? Number(b) : b;
  if (typeof na === 'number' && typeof nb === 'number') return na === nb;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => pyEquals(item, b[i]));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && pyEquals(a[k], b[k]));
  }
  return a === b;
}

/** visitor._equals: at the top level a number never equals a bool; inside containers 1 == true. */
function jmespathEquals(a: unknown, b: unknown): boolean {
  if ((typeof a === 'number' && typeof b === 'boolean') || (typeof a === 'boolean' && typeof b === 'number')) return false;
  return pyEquals(a, b);
}

type Order = '<' | '<=' | '>' | '>=';

/** a <op> b for two numbers or two strings (by code point, as Python's str); mixed: TypeError. */
function pyOrder(op: Order, a: number | string, b: number | string, isOrdered: IsOrdered): boolean {
  if (typeof a === 'string' && typeof b === 'string') {
    const c = compareCodePoints(a, b);
    return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
  }
  if (typeof a === 'number' && typeof b === 'number') return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
  throw new PythonError('TypeError', `'${op}' not supported between instances of '${pyTpName(a, isOrdered)}' and '${pyTpName(b, isOrdered)}'`);
}

/** sorted() order of two values of one type (numbers or strings). */
function compareSameType(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  const x = a as number;
  const y = b as number;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** json.dumps(value, separators=(',', ':'), default=str): ensure_ascii escapes all but printable ASCII. */
function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return pyNumber(value);
  }
  if (typeof value === 'string') return pyJsonString(value);
  if (value instanceof Expref) return pyJsonString('<jmespath.visitor._Expression object>');
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .map((k) => `${pyJsonString(k)}:${pyJsonDumps(obj[k])}`)
    .join(',')}}`;
}

const JSON_SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

function pyJsonString(s: string): string {
  return `"${s.replace(/["\\]|[^ -~]/g, (ch) => JSON_SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

// int(s) / float(s) after str.strip(): '_' may separate digits; float also reads inf and nan.
const PY_INT = /^[+-]?[0-9]+(?:_[0-9]+)*$/;
const PY_FLOAT = /^[+-]?(?:[0-9]+(?:_[0-9]+)*(?:\.(?:[0-9]+(?:_[0-9]+)*)?)?|\.[0-9]+(?:_[0-9]+)*)(?:[eE][+-]?[0-9]+(?:_[0-9]+)*)?$/;
const PY_INF = /^[+-]?inf(?:inity)?$/i;
const PY_NAN = /^[+-]?nan$/i;
const DECIMAL_DIGIT = /\p{Nd}/gu;
const IS_DECIMAL_DIGIT = /^\p{Nd}$/u;

/** Python's int() and float() read any Unicode decimal digit (they come in runs of ten from 0). */
function asciiDigits(s: string): string {
  return s.replace(DECIMAL_DIGIT, (digit) => {
    if (digit >= '0' && digit <= '9') return digit;
    const cp = digit.codePointAt(0) ?? 0;
    let first = cp;
    while (IS_DECIMAL_DIGIT.test(String.fromCodePoint(first - 1))) first -= 1;
    return String((cp - first) % 10);
  });
}

/** to_number(str): int(s), else float(s), else None. JavaScript's Number() would also read '', '0x10', '0b1'. */
function pyStringToNumber(text: string): number | null {
  const s = asciiDigits(pyStrip(text));
  if (PY_INT.test(s) || PY_FLOAT.test(s)) return Number(s.replaceAll('_', ''));
  if (PY_INF.test(s)) return s.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (PY_NAN.test(s)) return Number.NaN;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Functions: Python's table. `params` are Python's signature types per argument ([] = any type);
// without `run`, the library's implementation gives Python's answer and is used.

interface PyFunction {
  readonly params: readonly (readonly string[])[];
  readonly variadic?: boolean;
  readonly run?: (args: readonly unknown[], interpreter: PythonInterpreter) => unknown;
}

function typeError(name: string, value: unknown, actual: string, expected: readonly string[], isOrdered: IsOrdered): JmespathError {
  return new JmespathError(
    `In function ${name}(), invalid type for value: ${describe(value, isOrdered)}, expected one of: ${pyRepr(expected)}, received: "${actual}"`,
  );
}

/** A key function for sort_by / min_by / max_by: the expression's value, of an allowed type. */
function keyFunction(interpreter: PythonInterpreter, expref: Expref, name: string, allowed: readonly string[]): (item: unknown) => number | string {
  return (item) => {
    const key = interpreter.evaluate(expref.node, item);
    const type = jmespathType(key, interpreter.isOrdered);
    if (!allowed.includes(type)) throw typeError(name, key, type, allowed, interpreter.isOrdered);
    return key as number | string;
  };
}

/** max() / min(): the first element no other is greater (smaller) than. */
function extreme(values: readonly unknown[], wanted: 1 | -1): unknown {
  let best: unknown = values[0] ?? null;
  for (const value of values.slice(1)) if (compareSameType(value, best) * wanted > 0) best = value;
  return best;
}

/** max(array, key=...) / min(...): keys compared as Python does (a str and a number raise TypeError). */
function extremeBy(name: 'max_by' | 'min_by', args: readonly unknown[], interpreter: PythonInterpreter): unknown {
  const [array, expref] = args as [unknown[], Expref];
  const key = keyFunction(interpreter, expref, name, ['number', 'string']);
  if (array.length === 0) return null;
  let best = array[0];
  let bestKey = key(best);
  for (const item of array.slice(1)) {
    const itemKey = key(item);
    if (pyOrder(name === 'max_by' ? '>' : '<', itemKey, bestKey, interpreter.isOrdered)) {
      best = item;
      bestKey = itemKey;
    }
  }
  return best;
}

/** dict.update(arg): a mapping, or an iterable of key/value pairs. */
function dictUpdate(target: Record<string, unknown>, arg: unknown, isOrdered: IsOrdered): void {
  if (isObject(arg)) {
    for (const key of Object.keys(arg)) setKey(target, key, arg[key]);
    return;
  }
  const items = Array.isArray(arg) ? arg : typeof arg === 'string' ? [...arg] : undefined;
  if (items === undefined) throw new PythonError('TypeError', `'${pyTpName(arg, isOrdered)}' object is not iterable`);
  items.forEach((item, i) => {
    const pair = Array.isArray(item) ? item : typeof item === 'string' ? [...item] : isObject(item) ? Object.keys(item) : undefined;
    if (pair === undefined) throw new PythonError('TypeError', `cannot convert dictionary update sequence element #${i} to a sequence`);
    if (pair.length !== 2) throw new PythonError('ValueError', `dictionary update sequence element #${i} has length ${pair.length}; 2 is required`);
    const [key, value] = pair as [unknown, unknown];
    if (typeof key === 'object' && key !== null) throw new PythonError('TypeError', `unhashable type: '${pyTpName(key, isOrdered)}'`);
    // A non-str key becomes a str when the result is written as JSON.
    setKey(target, typeof key === 'string' ? key : pyJsonDumps(key), value);
  });
}

const FUNCTIONS = new Map<string, PyFunction>([
  ['abs', { params: [['number']] }],
  ['avg', { params: [['array-number']] }],
  ['ceil', { params: [['number']], run: ([arg]) => integral(arg as number, Math.ceil) }],
  [
    'contains',
    {
      params: [['array', 'string'], []],
      // Python's `in`: list membership by ==; the library compares arrays and objects by reference.
      // On a str, `in` needs a str (TypeError); the library answers null.
      run: ([subject, search], interpreter) => {
        if (Array.isArray(subject)) return subject.some((item) => pyEquals(item, search));
        if (typeof search !== 'string') {
          throw new PythonError('TypeError', `'in <string>' requires string as left operand, not ${pyTpName(search, interpreter.isOrdered)}`);
        }
        return (subject as string).includes(search);
      },
    },
  ],
  ['ends_with', { params: [['string'], ['string']] }],
  ['floor', { params: [['number']], run: ([arg]) => integral(arg as number, Math.floor) }],
  ['join', { params: [['string'], ['array-string']] }],
  ['keys', { params: [['object']] }],
  ['length', { params: [['string', 'array', 'object']] }],
  [
    'map',
    {
      params: [['expref'], ['array']],
      run: ([expref, array], interpreter) => (array as unknown[]).map((item) => interpreter.evaluate((expref as Expref).node, item)),
    },
  ],
  // max() / min() of strings compare code points; the library uses localeCompare.
  ['max', { params: [['array-number', 'array-string']], run: ([array]) => extreme(array as unknown[], 1) }],
  ['max_by', { params: [['array'], ['expref']], run: (args, interpreter) => extremeBy('max_by', args, interpreter) }],
  [
    'merge',
    {
      params: [['object']],
      variadic: true,
      // Only the first argument is type-checked; the rest go through dict.update().
      run: (args, interpreter) => {
        const merged: Record<string, unknown> = {};
        for (const arg of args) dictUpdate(merged, arg, interpreter.isOrdered);
        return merged;
      },
    },
  ],
  ['min', { params: [['array-number', 'array-string']], run: ([array]) => extreme(array as unknown[], -1) }],
  ['min_by', { params: [['array'], ['expref']], run: (args, interpreter) => extremeBy('min_by', args, interpreter) }],
  ['not_null', { params: [[]], variadic: true }],
  [
    'reverse',
    {
      params: [['array', 'string']],
      // str[::-1] by code point; the library's String.fromCodePoint(...) overflows the stack past ~120k.
      run: ([arg]) => (typeof arg === 'string' ? [...arg].reverse().join('') : [...(arg as unknown[])].reverse()),
    },
  ],
  // sorted(): numbers by value (the library sorts numbers as strings), strings by code point.
  ['sort', { params: [['array-string', 'array-number']], run: ([array]) => [...(array as unknown[])].sort(compareSameType) }],
  [
    'sort_by',
    {
      params: [['array'], ['expref']],
      // sorted(array, key=...) is stable; the library's comparator reverses elements with equal string keys.
      run: ([array, expref], interpreter) => {
        const items = array as unknown[];
        if (items.length === 0) return items;
        const first = interpreter.evaluate((expref as Expref).node, items[0]);
        const required = jmespathType(first, interpreter.isOrdered);
        if (required !== 'number' && required !== 'string') {
          throw typeError('sort_by', items[0], required, ['string', 'number'], interpreter.isOrdered);
        }
        const key = keyFunction(interpreter, expref as Expref, 'sort_by', [required]);
        return items
          .map((item) => ({ item, key: key(item) }))
          .sort((a, b) => compareSameType(a.key, b.key))
          .map(({ item }) => item);
      },
    },
  ],
  ['starts_with', { params: [['string'], ['string']] }],
  ['sum', { params: [['array-number']] }],
  ['to_array', { params: [[]] }],
  [
    'to_number',
    {
      params: [[]],
      run: ([arg]) => {
        if (typeof arg === 'number') return arg;
        if (typeof arg === 'string') return pyStringToNumber(arg);
        if (arg instanceof Expref) {
          throw new PythonError('TypeError', "int() argument must be a string, a bytes-like object or a real number, not '_Expression'");
        }
        return null;
      },
    },
  ],
  // json.dumps: ASCII only, Python's number spellings (1e-07, not 1e-7).
  ['to_string', { params: [[]], run: ([arg]) => (typeof arg === 'string' ? arg : pyJsonDumps(arg)) }],
  [
    'type',
    {
      params: [[]],
      // Python answers None for an expression reference; the library takes data with an `expref` key for one.
      run: ([arg], interpreter) => {
        const type = jmespathType(arg, interpreter.isOrdered);
        return type === 'expref' ? null : type;
      },
    },
  ],
  ['values', { params: [['object']] }],
]);

/** math.ceil / math.floor: Python cannot make an int of inf or nan. */
function integral(value: number, round: (x: number) => number): number {
  if (Number.isNaN(value)) throw new PythonError('ValueError', 'cannot convert float NaN to integer');
  if (!Number.isFinite(value)) throw new PythonError('OverflowError', 'cannot convert float infinity to integer');
  return round(value);
}

/** Functions._validate_arguments: arity, then the declared types (array elements too). */
function checkArguments(name: string, spec: PyFunction, args: readonly unknown[], isOrdered: IsOrdered): void {
  checkArity(name, spec, args.length);
  spec.params.forEach((types, i) => {
    if (types.length > 0) checkType(name, args[i], types, isOrdered);
  });
}

function checkArity(name: string, spec: PyFunction, count: number): void {
  const expected = spec.params.length;
  if (spec.variadic ? count < expected : count !== expected) {
    const noun = expected === 1 ? 'argument' : 'arguments';
    throw new JmespathError(`Expected ${spec.variadic ? 'at least ' : ''}${expected} ${noun} for function ${name}(), received ${count}`);
  }
}

/**
 * The function calls of a compiled expression, checked before any data: an unknown name or a wrong
 * number of arguments is known from the expression alone (Python finds it only when the call runs).
 */
export function checkFunctionCalls(node: unknown): void {
  if (Array.isArray(node)) {
    for (const child of node) checkFunctionCalls(child);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as { type?: unknown; name?: unknown; children?: unknown };
  if (record.type === 'Literal') return;
  if (record.type === 'Function' && typeof record.name === 'string') {
    const spec = FUNCTIONS.get(record.name);
    if (spec === undefined) throw new JmespathError(`Unknown function: ${record.name}()`);
    checkArity(record.name, spec, Array.isArray(record.children) ? record.children.length : 0);
  }
  for (const value of Object.values(record)) checkFunctionCalls(value);
}

function checkType(name: string, value: unknown, types: readonly string[], isOrdered: IsOrdered): void {
  const allowed: string[] = [];
  const subtypes: (readonly string[])[] = [];
  for (const type of types) {
    const [outer = '', inner] = type.split('-', 2);
    allowed.push(...(PYTHON_TYPES[outer] ?? []));
    if (inner !== undefined) subtypes.push(PYTHON_TYPES[inner] ?? []);
  }
  const actual = pyTypeName(value, isOrdered);
  if (!allowed.includes(actual)) throw typeError(name, value, JMESPATH_TYPES[actual] ?? 'unknown', types, isOrdered);
  if (subtypes.length === 0 || !Array.isArray(value) || value.length === 0) return;
  // With several element types, the first element decides which one the array must hold.
  const firstType = pyTypeName(value[0], isOrdered);
  const elementTypes = subtypes.length === 1 ? subtypes[0] : subtypes.find((s) => s.includes(firstType));
  if (elementTypes === undefined) throw typeError(name, value[0], firstType, types, isOrdered);
  for (const element of value) {
    const elementType = pyTypeName(element, isOrdered);
    if (!elementTypes.includes(elementType)) throw typeError(name, element, elementType, types, isOrdered);
  }
}

// ---------------------------------------------------------------------------------------------
// Interpreter: the library's, with the nodes Python evaluates differently taken over.

// The package exports its interpreter as an instance; the class is that instance's constructor.
const LibraryInterpreter = TreeInterpreter.constructor as new () => Interpreter;
const ORDERS: Record<string, Order> = { LT: '<', LTE: '<=', GT: '>', GTE: '>=' };

class PythonInterpreter extends LibraryInterpreter {
  /** Objects built by multi-select hashes: Python's OrderedDicts (they show so in messages). */
  private readonly built = new WeakSet<object>();
  readonly isOrdered: IsOrdered = (obj) => this.built.has(obj);

  evaluate(node: Node, value: unknown): unknown {
    return this.visit(node, value as JSONValue);
  }

  override visit(node: Node, value: JSONValue | Node): Visited {
    return this.visitPython(node, value as unknown) as Visited;
  }

  private visitPython(node: Node, value: unknown): unknown {
    switch (node.type) {
      case 'Field':
        // dict.get(): own keys only; the library also returns inherited members such as `constructor`.
        return isObject(value) && Object.hasOwn(value, node.name) ? (value[node.name] ?? null) : null;
      case 'Subexpression':
        // Python goes on with None (a.to_string(@) is "null"); the library stops at null.
        return this.evaluate(node.right, this.evaluate(node.left, value));
      case 'Slice':
        // Python slices lists only; the library also slices strings.
        if (!Array.isArray(value)) return null;
        if (node.step === 0) throw new PythonError('ValueError', 'slice step cannot be zero');
        return super.visit(node, value as JSONValue);
      case 'Comparator': {
        const left = this.evaluate(node.left, value);
        const right = this.evaluate(node.right, value);
        if (node.name === 'EQ') return jmespathEquals(left, right);
        if (node.name === 'NE') return !jmespathEquals(left, right);
        // Python orders numbers and strings (the library numbers only); other values give None.
        const comparable = (x: unknown): x is number | string => typeof x === 'number' || typeof x === 'string';
        if (!comparable(left) || !comparable(right)) return null;
        return pyOrder(ORDERS[node.name] ?? '<', left, right, this.isOrdered);
      }
      case 'MultiSelectList':
        // Python: None on None; the library builds [null, ...].
        return value === null ? null : node.children.map((child) => this.evaluate(child, value));
      case 'MultiSelectHash': {
        if (value === null) return null;
        const built: Record<string, unknown> = {};
        for (const pair of node.children) setKey(built, pair.name, this.evaluate(pair.value, value));
        this.built.add(built);
        return built;
      }
      case 'ExpressionReference':
        return new Expref(node.child);
      case 'Function': {
        const args = node.children.map((child) => this.evaluate(child, value));
        return this.call(node.name, args);
      }
      default:
        return super.visit(node, value as JSONValue);
    }
  }

  private call(name: string, args: unknown[]): unknown {
    // Python knows 26 functions; the library's lower, upper, items, group_by, split, ... do not exist.
    const spec = FUNCTIONS.get(name);
    if (spec === undefined) throw new JmespathError(`Unknown function: ${name}()`);
    checkArguments(name, spec, args, this.isOrdered);
    if (spec.run !== undefined) return spec.run(args, this);
    // Arguments were checked the Python way; the library's own check would take data with an
    // `expref` key for an expression reference.
    const builtin = this.runtime._functionTable[name];
    if (builtin === undefined) throw new Error(`@jmespath-community/jmespath has no ${name}()`);
    return builtin._func.call(this.runtime, args as JSONValue[]) as unknown;
  }
}

const interpreter = new PythonInterpreter();

function containsExpref(value: unknown): boolean {
  if (value instanceof Expref) return true;
  if (Array.isArray(value)) return value.some(containsExpref);
  return isObject(value) && Object.values(value).some(containsExpref);
}

// ---------------------------------------------------------------------------------------------

export interface PythonQuery {
  readonly ast: Node;
  readonly hasExpref: boolean;
}

/** jmespath.compile(expression); throws JmespathSyntaxError. */
export function compilePython(expression: string): PythonQuery {
  const parser = new Parser(tokenize(expression));
  const ast = parser.parse();
  return { ast, hasExpref: parser.hasExpref };
}

/** compiled.search(data, Options(dict_cls=OrderedDict)); throws JmespathError or PythonError. */
export function searchPython(query: PythonQuery, data: unknown): unknown {
  const result: unknown = interpreter.search(query.ast, (data ?? null) as JSONValue);
  // An expression reference is no JSON value: az fails to print it.
  if (query.hasExpref && containsExpref(result)) throw new PythonError('TypeError', 'Object of type _Expression is not JSON serializable');
  return result;
}
