// -o yaml / yamlc. Expected strings are what knack's format_yaml prints:
// yaml.safe_dump(result, default_flow_style=False, allow_unicode=True) (PyYAML 6.0: keys sorted,
// block style, sequences inside mappings not indented, strings quoted only when needed, a '...' line
// after a plain scalar document), and for yamlc pygments' YamlLexer + TerminalFormatter.
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/output/render.js';
import { compileQuery } from '../../../src/output/query.js';
import { formatYaml } from '../../../src/output/formats/yaml.js';
import { MANIFESTS, NUMBERS, REPOSITORIES, TAG, UNICODE } from './fixtures.js';

const yaml = (result: unknown, query?: string) =>
  render(result, { format: 'yaml', color: false, query: query === undefined ? undefined : compileQuery(query) });

describe('yaml', () => {
  it('prints a list of strings as a top-level block sequence', async () => {
    // python: '- hello-world\n- samples/ubuntu\n'
    expect(await yaml(REPOSITORIES)).toBe('- hello-world\n- samples/ubuntu\n');
  });

  it('prints show-manifests objects: sequences in mappings not indented, timestamps quoted', async () => {
    // python: "- digest: sha256:aaa\n  tags:\n  - latest\n  - v1\n  timestamp: '2023-02-28T18:36:41.1794832Z'\n- digest: sha256:bbb\n  tags: []\n  timestamp: '2023-02-27T10:00:00.0000000Z'\n"
    expect(await yaml(MANIFESTS)).toBe(
      '- digest: sha256:aaa\n' +
        '  tags:\n' +
        '  - latest\n' +
        '  - v1\n' +
        "  timestamp: '2023-02-28T18:36:41.1794832Z'\n" +
        '- digest: sha256:bbb\n' +
        '  tags: []\n' +
        "  timestamp: '2023-02-27T10:00:00.0000000Z'\n",
    );
  });

  it('prints a nested object with sorted keys', async () => {
    expect(await yaml(TAG)).toBe(
      'changeableAttributes:\n' +
        '  deleteEnabled: true\n' +
        '  listEnabled: true\n' +
        '  readEnabled: true\n' +
        '  writeEnabled: true\n' +
        "createdTime: '2023-07-27T02:11:58.5316473Z'\n" +
        'digest: sha256:75399abc\n' +
        "lastUpdateTime: '2023-07-27T02:11:58.5316473Z'\n" +
        'name: v1\n' +
        'signed: false\n',
    );
  });

  it('keeps non-ASCII text unquoted (allow_unicode=True)', async () => {
    // python: 'description: Größe 日本語 😀\nname: é\n'
    expect(await yaml(UNICODE)).toBe('description: Größe 日本語 😀\nname: é\n');
  });

  it('prints numbers as PyYAML represents int and float', async () => {
    // python: 'count: 42\nhalf: 0.5\nneg: -7\nsize: 524288\nsmall: 0.0001\ntiny: 1.5e-07\nzero: 0\n'
    expect(await yaml(NUMBERS)).toBe('count: 42\nhalf: 0.5\nneg: -7\nsize: 524288\nsmall: 0.0001\ntiny: 1.5e-07\nzero: 0\n');
    // represent_float: repr(1e+22).lower() has no '.', so '.0' goes before the 'e'
    expect(await yaml([1e22, 0.00001])).toBe('- 1.0e+22\n- 1.0e-05\n');
  });

  it('quotes only strings that need it, the way PyYAML chooses', async () => {
    const out = await yaml({
      a: '1.0', b: 'yes', c: '', d: 'x: y', e: '- x', f: '#c', g: "it's", h: 'tab\there',
      i: 'line1\nline2', j: '2023-07-27', k: 'null', l: 'sha256:abc', m: '=', n: '1e3', o: ' lead', p: '~',
    });
    // python: a: '1.0' / b: 'yes' / c: '' / d: 'x: y' / e: '- x' / f: '#c' / g: it's / h: "tab\there" /
    // i: 'line1\n\n  line2' / j: '2023-07-27' / k: 'null' / l: sha256:abc / m: '=' / n: 1e3 / o: ' lead' / p: '~'
    expect(out).toBe(
      "a: '1.0'\nb: 'yes'\nc: ''\nd: 'x: y'\ne: '- x'\nf: '#c'\ng: it's\nh: \"tab\\there\"\n" +
        "i: 'line1\n\n  line2'\nj: '2023-07-27'\nk: 'null'\nl: sha256:abc\nm: '='\nn: 1e3\no: ' lead'\np: '~'\n",
    );
  });

  it('indents nested mappings and sequences like PyYAML, empty containers in flow style', async () => {
    // python: 'outer:\n  empty: {}\n  list:\n  - a: 1\n    b:\n    - true\n    - null\n  - - 1\n    - - 2\nz:\n- []\n'
    const out = await yaml({ outer: { list: [{ a: 1, b: [true, null] }, [1, [2]]], empty: {} }, z: [[]] });
    expect(out).toBe('outer:\n  empty: {}\n  list:\n  - a: 1\n    b:\n    - true\n    - null\n  - - 1\n    - - 2\nz:\n- []\n');
    expect(await yaml([])).toBe('[]\n');
    expect(await yaml({})).toBe('{}\n');
  });

  it('folds long plain scalars at the first space past column 80', async () => {
    // python: 'd: word word ... word\n  word ... end\n' (the first line is 82 columns)
    const out = await yaml({ d: 'word '.repeat(25) + 'end' });
    expect(out).toBe(
      'd: word word word word word word word word word word word word word word word word\n' +
        '  word word word word word word word word word end\n',
    );
  });

  it('writes mapping keys of 128+ characters or with line breaks as complex keys', async () => {
    // python: yaml.safe_dump({'': 1}) == "? ''\n: 1\n"
    expect(await yaml({ '': 1 })).toBe("? ''\n: 1\n");
    expect(await yaml({ ['k'.repeat(128)]: 1 })).toBe(`? ${'k'.repeat(128)}\n: 1\n`);
  });

  it("ends a plain scalar document with '...' (--query results)", async () => {
    // python: yaml.safe_dump('v1') == 'v1\n...\n'; safe_dump(2) == '2\n...\n'; safe_dump(False) == 'false\n...\n'
    expect(await yaml([TAG], '[0].name')).toBe('v1\n...\n');
    expect(await yaml(REPOSITORIES, 'length(@)')).toBe('2\n...\n');
    expect(await yaml(TAG, 'signed')).toBe('false\n...\n');
    // a quoted root scalar is not open-ended: safe_dump('1.0') == "'1.0'\n", safe_dump('') == "''\n"
    expect(await yaml('1.0')).toBe("'1.0'\n");
    expect(await yaml('')).toBe("''\n");
  });

  it('sorts the keys of objects a query built (knack round-trips OrderedDicts through json)', async () => {
    // python: "- d: sha256:aaa\n  ts: '2023-02-28T18:36:41.1794832Z'\n- d: sha256:bbb\n  ts: '2023-02-27T10:00:00.0000000Z'\n"
    expect(await yaml(MANIFESTS, '[].{ts: timestamp, d: digest}')).toBe(
      "- d: sha256:aaa\n  ts: '2023-02-28T18:36:41.1794832Z'\n- d: sha256:bbb\n  ts: '2023-02-27T10:00:00.0000000Z'\n",
    );
  });

  it('double-quotes and escapes what cannot be single-quoted', () => {
    // python: yaml.safe_dump(['\x07bell', 'bom\ufeff', 'nbsp\xa0x']) == '- "\\abell"\n- "bom\\uFEFF"\n- nbsp\xa0x\n'
    expect(formatYaml(['\x07bell', 'bom\ufeff', 'nbsp\xa0x'])).toBe('- "\\abell"\n- "bom\\uFEFF"\n- nbsp\xa0x\n');
  });
});

