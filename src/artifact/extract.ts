// Writes a checked plan into a fresh, empty directory. Every name was validated beforehand; what is
// left to guard against is the file system itself (names that differ only in case or Unicode form
// are one file on macOS and Windows), so nothing here opens, creates or follows an existing path.
import { closeSync, constants, linkSync, mkdirSync, openSync, symlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadEntry } from 'tar';
import type { PlannedEntry } from './entry-plan.js';
import { UnsafeArtifactError } from '../errors.js';
import { readTarGzip } from './tar-reader.js';

// O_EXCL: a new file or an error, never an existing file or a link's target.
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/**
 * Reads `archive` again and writes each entry of `plan` (checked from the same bytes) below `root`:
 * directories and files as they come, hard links to files already written, symlinks last, so that
 * no write can pass through one.
 */
export async function extractPlan(archive: string, plan: readonly PlannedEntry[], root: string, signal?: AbortSignal): Promise<void> {
  const made = new Set<string>(['']);
  const symlinks: Extract<PlannedEntry, { kind: 'symlink' }>[] = [];
  // Files being written; a read that fails halfway never ends its entry, so they are closed here.
  const open = new Set<number>();
  let index = 0;
  try {
    await readTarGzip(
      archive,
      (entry, fail) => {
        const planned = plan[index];
        index += 1;
        if (planned === undefined || !sameEntry(planned, entry)) throw changed(entry.path);
        switch (planned.kind) {
          case 'directory':
            makeDirectories(root, planned.path, made, planned.entry.path);
            entry.resume();
            break;
          case 'file':
            makeDirectories(root, parentOf(planned.path), made, planned.entry.path);
            writeBody(entry, create(join(root, planned.path), planned.executable ? 0o755 : 0o644, planned.entry.path), open, fail);
            break;
          case 'hardlink':
            makeDirectories(root, parentOf(planned.path), made, planned.entry.path);
            collisionGuard(planned.entry.path, () => linkSync(join(root, planned.target), join(root, planned.path)));
            entry.resume();
            break;
          case 'symlink':
            symlinks.push(planned);
            entry.resume();
            break;
        }
      },
      { signal },
    );
  } finally {
    for (const fd of open) closeSync(fd);
  }
  if (index !== plan.length) throw changed(plan[index]?.entry.path ?? '');
  for (const link of symlinks) {
    makeDirectories(root, parentOf(link.path), made, link.entry.path);
    collisionGuard(link.entry.path, () => symlinkSync(link.target, join(root, link.path)));
  }
}

function sameEntry(planned: PlannedEntry, entry: ReadEntry): boolean {
  const { path, type, linkpath, size } = planned.entry;
  return entry.path === path && entry.header.type === type && entry.linkpath === linkpath && entry.size === size;
}

/** Creates each missing directory of `path` one level at a time, never reusing one it did not make. */
function makeDirectories(root: string, path: string, made: Set<string>, entryName: string): void {
  const segments = path === '' ? [] : path.split('/');
  for (let depth = 1; depth <= segments.length; depth += 1) {
    const prefix = segments.slice(0, depth).join('/');
    if (made.has(prefix)) continue;
    collisionGuard(entryName, () => mkdirSync(join(root, prefix), 0o755));
    made.add(prefix);
  }
}

function create(path: string, mode: number, entryName: string): number {
  return collisionGuard(entryName, () => openSync(path, CREATE_NEW, mode));
}

function writeBody(entry: ReadEntry, fd: number, open: Set<number>, fail: (error: unknown) => void): void {
  open.add(fd);
  const close = (): void => {
    if (open.delete(fd)) closeSync(fd);
  };
  entry.on('data', (chunk: Buffer) => {
    if (!open.has(fd)) return;
    try {
      for (let offset = 0; offset < chunk.length; ) offset += writeSync(fd, chunk, offset);
    } catch (error) {
      close();
      fail(error);
    }
  });
  entry.on('end', close);
}

function collisionGuard<T>(entryName: string, create: () => T): T {
  try {
    return create();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw new UnsafeArtifactError(
      `entry "${entryName}" collides with an earlier entry on this file system (names that differ only in case or Unicode form are one name here)`,
      { cause: error },
    );
  }
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function changed(entryName: string): UnsafeArtifactError {
  return new UnsafeArtifactError(`the archive changed while it was being unpacked (at entry "${entryName}")`);
}
