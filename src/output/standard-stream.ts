// stdout and stderr as acrx writes them. A terminal gets Node's own stream: its width, and the spinner
// and bars that redraw on it. Anything else (a pipe, a file) gets its descriptor written at once:
// Node's stream over a pipe costs a few milliseconds to build, every short command would pay them, and
// what acrx writes there is a result written once and lines of stderr.
import { fstatSync, writeSync } from 'node:fs';
import { builtin } from '../util/builtin.js';

export interface DirectStream {
  write(chunk: string | Uint8Array): void;
  readonly isTTY: false;
  /** Resolves once everything written has left the process. */
  flushed(): Promise<void>;
}

export type StandardStream = NodeJS.WriteStream | DirectStream;

export function standardStream(fd: 1 | 2): StandardStream {
  const nodeStream = (): NodeJS.WriteStream => (fd === 1 ? process.stdout : process.stderr);
  return isTerminal(fd) ? nodeStream() : directStream(fd, nodeStream);
}

// Only a character device can be a terminal: asking fstat first spares pipes and files the tty module,
// and the net module that it loads.
function isTerminal(fd: number): boolean {
  try {
    return fstatSync(fd).isCharacterDevice() && builtin('node:tty').isatty(fd);
  } catch {
    return false;
  }
}

/**
 * The descriptor, written at once. When it cannot take everything now (a non-blocking pipe that is
 * full), the rest, and all that follows, goes through Node's stream, which waits for the reader. A
 * reader that is gone (EPIPE) is let go: what it would have read is dropped, as a pipe drops it. Any
 * other failure of stdout (a full disk) is thrown, to end the command with an error; stderr has no
 * one left to tell.
 */
export function directStream(fd: number, nodeStream: () => NodeJS.WriteStream): DirectStream {
  let queued = false;
  let gone = false;
  return {
    isTTY: false,
    write(chunk) {
      if (gone) return;
      if (queued) {
        nodeStream().write(chunk);
        return;
      }
      let bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      try {
        while (bytes.length > 0) bytes = bytes.subarray(writeSync(fd, bytes));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          queued = true;
          nodeStream().write(bytes);
        } else if (code === 'EPIPE' || fd === 2) {
          gone = true;
        } else {
          // A full disk: the result would be lost without a word.
          throw new Error(`cannot write the output: ${(error as Error).message}`);
        }
      }
    },
    flushed: () => (queued ? flushed(nodeStream()) : Promise.resolve()),
  };
}

/** Resolves once everything written to the stream has left the process. */
export function flushed(stream: StandardStream): Promise<void> {
  return 'flushed' in stream ? stream.flushed() : new Promise((resolve) => stream.write('', () => resolve()));
}