describe('yamlc', () => {
  // pygments YamlLexer: plain keys are Name.Tag (\x1b[94m), quoted strings String (\x1b[33m), plain
  // values and indicators uncoloured, whitespace \x1b[37m, '...' underlined cyan.
  it('colours like knack format_yaml_color', async () => {
    const out = await render({ name: 'v1', tags: ['1.0', 'latest'], size: 3 }, { format: 'yamlc', color: true });
    expect(out).toBe(
      '\x1b[94mname\x1b[39;49;00m:\x1b[37m \x1b[39;49;00mv1\x1b[37m\x1b[39;49;00m\n' +
        '\x1b[94msize\x1b[39;49;00m:\x1b[37m \x1b[39;49;00m3\x1b[37m\x1b[39;49;00m\n' +
        '\x1b[94mtags\x1b[39;49;00m:\x1b[37m\x1b[39;49;00m\n' +
        "-\x1b[37m \x1b[39;49;00m\x1b[33m'\x1b[39;49;00m\x1b[33m1.0\x1b[39;49;00m\x1b[33m'\x1b[39;49;00m\x1b[37m\x1b[39;49;00m\n" +
        '-\x1b[37m \x1b[39;49;00mlatest\x1b[37m\x1b[39;49;00m\n',
    );
    expect(await render('v1', { format: 'yamlc', color: true })).toBe(
      'v1\x1b[37m\x1b[39;49;00m\n\x1b[04m\x1b[36m...\x1b[39;49;00m\x1b[37m\x1b[39;49;00m\n',
    );
  });

  it('falls back to plain yaml when colour is off, and yaml never colours', async () => {
    const plain = formatYaml(TAG);
    expect(await render(TAG, { format: 'yamlc', color: false })).toBe(plain);
    expect(await render(TAG, { format: 'yaml', color: true })).toBe(plain);
  });

  it('strips back to the plain text', () => {
    const data = { a: 'x y', b: ["it's", 'tab\there', 'word '.repeat(25)], c: { '': null } };
    expect(formatYaml(data, true).replace(/\x1b\[[0-9;]*m/g, '')).toBe(formatYaml(data, false));
  });
});
