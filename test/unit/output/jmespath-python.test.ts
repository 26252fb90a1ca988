// --query answers as Python's jmespath 1.0.1 (what az runs) gives them, one test per place where
// @jmespath-community/jmespath answers differently. Every expected value is what
// jmespath.search(expression, data, Options(dict_cls=OrderedDict)) returned (or raised) in Python.
import { describe, expect, it } from 'vitest';
import { AcrxError, ExitCode, UsageError } from '../../../src/errors.js';
import { compileQuery } from '../../../src/output/query.js';
import { render } from '../../../src/output/render.js';

const search = (expression: string, data: unknown = null): unknown => compileQuery(expression).search(data);

/** The expression fails to compile: a usage error (exit 2), as argparse reports it. */
function expectSyntaxError(expression: string): void {
  let caught: unknown;
  try {
    compileQuery(expression);
  } catch (error) {
    caught = error;
  }
  expect(caught, expression).toBeInstanceOf(UsageError);
}

/** A function call the expression alone shows is wrong: a usage error (exit 2) before any data; its message. */
function callUsageError(expression: string): string {
  try {
    compileQuery(expression);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`${expression} compiled`);
}

/** The search fails: a command error (exit 1), not a usage error; returns its message. */
function evaluationError(expression: string, data: unknown = null): string {
  const query = compileQuery(expression);
  try {
    query.search(data);
  } catch (error) {
    expect(error).toBeInstanceOf(AcrxError);
    expect(error).not.toBeInstanceOf(UsageError);
    expect((error as AcrxError).exitCode).toBe(ExitCode.error);
    return (error as AcrxError).message;
  }
  throw new Error(`no error for ${expression}`);
}

const JMESPATH_ERROR = 'Invalid jmespath query supplied for `--query`: ';
const PYTHON_ERROR = 'The command failed with an unexpected error: ';

// `az acr manifest list-metadata` items, oldest first (--orderby time_asc).
const MANIFEST_METADATA = [
  {
    digest: 'sha256:1111',
    imageSize: 2048,
    createdTime: '2023-05-01T10:00:00.1234567Z',
    lastUpdateTime: '2023-05-01T10:00:00.1234567Z',
    tags: ['v1'],
    changeableAttributes: { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true },
  },
  {
    digest: 'sha256:2222',
    imageSize: 4096,
    createdTime: '2023-12-31T23:59:59.9999999Z',
    lastUpdateTime: '2023-12-31T23:59:59.9999999Z',
    changeableAttributes: { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true },
  },
  {
    digest: 'sha256:3333',
    imageSize: 8192,
    createdTime: '2024-01-01T00:00:00.0000000Z',
    lastUpdateTime: '2024-03-05T08:30:00.0000000Z',
    tags: ['latest'],
    changeableAttributes: { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true },
  },
];

