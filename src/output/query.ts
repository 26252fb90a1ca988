// --query JMESPATH, as knack's CLIQuery: the expression is compiled while the arguments are parsed
// (a syntax error is an argparse error, exit 2) and run on the command's result before formatting.
// az runs it with Python's jmespath 1.0.1, which jmespath-python.ts reproduces; this file adds what
// knack and azure-cli make of its errors.

import { JmespathError, PythonError, QueryError, UsageError } from '../errors.js';
import { pyStrRepr } from './formats/python.js';
import { checkFunctionCalls, compilePython, searchPython, type PythonQuery } from './jmespath-python.js';

export interface CompiledQuery {
  readonly expression: string;
  search(data: unknown): unknown;
  /**
   * The field names the expression reads that no object in `data` has anywhere: a filter on such a
   * field quietly selects nothing (a registry may not provide it), which deserves a warning.
   */
  absentFields(data: unknown): string[];
}

export function compileQuery(expression: string): CompiledQuery {
  let compiled: PythonQuery;
  try {
    compiled = compilePython(expression);
  } catch (error) {
    // argparse: "argument --query: invalid jmespath_type value: %r", and then why (az hides the reason).
    const reason = error instanceof Error ? ` (${error.message})` : '';
    throw new UsageError(`argument --query: invalid jmespath_type value: ${pyStrRepr(expression)}${reason}`, { cause: error });
  }
  try {
    checkFunctionCalls(compiled.ast);
  } catch (error) {
    // az finds these only while searching (exit 1); they are mistakes in the command line all the same.
    throw new UsageError(`argument --query: ${error instanceof Error ? error.message : String(error)} in ${pyStrRepr(expression)}`, { cause: error });
  }
  const fields = fieldNames(compiled.ast);
  return {
    expression,
    absentFields(data: unknown): string[] {
      const present = new Set<string>();
      if (!collectKeys(data, present)) return [];
      return fields.filter((field) => !present.has(field));
    },
    search(data: unknown): unknown {
      try {
        return searchPython(compiled, data);
      } catch (error) {
        throw new QueryError(evaluationMessage(error), { cause: error });
      }
    },
  };
}

/** What azure-cli's handle_exception prints (exit 1) for an exception raised by the search. */
function evaluationMessage(error: unknown): string {
  if (error instanceof JmespathError) return `Invalid jmespath query supplied for \`--query\`: ${error.message}`;
  // Not a JMESPathError (a TypeError, ValueError, ...): az reports it with a traceback.
  if (error instanceof PythonError) return `The command failed with an unexpected error: ${error.pythonType}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

function fieldNames(node: unknown, into = new Set<string>()): string[] {
  if (Array.isArray(node)) for (const child of node) fieldNames(child, into);
  else if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    // A literal's value is data, not a field the expression reads.
    if (record.type === 'Literal') return [...into];
    if (record.type === 'Field' && typeof record.name === 'string') into.add(record.name);
    for (const value of Object.values(record)) fieldNames(value, into);
  }
  return [...into];
}

/** Every object key at any depth; false when `data` holds no object at all (nothing to judge by). */
function collectKeys(data: unknown, into: Set<string>): boolean {
  if (Array.isArray(data)) return data.map((item) => collectKeys(item, into)).some(Boolean);
  if (typeof data !== 'object' || data === null) return false;
  for (const [key, value] of Object.entries(data)) {
    into.add(key);
    collectKeys(value, into);
  }
  return true;
}
