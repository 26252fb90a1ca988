// --query. knack compiles the expression while parsing arguments (a syntax error is argparse's
// "argument --query: invalid jmespath_type value: %r", exit 2) and runs it with Python's jmespath.
import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../../src/output/query.js';
import { AcrxError, ExitCode, UsageError } from '../../../src/errors.js';
import { MANIFESTS, METADATA, REPOSITORIES, TAG } from './fixtures.js';

function syntaxError(expression: string): UsageError {
  try {
    compileQuery(expression);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`no error for ${expression}`);
}

describe('compileQuery', () => {
  it('compiles and keeps the expression', () => {
    const query = compileQuery('[0].name');
    expect(query.expression).toBe('[0].name');
    expect(query.search([TAG])).toBe('v1');
  });

  it('rejects a bad expression at compile time with a usage error (exit 2)', () => {
    const error = syntaxError('[0');
    expect(error.message).toBe("argument --query: invalid jmespath_type value: '[0' (Invalid jmespath expression: Incomplete expression)");
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(syntaxError('foo bar').message).toMatch(/^argument --query: invalid jmespath_type value: 'foo bar' \(Unexpected token: bar: Parse error at column 4/);
    expect(syntaxError('').message).toMatch(/^argument --query: invalid jmespath_type value: '' \(/);
  });

  it('quotes the expression in the message as Python repr() does', () => {
    // repr("[?name=='v1'") → "\"[?name=='v1'\""
    expect(syntaxError("[?name=='v1'").message).toMatch(/^argument --query: invalid jmespath_type value: "\[\?name=='v1'" \(/);
  });

  it('evaluates the expressions acrx users run', () => {
    expect(compileQuery('[?tags==null]').search(METADATA)).toEqual([METADATA[1]]);
    expect(compileQuery('[?tags==null].digest').search(METADATA)).toEqual(['sha256:bbb']);
    expect(compileQuery('length(@)').search(REPOSITORIES)).toBe(2);
    expect(compileQuery("[?contains(tags, 'v1')].digest").search(MANIFESTS)).toEqual(['sha256:aaa']);
    expect(compileQuery('[].{d: digest, n: length(tags)}').search(MANIFESTS)).toEqual([
      { d: 'sha256:aaa', n: 2 },
      { d: 'sha256:bbb', n: 0 },
    ]);
    expect(compileQuery('sort_by(@, &timestamp)[0].digest').search(MANIFESTS)).toBe('sha256:bbb');
  });

  it('accepts the legacy `literal` form Python jmespath accepts', () => {
    // jmespath.search('[?@ == `hello-world`]', ...) treats the unparsable JSON literal as a string
    expect(compileQuery('[?@ == `hello-world`]').search(REPOSITORIES)).toEqual(['hello-world']);
  });

  it('returns None for a multi-select on None, as Python jmespath does', () => {
    // jmespath.search('[].{a: a}', [None, {'a': 1}]) == [{'a': 1}]; search('{a: a}', None) is None
    expect(compileQuery('[].{a: a}').search([null, { a: 1 }])).toEqual([{ a: 1 }]);
    expect(compileQuery('{a: a}').search(null)).toBeNull();
    expect(compileQuery('[a, b]').search(null)).toBeNull();
    expect(compileQuery('[].[a]').search([null, { a: 1 }])).toEqual([[1]]);
  });

  it('reports evaluation errors as command errors (exit 1), not usage errors', () => {
    const query = compileQuery('length(`5`)');
    expect(() => query.search([])).toThrow(AcrxError);
    try {
      query.search([]);
    } catch (error) {
      expect(error).not.toBeInstanceOf(UsageError);
      expect((error as AcrxError).exitCode).toBe(ExitCode.error);
    }
    expect(() => compileQuery('nosuchfunction(@)').search([])).toThrow(AcrxError);
  });

  it('does not modify its input', () => {
    const data = structuredClone(MANIFESTS);
    compileQuery('sort_by(@, &timestamp)').search(data);
    compileQuery('reverse(@)').search(data);
    expect(data).toEqual(MANIFESTS);
  });
});

describe('fields a query reads that the result does not have', () => {
  it('names a field no object of the result has, at any depth', () => {
    const query = compileQuery("[?lastUpdateTime < '2024-01-01'].digest");
    expect(query.absentFields([{ digest: 'a', createdTime: '2023' }])).toEqual(['lastUpdateTime']);
    expect(query.absentFields([{ digest: 'a', lastUpdateTime: '2023' }])).toEqual([]);
    expect(compileQuery('[].config.created').absentFields([{ config: { created: 'x' } }])).toEqual([]);
  });
  it('says nothing about results without objects, or about literals', () => {
    expect(compileQuery('[?name == `x`]').absentFields([])).toEqual([]);
    expect(compileQuery('[?contains(@, `{"zzz": 1}`)]').absentFields([{ a: 1 }])).toEqual([]);
  });
});