describe('--query grammar, as Python jmespath 1.0.1', () => {
  it('rejects arithmetic operators, which Python jmespath does not have', () => {
    // Python: LexerError for + - / % // − × ÷, ParseError for `a * b`
    for (const expression of ['a + b', 'a - b', 'a * b', 'a / b', 'a % b', 'a // b', '-a', '+a', 'a − b', 'a × b', 'a ÷ b']) {
      expectSyntaxError(expression);
    }
  });

  it('rejects $root, $variables and let expressions', () => {
    // Python: LexerError: Unknown token $
    for (const expression of ['$', '$.a', 'let $a = @ in $a']) expectSyntaxError(expression);
  });

  it('rejects the ?: ternary and a single =', () => {
    // Python: LexerError: Unknown token ? / Unknown token '='
    for (const expression of ['a ? b : c', 'a = b', 'a =! b']) expectSyntaxError(expression);
  });

  it('requires commas between the items of a multi-select list', () => {
    // Python: ParseError: Expecting: comma, got: unquoted_identifier
    expectSyntaxError('[a b]');
    expect(search('[a, b]', { a: 1, b: 2 })).toEqual([1, 2]);
  });

  it('reads a number as digits only, so [1-2] is two numbers and an error', () => {
    // Python: ParseError (the community lexer read "1-2" as the number 1)
    expectSyntaxError('[1-2]');
    expectSyntaxError('[--1]');
  });

  it('rejects an unterminated raw string or literal', () => {
    // Python: LexerError: Unclosed ' delimiter / Unclosed ` delimiter
    expectSyntaxError("'abc");
    expectSyntaxError('`abc');
    expectSyntaxError("'abc\\'");
  });

  it('keeps \\\\ as two backslashes in a raw string, unescaping only \\\'', () => {
    // jmespath.search(r"'a\\b'", None) == 'a\\\\b' (two backslashes); r"'it\'s'" gives "it's"
    expect(search("'a\\\\b'")).toBe('a\\\\b');
    expect(search("'it\\'s'")).toBe("it's");
  });

  it('unescapes every \\` in a backtick literal', () => {
    // jmespath.search(r'`"a\`b\`c"`', None) == 'a`b`c'
    expect(search('`"a\\`b\\`c"`')).toBe('a`b`c');
    expect(search('`a\\`b\\`c`')).toBe('a`b`c');
  });

  it('reads NaN, Infinity and -Infinity in a literal as numbers, as json.loads does', () => {
    // Python: inf, -inf, [nan, 1]
    expect(search('`Infinity`')).toBe(Number.POSITIVE_INFINITY);
    expect(search('`-Infinity`')).toBe(Number.NEGATIVE_INFINITY);
    expect(search('`[NaN, 1]`')).toEqual([Number.NaN, 1]);
    // not a JSON key: the deprecated-string fallback applies
    expect(search('`{NaN: 1}`')).toBe('{NaN: 1}');
  });

  it('reads JSON with trailing whitespace in a literal as JSON', () => {
    // Python: True and None (json.loads skips the space); the community lexer made strings of them
    expect(search('`true `')).toBe(true);
    expect(search('`null `', 1)).toBeNull();
  });

  it('extends an index expression with a slice instead of projecting over it', () => {
    // Python: a[0][0:2].b is None (.b of the sliced list), a[0][0:2] is the list
    const data = { a: [[{ b: 1 }, { b: 2 }], [{ b: 3 }]] };
    expect(search('a[0][0:2].b', data)).toBeNull();
    expect(search('a[0][0:2]', data)).toEqual([{ b: 1 }, { b: 2 }]);
    expect(search('a[0:1][0]', data)).toEqual([{ b: 1 }]);
  });
});

describe('--query comparisons, as Python jmespath 1.0.1', () => {
  it('orders ISO timestamps as strings with < like Python (the ACR clean-up recipe)', async () => {
    // az acr manifest list-metadata ... --orderby time_asc --query "[?lastUpdateTime < '2024-01-01'].digest" -o tsv
    // Python: ['sha256:1111', 'sha256:2222']
    const query = compileQuery("[?lastUpdateTime < '2024-01-01'].digest");
    expect(query.search(MANIFEST_METADATA)).toEqual(['sha256:1111', 'sha256:2222']);
    expect(await render(MANIFEST_METADATA, { format: 'tsv', color: false, query })).toBe('sha256:1111\nsha256:2222\n');
    // Python: ['sha256:3333']
    expect(search("[?lastUpdateTime >= '2024-01-01'].digest", MANIFEST_METADATA)).toEqual(['sha256:3333']);
  });

  it('orders strings by code point, not by UTF-16 unit', () => {
    // Python: '😀' < '\uffff' is False, '\uffff' < '😀' is True, 'B' < 'a' is True
    expect(search("'😀' < '\uffff'")).toBe(false);
    expect(search("'\uffff' < '😀'")).toBe(true);
    expect(search("'B' < 'a'")).toBe(true);
    expect(search("'a' <= 'a'")).toBe(true);
  });

  it('fails on ordering a number against a string, and gives null for other types', () => {
    // Python: TypeError: '<' not supported between instances of 'int' and 'str'
    expect(evaluationError("`1` < 'a'")).toBe(`${PYTHON_ERROR}TypeError: '<' not supported between instances of 'int' and 'str'`);
    expect(evaluationError("[?lastUpdateTime > `5`]", MANIFEST_METADATA)).toBe(
      `${PYTHON_ERROR}TypeError: '>' not supported between instances of 'str' and 'int'`,
    );
    // Python: None for bools, null, arrays
    expect(search('`true` < `false`')).toBeNull();
    expect(search("'a' < `null`")).toBeNull();
  });

  it('treats 1 and 0 as true and false inside arrays and objects, but not at the top', () => {
    // Python: [1] == [True] and {'a': 0} == {'a': False} are True; 1 == True is False in jmespath
    expect(search('`[1]` == `[true]`')).toBe(true);
    expect(search('`{"a": 0}` == `{"a": false}`')).toBe(true);
    expect(search('`[[1.0]]` != `[[true]]`')).toBe(false);
    expect(search('`1` == `true`')).toBe(false);
    expect(search('`0` != `false`')).toBe(true);
  });
});

