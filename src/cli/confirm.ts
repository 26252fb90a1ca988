// Destructive commands ask first (az's wording). Without a terminal they need --yes; the check runs
// before any request, so nothing is read or deleted when the answer cannot be asked for.
import type { Readable, Writable } from 'node:stream';
import { CancelledError, InterruptedError, UsageError } from '../errors.js';
import { builtin } from '../util/builtin.js';
import type { CommandContext } from './context.js';
import { isTerminal } from './password-prompt.js';

export function ensureCanConfirm(context: Pick<CommandContext, 'io'>, yes: boolean): void {
  if (yes) return;
  if (!isTerminal(context.io.stdin)) throw new UsageError('Unable to prompt for confirmation as no tty available. Use --yes.');
}

/** With --yes the statement is shown as a warning; otherwise the user must answer y. */
export async function confirm(context: CommandContext, statement: string, question: string, yes: boolean): Promise<void> {
  if (yes) {
    if (statement) context.status.warn(statement);
    return;
  }
  ensureCanConfirm(context, yes);
  const { createInterface } = builtin('node:readline/promises');
  const prompt = createInterface({ input: context.io.stdin as Readable, output: context.io.stderr as unknown as Writable, terminal: true });
  try {
    let answer: string;
    try {
      answer = await prompt.question(`${statement ? `${statement}\n` : ''}${question} (y/n): `);
    } catch {
      // readline rejects the question when Ctrl-C reaches it at the prompt.
      throw new InterruptedError();
    }
    if (!/^y(es)?$/i.test(answer.trim())) throw new CancelledError();
  } finally {
    prompt.close();
  }
}
