// -o json / jsonc. Expected strings are what knack's format_json prints, i.e. Python's
// json.dumps(result, ensure_ascii=False, indent=2, sort_keys=True, separators=(',', ': ')) + '\n',
// and for jsonc pygments.highlight(that, JsonLexer(), TerminalFormatter()).
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/output/render.js';
import { compileQuery } from '../../../src/output/query.js';
import { formatJson } from '../../../src/output/formats/json.js';
import { MANIFESTS, NUMBERS, REPOSITORIES, TAG, UNICODE } from './fixtures.js';

const json = (result: unknown, query?: string) =>
  render(result, { format: 'json', color: false, query: query === undefined ? undefined : compileQuery(query) });

describe('json', () => {
  it('prints a list of strings (repository list)', async () => {
    // python: '[\n  "hello-world",\n  "samples/ubuntu"\n]\n'
    expect(await json(REPOSITORIES)).toBe('[\n  "hello-world",\n  "samples/ubuntu"\n]\n');
  });

  it('prints show-manifests objects with nested lists, empty list as []', async () => {
    expect(await json(MANIFESTS)).toBe(
      '[\n' +
        '  {\n' +
        '    "digest": "sha256:aaa",\n' +
        '    "tags": [\n' +
        '      "latest",\n' +
        '      "v1"\n' +
        '    ],\n' +
        '    "timestamp": "2023-02-28T18:36:41.1794832Z"\n' +
        '  },\n' +
        '  {\n' +
        '    "digest": "sha256:bbb",\n' +
        '    "tags": [],\n' +
        '    "timestamp": "2023-02-27T10:00:00.0000000Z"\n' +
        '  }\n' +
        ']\n',
    );
  });

  it('sorts keys at every level', async () => {
    expect(await json(TAG)).toBe(
      '{\n' +
        '  "changeableAttributes": {\n' +
        '    "deleteEnabled": true,\n' +
        '    "listEnabled": true,\n' +
        '    "readEnabled": true,\n' +
        '    "writeEnabled": true\n' +
        '  },\n' +
        '  "createdTime": "2023-07-27T02:11:58.5316473Z",\n' +
        '  "digest": "sha256:75399abc",\n' +
        '  "lastUpdateTime": "2023-07-27T02:11:58.5316473Z",\n' +
        '  "name": "v1",\n' +
        '  "signed": false\n' +
        '}\n',
    );
  });

  it('sorts keys by code point, like Python (not by UTF-16 unit, not locale)', async () => {
    // sorted(['b', 'B', 'a', '_', '\uff5e', '\u{1f600}']) → ['B', '_', 'a', 'b', '～', '😀']
    const out = await json({ b: 1, B: 2, a: 3, _: 4, '\uff5e': 5, '\u{1f600}': 6 });
    expect(out).toBe('{\n  "B": 2,\n  "_": 4,\n  "a": 3,\n  "b": 1,\n  "～": 5,\n  "😀": 6\n}\n');
  });

  it('keeps non-ASCII characters as they are (ensure_ascii=False)', async () => {
    // python: '{\n  "description": "Größe 日本語 😀",\n  "name": "é"\n}\n'
    expect(await json(UNICODE)).toBe('{\n  "description": "Größe 日本語 😀",\n  "name": "é"\n}\n');
  });

  it('escapes control characters, quotes and backslashes as json.dumps does', async () => {
    // json.dumps('a"b\\c\n\t\x01\x7f\u2028', ensure_ascii=False) → '"a\\"b\\\\c\\n\\t\\u0001\x7f\u2028"'
    expect(await json('a"b\\c\n\t\x01\x7f\u2028')).toBe('"a\\"b\\\\c\\n\\t\\u0001\x7f\u2028"\n');
  });

  it('prints integers as integers and floats as Python repr()', async () => {
    // python: '{\n  "count": 42,\n  "half": 0.5,\n  "neg": -7,\n  "size": 524288,\n  "small": 0.0001,\n  "tiny": 1.5e-07,\n  "zero": 0\n}\n'
    expect(await json(NUMBERS)).toBe(
      '{\n  "count": 42,\n  "half": 0.5,\n  "neg": -7,\n  "size": 524288,\n  "small": 0.0001,\n  "tiny": 1.5e-07,\n  "zero": 0\n}\n',
    );
    // repr(1e-05) == '1e-05'; repr(1e+16 + 0.5) is not integral; repr(-0.0) == '-0.0' but JSON -0 is int 0
    expect(await json([0.00001, 123.456, 1e22, -0])).toBe('[\n  1e-05,\n  123.456,\n  1e+22,\n  0\n]\n');
  });

  it('prints empty containers and the login --expose-token shape', async () => {
    expect(await json([])).toBe('[]\n');
    expect(await json({})).toBe('{}\n');
    expect(await json({ loginServer: 'myregistry.azurecr.io', accessToken: 'eyJ0eXAi' })).toBe(
      '{\n  "accessToken": "eyJ0eXAi",\n  "loginServer": "myregistry.azurecr.io"\n}\n',
    );
  });

  it('prints scalars produced by a query, including falsy ones', async () => {
    expect(await json([TAG], '[0].name')).toBe('"v1"\n');
    expect(await json(REPOSITORIES, 'length(@)')).toBe('2\n');
    expect(await json(TAG, 'signed')).toBe('false\n');
    expect(await json(REPOSITORIES, '[?@ == `nope`]')).toBe('[]\n');
  });

  it('drops undefined properties and turns undefined array slots into null, like JSON.stringify', async () => {
    expect(await json({ a: undefined, b: [undefined, 1] })).toBe('{\n  "b": [\n    null,\n    1\n  ]\n}\n');
  });

  it('sorts the keys of objects a query built too (json.dumps(sort_keys=True) on an OrderedDict)', async () => {
    // python: '[\n  {\n    "d": "sha256:aaa",\n    "ts": "2023-02-28T18:36:41.1794832Z"\n  }, ...'
    expect(await json(MANIFESTS.slice(0, 1), '[].{ts: timestamp, d: digest}')).toBe(
      '[\n  {\n    "d": "sha256:aaa",\n    "ts": "2023-02-28T18:36:41.1794832Z"\n  }\n]\n',
    );
  });
});