describe('--query evaluation, as Python jmespath 1.0.1', () => {
  it('looks up own keys only, never inherited members such as constructor', () => {
    // Python: dict.get → None; [?constructor] keeps nothing
    expect(search('constructor', {})).toBeNull();
    expect(search('toString', { a: 1 })).toBeNull();
    expect(search('[?constructor]', [{}, { constructor: 'x' }])).toEqual([{ constructor: 'x' }]);
  });

  it('keeps a __proto__ key as an ordinary key', () => {
    // Python: {'__proto__': 1}; merge keeps it too
    const built = search('{__proto__: @}', 1) as Record<string, unknown>;
    expect(Object.keys(built)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(built, '__proto__')?.value).toBe(1);
    const merged = search('merge(@)', JSON.parse('{"__proto__": 2, "a": 3}')) as Record<string, unknown>;
    expect(Object.keys(merged)).toEqual(['__proto__', 'a']);
    expect(search('__proto__', JSON.parse('{"__proto__": 4}'))).toBe(4);
  });

  it('goes on evaluating the right of a dot when the left is null', () => {
    // Python: a.to_string(@) on {} is 'null', a.not_null(@, 'x') is 'x', a.length(@) raises
    expect(search('a.to_string(@)', {})).toBe('null');
    expect(search("a.not_null(@, 'x')", {})).toBe('x');
    expect(evaluationError('a.length(@)', {})).toBe(
      `${JMESPATH_ERROR}In function length(), invalid type for value: None, expected one of: ['string', 'array', 'object'], received: "null"`,
    );
  });

  it('slices arrays only: a slice of a string is null', () => {
    // Python: None for all three
    expect(search('@[0:2]', 'abc')).toBeNull();
    expect(search('a[::-1]', { a: 'abc' })).toBeNull();
    expect(search('[0:1]', 'ab')).toBeNull();
    expect(search('[::-1]', [1, 2, 3])).toEqual([3, 2, 1]);
  });

  it('reports a zero slice step as Python does', () => {
    // Python: ValueError: slice step cannot be zero
    expect(evaluationError('[::0]', [1])).toBe(`${PYTHON_ERROR}ValueError: slice step cannot be zero`);
    // Python: None (a string is not sliced at all)
    expect(search('[::0]', 'ab')).toBeNull();
  });

  it('takes data with an expref key for data, not for an expression reference', () => {
    // Python: 2, ['expref', 'type'], 'object'
    const data = { expref: true, type: 'Field' };
    expect(search('length(@)', data)).toBe(2);
    expect(search('keys(@)', data)).toEqual(['expref', 'type']);
    expect(search('type(@)', data)).toBe('object');
  });

  it('fails when the result holds an expression reference, which az cannot print', () => {
    // Python (az printing the result): TypeError: Object of type _Expression is not JSON serializable
    const message = `${PYTHON_ERROR}TypeError: Object of type _Expression is not JSON serializable`;
    expect(evaluationError('&a', {})).toBe(message);
    expect(evaluationError('not_null(&a)', {})).toBe(message);
    // Python: None (type() has no name for it)
    expect(search('type(&a)', {})).toBeNull();
  });
});

