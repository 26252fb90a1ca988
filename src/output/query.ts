// --query JMESPATH, as knack's CLIQuery: the expression is compiled while the arguments are parsed
// (a syntax error is an argparse error, exit 2) and run on the command's result before formatting.
// az runs it with Python's jmespath 1.0.1, which jmespath-python.ts reproduces; this file adds what
// knack and azure-cli make of its errors.

import { JmespathError, PythonError, QueryError, UsageError } from '../errors.js';
import { pyStrRepr } from './formats/python.js';
import { compilePython, searchPython, type PythonQuery } from './jmespath-python.js';

export interface CompiledQuery {
  readonly expression: string;
  search(data: unknown): unknown;
}

export function compileQuery(expression: string): CompiledQuery {
  let compiled: PythonQuery;
  try {
    compiled = compilePython(expression);
  } catch (error) {
    // argparse: "argument --query: invalid jmespath_type value: %r"
    throw new UsageError(`argument --query: invalid jmespath_type value: ${pyStrRepr(expression)}`, { cause: error });
  }
  return {
    expression,
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
