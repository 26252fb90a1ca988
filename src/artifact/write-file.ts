// Writes a plain layer to its destination through a temporary file beside it, so that the
// destination only ever holds a complete file, and a failure leaves nothing behind.
import { open, rm } from 'node:fs/promises';
import { placeFile, temporarySibling } from './placement.js';

export interface WriteOptions {
  /** Replace an existing file or link at `destination` (see `safeDestination`, which checks first). */
  overwrite?: boolean;
  signal?: AbortSignal;
}

/**
 * Writes `source` to `DIR/.name.<random>.tmp`, flushes it to disk, then moves it to `destination`
 * (`DIR/name`); returns the number of bytes written. If the source fails (a digest mismatch, a
 * broken connection), the write fails or the destination exists without `overwrite`
 * (DestinationExistsError), the temporary file is deleted and `destination` is left as it was.
 */
export async function writeThroughTemp(source: AsyncIterable<Uint8Array>, destination: string, options: WriteOptions = {}): Promise<number> {
  const temporary = temporarySibling(destination);
  // 'wx': a fresh file, never an existing one or what a planted symlink points to.
  const handle = await open(temporary, 'wx', 0o666);
  try {
    let written = 0;
    for await (const chunk of source) {
      options.signal?.throwIfAborted();
      for (let offset = 0; offset < chunk.length; ) offset += (await handle.write(chunk, offset)).bytesWritten;
      written += chunk.length;
    }
    options.signal?.throwIfAborted();
    await handle.sync();
    await handle.close();
    placeFile(temporary, destination, options.overwrite === true);
    return written;
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
}
