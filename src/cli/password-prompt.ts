// `Password: ` on the terminal, read with echo off, as az (getpass) and docker login ask for it.
// Raw mode is what turns the echo off; it also turns Ctrl-C into a character, handled here.
import type { Readable } from 'node:stream';
import { InterruptedError, UsageError } from '../errors.js';
import type { OutputStream } from '../output/status.js';

type TerminalInput = Readable & { isTTY?: boolean; setRawMode?(raw: boolean): unknown };

export function isTerminal(stdin: Readable | undefined): boolean {
  return (stdin as TerminalInput | undefined)?.isTTY === true;
}

const ENTER = new Set(['\r', '\n', '\u0004']);
const ERASE = new Set(['\u007f', '\b']);
const INTERRUPT = '\u0003';

/** Stops at Enter, or with an InterruptedError on Ctrl-C (a character in raw mode) or when `signal` aborts. */
export async function promptPassword(stdin: Readable, prompt: OutputStream, signal: AbortSignal, question = 'Password: '): Promise<string> {
  const terminal = stdin as TerminalInput;
  // Raw before the question is shown: what is typed as soon as it appears is never echoed.
  terminal.setRawMode?.(true);
  prompt.write(question);
  const password = await new Promise<string>((resolve, reject) => {
    let typed = '';
    const onAbort = (): void => {
      finish();
      reject(new InterruptedError());
    };
    const finish = (): void => {
      signal.removeEventListener('abort', onAbort);
      terminal.off('data', onData);
      terminal.setRawMode?.(false);
      terminal.pause();
      prompt.write('\n');
    };
    const onData = (chunk: Buffer | string): void => {
      for (const character of chunk.toString()) {
        if (character === INTERRUPT) {
          finish();
          reject(new InterruptedError());
          return;
        }
        if (ENTER.has(character)) {
          finish();
          resolve(typed);
          return;
        }
        typed = ERASE.has(character) ? typed.slice(0, -1) : typed + character;
      }
    };
    signal.addEventListener('abort', onAbort);
    terminal.on('data', onData);
    terminal.resume();
  });
  if (password === '') throw new UsageError('no password was typed: a username needs its password');
  return password;
}
