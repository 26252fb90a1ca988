// -o yaml / yamlc: knack prints yaml.safe_dump(result, default_flow_style=False, allow_unicode=True).
// The common shapes come out as PyYAML prints them; every output reads back to the same data.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
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
    // python: the same text (PyYAML quotes timestamps because its resolver would read them as dates)
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
    expect(await yaml(UNICODE)).toBe('description: Größe 日本語 😀\nname: é\n');
  });

  it('prints numbers and empty containers as PyYAML does', async () => {
    expect(await yaml(NUMBERS)).toBe('count: 42\nhalf: 0.5\nneg: -7\nsize: 524288\nsmall: 0.0001\ntiny: 1.5e-7\nzero: 0\n');
    expect(await yaml({ empty: {}, list: [] })).toBe('empty: {}\nlist: []\n');
    expect(await yaml([])).toBe('[]\n');
  });

  it('quotes strings a YAML 1.1 reader would take for another type, and reads back every value', async () => {
    const data = {
      a: '1.0', b: 'yes', c: '', d: 'x: y', e: '- x', f: '#c', g: "it's", h: 'tab\there', i: 'line1\nline2',
      j: '2023-07-27', k: 'null', l: 'sha256:abc', m: '=', o: ' lead', p: '~', q: 'on', r: 'word '.repeat(30),
    };
    const out = await yaml(data);
    for (const key of ['a', 'b', 'c', 'j', 'k', 'q']) expect(out).toMatch(new RegExp(`^${key}: '`, 'm'));
    expect(out).toMatch(/^l: sha256:abc$/m);
    expect(parse(out, { version: '1.1' })).toEqual(data);
  });

  it('sorts the keys of objects a query built (knack round-trips OrderedDicts through json)', async () => {
    expect(await yaml(MANIFESTS, '[].{ts: timestamp, d: digest}')).toBe(
      "- d: sha256:aaa\n  ts: '2023-02-28T18:36:41.1794832Z'\n- d: sha256:bbb\n  ts: '2023-02-27T10:00:00.0000000Z'\n",
    );
    expect(await yaml([TAG], '[0].name')).toBe('v1\n');
  });
});

describe('yamlc', () => {
  it('colours keys and quoted strings', async () => {
    const out = await render({ name: 'v1', tags: ['1.0', 'latest'] }, { format: 'yamlc', color: true });
    expect(out).toBe("\x1b[94mname\x1b[39;49;00m: v1\n\x1b[94mtags\x1b[39;49;00m:\n- \x1b[33m'1.0'\x1b[39;49;00m\n- latest\n");
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
