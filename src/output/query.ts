// --query JMESPATH, as knack's CLIQuery: the expression is compiled while the arguments are parsed
// (a syntax error is an argparse error, exit 2) and run on the command's result before formatting.
// Python's jmespath accepts the deprecated `foo` literal form (a JSON literal that does not parse is
// taken as a string), so legacy literals are enabled here too.

import { TreeInterpreter, compile } from '@jmespath-community/jmespath';
import type { JSONValue } from '@jmespath-community/jmespath';
import { QueryError, UsageError } from '../errors.js';
import { pyStrRepr } from './formats/python.js';

export interface CompiledQuery {
  readonly expression: string;
  search(data: unknown): unknown;
}

type Ast = ReturnType<typeof compile>;

/**
 * Python's jmespath returns None for a multi-select list or hash evaluated on None (so projections
 * drop those items); @jmespath-community builds [null, ...] / {k: null, ...} instead. Rewrite each
 * `[a, b]` / `{k: v}` node as `@ == null ? null : <node>` to get Python's results.
 */
function guardMultiSelects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(guardMultiSelects);
  if (typeof node !== 'object' || node === null) return node;
  const record = node as Record<string, unknown>;
  if (record.type === 'Literal') return node; // its value is data, not syntax
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) copy[key] = guardMultiSelects(value);
  if (record.type !== 'MultiSelectList' && record.type !== 'MultiSelectHash') return copy;
  return {
    type: 'Ternary',
    condition: { type: 'Comparator', name: 'EQ', left: { type: 'Current' }, right: { type: 'Literal', value: null } },
    trueExpr: { type: 'Literal', value: null },
    falseExpr: copy,
  };
}

export function compileQuery(expression: string): CompiledQuery {
  let ast: Ast;
  try {
    ast = guardMultiSelects(compile(expression, { enable_legacy_literals: true })) as Ast;
  } catch (error) {
    // argparse: "argument --query: invalid jmespath_type value: %r"
    throw new UsageError(`argument --query: invalid jmespath_type value: ${pyStrRepr(expression)}`, { cause: error });
  }
  return {
    expression,
    search(data: unknown): unknown {
      try {
        return TreeInterpreter.search(ast, (data === undefined ? null : data) as JSONValue);
      } catch (error) {
        // Type errors, unknown functions, ...: az reports the jmespath exception and exits 1.
        const message = error instanceof Error ? error.message : String(error);
        throw new QueryError(message, { cause: error });
      }
    },
  };
}
