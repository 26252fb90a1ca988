// The helper's standard streams, used through their descriptors: docker calls the helper on every pull
// and push, and Node's process.stdin / process.stdout would first build streams over sockets (~4 ms
// and ~2 ms, most of what a `get` costs beyond Node's own start) to move a line each way.
import { readFileSync, writeSync } from 'node:fs';

/**
 * The payload docker pipes in, read from fd 0 at once. A descriptor that cannot be read that way (one
 * the caller left non-blocking, with nothing in it yet) is read as a stream.
 */
export async function* standardInput(): AsyncGenerator<Buffer> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    yield* process.stdin as AsyncIterable<Buffer>;
    return;
  }
  yield bytes;
}

export interface DirectStdout {
  write(text: string): void;
  /** Resolves once everything written has left the process. */
  flushed(): Promise<void>;
}

/**
 * fd 1, written at once. When it cannot take everything now (a non-blocking pipe that is full), the rest
 * goes through process.stdout, which waits for the reader; a reader that is gone (EPIPE) is let go.
 */
export function directStdout(): DirectStdout {
  let stream = false;
  return {
    write(text) {
      if (stream) {
        process.stdout.write(text);
        return;
      }
      let bytes = Buffer.from(text, 'utf8');
      try {
        while (bytes.length > 0) bytes = bytes.subarray(writeSync(1, bytes));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return;
        stream = true;
        process.stdout.write(bytes);
      }
    },
    flushed: () => (stream ? new Promise<void>((resolve) => process.stdout.write('', () => resolve())) : Promise.resolve()),
  };
}