describe('jsonc', () => {
  // pygments TerminalFormatter (light background): Name.Tag \x1b[94m, String \x1b[33m, Number and
  // Keyword.Constant \x1b[34m, Whitespace \x1b[37m (every line of a token wrapped separately),
  // punctuation uncoloured; reset is \x1b[39;49;00m.
  it('colours like knack format_json_color when colour is on', async () => {
    const out = await render({ b: [1, 2.5, true, null, 'x'], a: {} }, { format: 'jsonc', color: true });
    expect(out).toBe(
      '{\x1b[37m\x1b[39;49;00m\n\x1b[37m  \x1b[39;49;00m\x1b[94m"a"\x1b[39;49;00m:\x1b[37m \x1b[39;49;00m{},' +
        '\x1b[37m\x1b[39;49;00m\n\x1b[37m  \x1b[39;49;00m\x1b[94m"b"\x1b[39;49;00m:\x1b[37m \x1b[39;49;00m[' +
        '\x1b[37m\x1b[39;49;00m\n\x1b[37m    \x1b[39;49;00m\x1b[34m1\x1b[39;49;00m,' +
        '\x1b[37m\x1b[39;49;00m\n\x1b[37m    \x1b[39;49;00m\x1b[34m2.5\x1b[39;49;00m,' +
        '\x1b[37m\x1b[39;49;00m\n\x1b[37m    \x1b[39;49;00m\x1b[34mtrue\x1b[39;49;00m,' +
        '\x1b[37m\x1b[39;49;00m\n\x1b[37m    \x1b[39;49;00m\x1b[34mnull\x1b[39;49;00m,' +
        '\x1b[37m\x1b[39;49;00m\n\x1b[37m    \x1b[39;49;00m\x1b[33m"x"\x1b[39;49;00m' +
        '\x1b[37m\x1b[39;49;00m\n\x1b[37m  \x1b[39;49;00m]\x1b[37m\x1b[39;49;00m\n}\x1b[37m\x1b[39;49;00m\n',
    );
  });

  it('falls back to plain json when colour is off', async () => {
    const plain = await render(TAG, { format: 'json', color: false });
    expect(await render(TAG, { format: 'jsonc', color: false })).toBe(plain);
    // and json never colours, whatever the colour setting
    expect(await render(TAG, { format: 'json', color: true })).toBe(plain);
  });

  it('strips back to the plain text', () => {
    const coloured = formatJson(MANIFESTS, true);
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(formatJson(MANIFESTS, false));
  });
});
