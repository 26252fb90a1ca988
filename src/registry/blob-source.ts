// Where the bytes of a blob to push come from: a file on disk (read again for every attempt and every
// chunk, never held in memory) or a few bytes already in memory (configs, the empty descriptor).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createHasher, digestOf } from '../util/digest.js';

export interface BlobSource {
  digest: string;
  size: number;
  mediaType: string;
  /** Exactly `length` bytes of the content from `offset`; opened afresh for every request that sends them. */
  open(offset: number, length: number): Readable;
}

// Large reads keep the syscalls and stream events per GiB few; memory stays one buffer per open stream.
const READ_CHUNK = 1024 * 1024;

/** A file as a blob: its size and sha256 read now (streamed), its bytes read again when sent. */
export async function fileBlobSource(file: string, mediaType: string): Promise<BlobSource> {
  const { size } = await stat(file);
  const hash = createHasher('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: READ_CHUNK })) hash.update(chunk as Buffer);
  return knownFileBlobSource(file, { digest: `sha256:${hash.digest('hex')}`, size, mediaType });
}

/** A file whose digest and size are already known (a directory just packed): read only when sent. */
export function knownFileBlobSource(file: string, descriptor: { digest: string; size: number; mediaType: string }): BlobSource {
  return {
    ...descriptor,
    open: (offset, length) =>
      length === 0 ? Readable.from([], { objectMode: false }) : createReadStream(file, { start: offset, end: offset + length - 1, highWaterMark: READ_CHUNK }),
  };
}

export function bytesBlobSource(bytes: Buffer, mediaType: string): BlobSource {
  return {
    digest: digestOf(bytes),
    size: bytes.length,
    mediaType,
    open: (offset, length) => Readable.from([bytes.subarray(offset, offset + length)], { objectMode: false }),
  };
}
