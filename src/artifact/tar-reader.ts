// Reads a tar+gzip file entry by entry through node-tar's parser, in strict mode: a bad checksum, a
// truncated archive or a malformed header is an error, not a warning to skip past.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { ArchiveRefusal } from '../errors.js';

/** The archive hides something the entry list alone would not show; the message says what. */

/**
 * Calls `visit` for each entry in archive order, including the ones node-tar would skip (unknown
 * types), so that the caller sees and can refuse them. `visit` must consume the entry's body
 * (`resume()` to discard it) and report failures that happen later, in body events, with `fail`.
 * `onTar` sees every uncompressed byte.
 */
export async function readTarGzip(
  file: string,
  visit: (entry: ReadEntry, fail: (error: unknown) => void) => void,
  options: { onTar?: (chunk: Buffer) => void; signal?: AbortSignal } = {},
): Promise<void> {
  // The layer is gunzipped here, not by the parser: its own gunzip stops at a compression ratio of
  // 1000, which a large sparse or zero-filled file exceeds; and no zstd or brotli is guessed at.
  const parser = new Parser({ strict: true, zstd: false, brotli: false });
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown): void => {
    failure ??= { error };
  };
  const onEntry = (entry: ReadEntry): void => {
    if (failure) {
      entry.resume();
      return;
    }
    try {
      visit(entry, fail);
    } catch (error) {
      fail(error);
      entry.resume();
    }
  };
  parser.on('entry', onEntry);
  parser.on('ignoredEntry', onEntry);
  parser.on('error', fail);
  parser.on('meta', (text: string) => {
    if (hidesNul(text)) fail(new ArchiveRefusal('a pax or GNU long-name header gives a name or link target with a NUL character in it'));
  });
  // A parser that failed may never end.
  const ended = new Promise<void>((resolve) => {
    parser.once('end', () => resolve());
    parser.once('error', () => resolve());
  });

  try {
    await pipeline(
      createReadStream(file),
      createGunzip(),
      async (tar: AsyncIterable<Buffer>) => {
        for await (const chunk of tar) {
          options.onTar?.(chunk);
          if (!parser.write(chunk) && !failure) await drained(parser);
          if (failure) throw failure.error;
        }
        parser.end();
        if (!failure) await ended;
      },
      { signal: options.signal },
    );
  } catch (error) {
    // Leaving the loop early destroys the gunzip stream, whose AbortError may win the race.
    throw failure ? failure.error : error;
  }
  if (failure) throw failure.error;
}

/** The parser asks for more, or has failed (it then never drains). */
function drained(parser: Parser): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      parser.off('drain', done);
      parser.off('error', done);
      resolve();
    };
    parser.on('drain', done);
    parser.on('error', done);
  });
}

/**
 * node-tar cuts a name at its first NUL, as C readers do; such a name means that two tar readers may
 * see two different names, so it is refused rather than cut. GNU long names end with NUL padding.
 */
function hidesNul(text: string): boolean {
  const records = paxRecords(Buffer.from(text, 'utf8'));
  if (records === undefined) return /\0[^\0]/.test(text);
  return records.some(([key, value]) => (key === 'path' || key === 'linkpath') && value.includes('\0'));
}

/** `<length> <key>=<value>\n` records, the length counting bytes; undefined if the text is not that. */
function paxRecords(bytes: Buffer): [string, string][] | undefined {
  const records: [string, string][] = [];
  for (let at = 0; at < bytes.length; ) {
    const space = bytes.indexOf(0x20, at);
    const digits = space < 0 ? '' : bytes.subarray(at, space).toString('latin1');
    const length = Number(digits);
    if (!/^[0-9]+$/.test(digits) || length <= space - at || at + length > bytes.length || bytes[at + length - 1] !== 0x0a) return undefined;
    const record = bytes.subarray(space + 1, at + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals < 0) return undefined;
    records.push([record.slice(0, equals), record.slice(equals + 1)]);
    at += length;
  }
  return records;
}
