// The bytes of a reproducible tar of a walked tree. node-tar encodes each header (ustar, with a pax
// header for long or non-ASCII names and sizes over 8 GiB); everything that varies between machines
// or copies of a tree is fixed: times, owners, user and group names, modes, order.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { Header, Pax, type HeaderData } from 'tar';
import { UsageError } from '../errors.js';
import type { ArchiveEntry } from './entry-plan.js';
import type { TreeEntry } from './walk.js';

const BLOCK = 512;
const EPOCH = new Date(0);
const READ_CHUNK = 256 * 1024;

/** The tar stream of `entries`, each named `<prefix>/<path>`, ending with the two zero blocks. */
export async function* tarEntries(entries: readonly TreeEntry[], prefix: string, signal?: AbortSignal): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    signal?.throwIfAborted();
    yield headerOf(entry, prefix);
    if (entry.kind === 'file' && entry.size > 0) {
      yield* fileBody(entry.absolute, entry.size, signal);
      const padding = (BLOCK - (entry.size % BLOCK)) % BLOCK;
      if (padding > 0) yield Buffer.alloc(padding);
    }
  }
  yield Buffer.alloc(2 * BLOCK);
}

/** The header a tree entry gets: the only place that decides names, types and modes. */
export function archiveEntryOf(entry: TreeEntry, prefix: string): ArchiveEntry {
  const path = entry.path === '' ? prefix : `${prefix}/${entry.path}`;
  switch (entry.kind) {
    case 'directory':
      return { path: `${path}/`, type: 'Directory', linkpath: undefined, size: 0, mode: 0o755 };
    case 'file':
      return { path, type: 'File', linkpath: undefined, size: entry.size, mode: entry.executable ? 0o755 : 0o644 };
    case 'symlink':
      return { path, type: 'SymbolicLink', linkpath: entry.target, size: 0, mode: 0o777 };
  }
}

function headerOf(entry: TreeEntry, prefix: string): Buffer {
  const { path, type, linkpath, size, mode } = archiveEntryOf(entry, prefix);
  const fields: HeaderData = { path, type, size, mode, uid: 0, gid: 0, uname: '', gname: '', mtime: EPOCH, ...(linkpath === undefined ? {} : { linkpath }) };
  const block = Buffer.alloc(BLOCK);
  if (!new Header(fields).encode(block)) return block;
  // Only what ustar cannot hold goes into the pax header: no times, no ids, so it stays reproducible.
  return Buffer.concat([new Pax({ path, size, ...(linkpath === undefined ? {} : { linkpath }) }).encode(), block]);
}

/** Exactly `size` bytes of the file; a file that changed size since it was listed stops the pack. */
async function* fileBody(path: string, size: number, signal?: AbortSignal): AsyncGenerator<Buffer> {
  // O_NOFOLLOW: the walk saw a file here, so a symlink swapped in since must not be followed.
  const handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${path}: ${error.code ?? error.message}`, { cause: error });
  });
  try {
    let read = 0;
    while (read < size) {
      signal?.throwIfAborted();
      const buffer = Buffer.allocUnsafe(Math.min(READ_CHUNK, size - read));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, read);
      if (bytesRead === 0) break;
      read += bytesRead;
      yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
    }
    if (read !== size || (await handle.stat()).size !== size) {
      throw new UsageError(`${path} changed size while it was being packed`);
    }
  } finally {
    await handle.close();
  }
}
