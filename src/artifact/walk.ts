// Lists a directory to pack in one order on every machine: depth first, each directory's names sorted
// by their UTF-8 bytes (as Go's filepath.Walk, which oras uses, sorts them).
import type { Stats } from 'node:fs';
import { lstat, readdir, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.js';

/** `path` is relative to the walked directory, '/'-separated, '' for the directory itself. */
export type TreeEntry = { path: string; absolute: string } & (
  | { kind: 'directory' }
  | { kind: 'file'; size: number; executable: boolean }
  | { kind: 'symlink'; target: string }
);

/**
 * Every entry under `root`, which is followed if it is a symlink; nothing below it is. Hard links
 * come out as files, so that copying a tree does not change what is packed. A socket, FIFO or
 * device, or a name that is not UTF-8, is a UsageError naming it. `skip` leaves out one directory
 * (the pack's own temporary directory).
 */
export async function walkDirectory(root: string, skip?: Pick<Stats, 'dev' | 'ino'>): Promise<TreeEntry[]> {
  const top = await inspect(root, (at) => stat(at));
  if (!top.isDirectory()) throw new UsageError(`${root} is not a directory`);
  const entries: TreeEntry[] = [{ path: '', absolute: root, kind: 'directory' }];
  await walkInto(root, '', entries, skip);
  return entries;
}

async function walkInto(directory: string, prefix: string, entries: TreeEntry[], skip: Pick<Stats, 'dev' | 'ino'> | undefined): Promise<void> {
  const names = await inspect(directory, (path) => readdir(path, { encoding: 'buffer' }));
  names.sort(Buffer.compare);
  for (const raw of names) {
    const name = raw.toString('utf8');
    const absolute = join(directory, name);
    if (!Buffer.from(name, 'utf8').equals(raw)) throw new UsageError(`cannot pack ${absolute}: its name is not valid UTF-8`);
    const path = prefix === '' ? name : `${prefix}/${name}`;
    const stats = await inspect(absolute, (at) => lstat(at));
    if (stats.isDirectory()) {
      if (skip && stats.dev === skip.dev && stats.ino === skip.ino) continue;
      entries.push({ path, absolute, kind: 'directory' });
      await walkInto(absolute, path, entries, skip);
    } else if (stats.isFile()) {
      entries.push({ path, absolute, kind: 'file', size: stats.size, executable: (stats.mode & 0o111) !== 0 });
    } else if (stats.isSymbolicLink()) {
      const target = await inspect(absolute, (at) => readlink(at, { encoding: 'buffer' }));
      const text = target.toString('utf8');
      if (!Buffer.from(text, 'utf8').equals(target)) throw new UsageError(`cannot pack ${absolute}: its link target is not valid UTF-8`);
      entries.push({ path, absolute, kind: 'symlink', target: text });
    } else {
      throw new UsageError(`cannot pack ${absolute}: it is ${specialKind(stats)}; only files, directories and symlinks can be pushed`);
    }
  }
}

function specialKind(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  return 'a block device';
}

/** Runs one file-system call, turning its failure into a one-line UsageError naming the path. */
async function inspect<T>(path: string, call: (path: string) => Promise<T>): Promise<T> {
  try {
    return await call(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${path} does not exist`, { cause: error });
    throw new UsageError(`cannot read ${path}: ${code ?? String(error)}`, { cause: error });
  }
}
