// Runs one command: global options → context, values → options, run, render, write stdout, close.
import { AcrxError } from '../errors.js';
import { renderOutput } from '../output/render.js';
import type { CommandInput, CommandSpec } from './spec.js';
import { createContext, type Io } from './context.js';
import { parseGlobalOptions } from './options.js';

export async function execute<Options, Result>(io: Io, spec: CommandSpec<Options, Result>, input: CommandInput): Promise<void> {
  const global = parseGlobalOptions(input.values);
  // The command line first: a bad value is a usage error even when a settings file is unreadable too.
  const options = spec.parse(input);
  const context = await createContext(global.output === 'tree' ? { ...global, output: 'json' } : global, io);
  const unconfigured = global.output === undefined && !io.env.ACRX_OUTPUT && !context.config.defaults?.output;
  if (spec.terminalFormat && unconfigured && global.query === undefined && io.stdout.isTTY === true) context.format = spec.terminalFormat;
  const tree = spec.tree && global.query === undefined && (global.output === 'tree' || (unconfigured && io.stdout.isTTY === true));
  const show = async (result: Result): Promise<void> => {
    if (tree && spec.tree && result !== undefined) {
      io.stdout.write(spec.tree(result));
      return;
    }
    for (const field of context.query?.absentFields(result) ?? []) {
      context.status.warn(`--query reads '${field}', which no item of the result has (fields a registry cannot provide are left out), so it may select nothing`);
    }
    const table = spec.table;
    const output = await renderOutput(result, {
      format: context.format,
      color: context.color,
      ...(context.query ? { query: context.query } : {}),
      ...(table && result !== undefined ? { table: () => table(result) } : {}),
    });
    if (output.length > 0) io.stdout.write(output);
  };
  try {
    let result: Result;
    try {
      result = await spec.run(options, context);
    } catch (error) {
      // A command that stopped partway (a purge with failures, or interrupted) shows what it did first.
      if (error instanceof AcrxError && error.result !== undefined) await show(error.result as Result);
      throw error;
    }
    await show(result);
  } finally {
    if (!io.exitsAfterRun) await context.close();
  }
}
