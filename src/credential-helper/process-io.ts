// The helper's standard input, read through its descriptor: docker calls the helper on every pull and
// push, and Node's process.stdin would first build a stream over a socket (~4 ms, much of what a `get`
// costs beyond Node's own start) to move one line. Its stdout is written the same way
// (output/standard-stream.ts).
import { readFileSync } from 'node:fs';

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