describe('--query functions, as Python jmespath 1.0.1', () => {
  it('knows only the 26 functions of Python jmespath, and refuses any other before reading data (exit 2)', () => {
    // Python: UnknownFunctionError: Unknown function: lower() — raised by the search; known from the expression.
    const unknown = ['lower', 'upper', 'items', 'from_items', 'group_by', 'find_first', 'find_last', 'split', 'replace'];
    unknown.push('pad_left', 'pad_right', 'trim', 'trim_left', 'trim_right', 'zip');
    for (const name of unknown) {
      expect(callUsageError(`${name}(@)`)).toBe(`argument --query: Unknown function: ${name}() in '${name}(@)'`);
    }
    expect(callUsageError('[].constructor(@)')).toBe(`argument --query: Unknown function: constructor() in '[].constructor(@)'`);
    expect(callUsageError("sort_by(@, &foo(name))")).toBe(`argument --query: Unknown function: foo() in 'sort_by(@, &foo(name))'`);
  });

  it('checks arguments and words the errors as Python does', () => {
    expect(evaluationError('length(`5`)')).toBe(
      `${JMESPATH_ERROR}In function length(), invalid type for value: 5, expected one of: ['string', 'array', 'object'], received: "number"`,
    );
    expect(callUsageError('length(@, @)')).toBe(`argument --query: Expected 1 argument for function length(), received 2 in 'length(@, @)'`);
    expect(callUsageError('merge()')).toBe(`argument --query: Expected at least 1 argument for function merge(), received 0 in 'merge()'`);
    // The element type is Python's type name
    expect(evaluationError('sort(@)', [1, 'a'])).toBe(
      `${JMESPATH_ERROR}In function sort(), invalid type for value: a, expected one of: ['array-string', 'array-number'], received: "str"`,
    );
    expect(evaluationError('sort_by(@, &a)', [{ a: 1 }, { a: 'x' }])).toBe(
      `${JMESPATH_ERROR}In function sort_by(), invalid type for value: x, expected one of: ['number'], received: "string"`,
    );
  });

  it('sorts numbers by value', () => {
    // Python: [1, 9, 10, 100]
    expect(search('sort(@)', [10, 9, 1, 100])).toEqual([1, 9, 10, 100]);
    expect(search('sort(@)', [2.5, -1, 10])).toEqual([-1, 2.5, 10]);
  });

  it('keeps the order of equal keys in sort_by (a stable sort)', () => {
    // Python: [2, 0, 1, 3, 4, 5]
    const data = [0, 1, 2, 3, 4, 5].map((i) => ({ a: i === 2 ? 'a' : 'x', i }));
    expect(search('sort_by(@, &a)[].i', data)).toEqual([2, 0, 1, 3, 4, 5]);
    // Python: the two 2024 manifests keep their order
    const sameTime = MANIFEST_METADATA.map((m) => ({ ...m, lastUpdateTime: '2024-01-01T00:00:00Z' }));
    expect(search('sort_by(@, &lastUpdateTime)[].digest', sameTime)).toEqual(['sha256:1111', 'sha256:2222', 'sha256:3333']);
  });

  it('takes max and min of strings by code point', () => {
    // Python: 'a', 'B', '😀', '\uffff'
    expect(search('max(@)', ['a', 'B'])).toBe('a');
    expect(search('min(@)', ['a', 'B'])).toBe('B');
    expect(search('max(@)', ['😀', '\uffff'])).toBe('😀');
    expect(search('min(@)', ['😀', '\uffff'])).toBe('\uffff');
  });

  it('finds max_by and min_by with string keys and falsy elements', () => {
    // Python: the latest and the oldest manifest; 0; '' ; the first of equal keys
    expect((search('max_by(@, &lastUpdateTime)', MANIFEST_METADATA) as { digest: string }).digest).toBe('sha256:3333');
    expect((search('min_by(@, &lastUpdateTime)', MANIFEST_METADATA) as { digest: string }).digest).toBe('sha256:1111');
    expect(search('max_by(@, &@)', [0, -1])).toBe(0);
    expect(search('min_by(@, &@)', ['', 'a'])).toBe('');
    expect(search('max_by(@, &a)', [{ a: 1, i: 0 }, { a: 1, i: 1 }])).toEqual({ a: 1, i: 0 });
    // Python: TypeError: '>' not supported between instances of 'str' and 'int'
    expect(evaluationError('max_by(@, &a)', [{ a: 1 }, { a: 'x' }])).toBe(
      `${PYTHON_ERROR}TypeError: '>' not supported between instances of 'str' and 'int'`,
    );
  });

  it('finds arrays and objects in an array by value with contains', () => {
    // Python: True for all four (1 == True in Python)
    expect(search('contains(@, `[1]`)', [[1]])).toBe(true);
    expect(search('contains(@, `{"a": 1}`)', [{ a: 1 }])).toBe(true);
    expect(search('contains(@, `true`)', [1])).toBe(true);
    expect(search("[?contains(tags, 'latest')].digest", MANIFEST_METADATA.map((m) => ({ ...m, tags: m.tags ?? [] })))).toEqual(['sha256:3333']);
  });

  it('fails on contains of a non-string in a string', () => {
    // Python: TypeError: 'in <string>' requires string as left operand, not int
    expect(evaluationError("contains('abc', `1`)")).toBe(`${PYTHON_ERROR}TypeError: 'in <string>' requires string as left operand, not int`);
  });

  it('writes to_string as json.dumps does: ASCII only, Python number spellings', () => {
    // Python: '[1.5,"\\u00e9\\ud83d\\ude00",{"a":null}]', '1e-07', '1e+22', '"x"' stays 'x'
    expect(search('to_string(@)', [1.5, 'é😀', { a: null }])).toBe('[1.5,"\\u00e9\\ud83d\\ude00",{"a":null}]');
    expect(search('to_string(@)', 1e-7)).toBe('1e-07');
    expect(search('to_string(@)', 1e22)).toBe('1e+22');
    expect(search('to_string(@)', '\u007f')).toBe('\u007f');
    expect(search('to_string(@)', ['\u007f'])).toBe('["\\u007f"]');
  });

  it('reads numbers in to_number as int() and float() do', () => {
    // Python: None, None, None, 1000, 12, inf, 1000.0, 1, None, 3.5
    expect(search("to_number('0x10')")).toBeNull();
    expect(search("to_number('')")).toBeNull();
    expect(search("to_number(' ')")).toBeNull();
    expect(search("to_number('1_000')")).toBe(1000);
    expect(search("to_number(' 12\n')")).toBe(12);
    expect(search("to_number('inf')")).toBe(Number.POSITIVE_INFINITY);
    expect(search("to_number('1e3')")).toBe(1000);
    expect(search("to_number('\u0661')")).toBe(1);
    expect(search("to_number('0b1')")).toBeNull();
    expect(search("to_number('\u0663.5')")).toBe(3.5);
  });

  it('reverses a long string by code point', () => {
    // Python: len(s[::-1]) == 600000 and it starts with '😀ba'
    const reversed = search('reverse(@)', 'ab😀'.repeat(200_000)) as string;
    expect(reversed.length).toBe(800_000); // UTF-16 units: 200k × (1 + 1 + 2)
    expect(reversed.startsWith('😀ba😀ba')).toBe(true);
    expect(search('reverse(@)', 'a😀b')).toBe('b😀a');
  });

  it('cannot round infinity or NaN in ceil and floor', () => {
    // Python: OverflowError: cannot convert float infinity to integer; ValueError for NaN
    expect(evaluationError("ceil(to_number('inf'))")).toBe(`${PYTHON_ERROR}OverflowError: cannot convert float infinity to integer`);
    expect(evaluationError("floor(to_number('nan'))")).toBe(`${PYTHON_ERROR}ValueError: cannot convert float NaN to integer`);
  });

  it('merges later arguments as dict.update() does', () => {
    // Python: {'b': 2, 'a': 1}; TypeError: 'int' object is not iterable
    expect(search('merge(`{"b": 0}`, `{"a": 1}`, `[["b", 2]]`)')).toEqual({ b: 2, a: 1 });
    expect(evaluationError('merge(`{}`, `1`)')).toBe(`${PYTHON_ERROR}TypeError: 'int' object is not iterable`);
    // Python: In function merge(), invalid type for value: [1], ... (only the first argument is checked)
    expect(evaluationError('merge(`[1]`)')).toBe(
      `${JMESPATH_ERROR}In function merge(), invalid type for value: [1], expected one of: ['object'], received: "array"`,
    );
  });
});
