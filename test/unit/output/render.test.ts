// render(): query first, then the -o formatter; knack prints nothing when the command returned
// nothing or the result is None (cli.py: `if cmd_result and cmd_result.result is not None`).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OUTPUT_FORMATS, parseOutputFormat, render, type OutputFormat } from '../../../src/output/render.js';
import { compileQuery } from '../../../src/output/query.js';
import { ExitCode, UsageError } from '../../../src/errors.js';
import { TAG } from './fixtures.js';

describe('render', () => {
  it('prints nothing for undefined (commands that return nothing) in every format', async () => {
    for (const format of OUTPUT_FORMATS) {
      expect(await render(undefined, { format, color: false })).toBe('');
      expect(await render(undefined, { format, color: true, query: compileQuery('length(@)') })).toBe('');
    }
  });

  it('prints nothing for a null result, or a query that yields null, in every format', async () => {
    for (const format of OUTPUT_FORMATS) {
      expect(await render(null, { format, color: false })).toBe('');
      expect(await render(TAG, { format, color: false, query: compileQuery('nosuchkey') })).toBe('');
      expect(await render([TAG], { format, color: false, query: compileQuery('[5].name') })).toBe('');
    }
  });

  it('prints falsy results other than null', async () => {
    expect(await render(false, { format: 'json', color: false })).toBe('false\n');
    expect(await render(0, { format: 'tsv', color: false })).toBe('0\n');
    expect(await render('', { format: 'json', color: false })).toBe('""\n');
    expect(await render([], { format: 'json', color: false })).toBe('[]\n');
    expect(await render([], { format: 'table', color: false })).toBe('\n');
  });

  it('prints nothing at all with -o none', async () => {
    expect(await render(TAG, { format: 'none', color: true })).toBe('');
  });

  it('applies the query before formatting', async () => {
    const query = compileQuery('{name: name, signed: signed}');
    expect(await render(TAG, { format: 'json', color: false, query })).toBe('{\n  "name": "v1",\n  "signed": false\n}\n');
    expect(await render(TAG, { format: 'tsv', color: false, query })).toBe('v1\tFalse\n');
  });

  it('serialises values with toJSON (e.g. Date) as JSON.stringify would', async () => {
    const result = { when: new Date('2024-01-02T03:04:05.000Z') };
    expect(await render(result, { format: 'json', color: false })).toBe('{\n  "when": "2024-01-02T03:04:05.000Z"\n}\n');
  });

  it('does not modify the result it is given', async () => {
    const result = structuredClone(TAG);
    for (const format of OUTPUT_FORMATS) await render(result, { format, color: true, query: compileQuery('@') });
    expect(result).toEqual(TAG);
  });

  it('loads formatters and the JMESPath engine lazily (only small modules statically)', () => {
    const source = readFileSync(new URL('../../../src/output/render.ts', import.meta.url), 'utf8');
    const staticImports = [...source.matchAll(/^import\s+(type\s+)?.*?from\s+'([^']+)'/gms)].map((m) => ({
      typeOnly: m[1] !== undefined,
      from: m[2],
    }));
    for (const { typeOnly, from } of staticImports) {
      if (!typeOnly) expect(['../errors.js', './raw.js']).toContain(from);
    }
  });
});

describe('output formats', () => {
  it('lists the formats knack offers (without cmd)', () => {
    expect(OUTPUT_FORMATS).toEqual(['json', 'jsonc', 'yaml', 'yamlc', 'table', 'tsv', 'none']);
  });

  it('parses -o values case-insensitively (type=str.lower)', () => {
    const cases: [string, OutputFormat][] = [['json', 'json'], ['TABLE', 'table'], ['Yamlc', 'yamlc'], ['none', 'none']];
    for (const [value, format] of cases) expect(parseOutputFormat(value)).toBe(format);
  });

  it('rejects other values with a usage error listing the allowed ones', () => {
    let error: unknown;
    try {
      parseOutputFormat('XML');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(ExitCode.usage);
    expect((error as UsageError).message).toBe(
      "'xml' is not a valid value for '--output'. Allowed values: json, jsonc, yaml, yamlc, table, tsv, none.",
    );
  });
});
