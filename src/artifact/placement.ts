// The last step of every write: a finished temporary file or directory beside the destination
// (same file system, so the move is one rename) takes the destination's name.
import { randomBytes } from 'node:crypto';
import { linkSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { lstatIfExists } from './destination.js';
import { DestinationExistsError } from '../errors.js';

// File systems without hard links (FAT, some network and FUSE mounts) answer link() with these.
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** `DIR/.name.<random>.tmp` for `DIR/name`: hidden, and recognisable if a crash leaves it behind. */
export function temporarySibling(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Moves `temporary` to `destination`. Without `overwrite` nothing is replaced, not even a file
 * that appeared after the destination was checked: link() fails where rename() would replace.
 */
export function placeFile(temporary: string, destination: string, overwrite: boolean): void {
  if (overwrite) {
    renameSync(temporary, destination);
    return;
  }
  try {
    linkSync(temporary, destination);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') throw exists(destination);
    if (!NO_HARD_LINKS.has(code)) throw error;
    if (lstatIfExists(destination)) throw exists(destination);
    renameSync(temporary, destination);
    return;
  }
  unlinkSync(temporary);
}

/** Moves the directory `staging` to `destination`; with `overwrite`, what was there goes only once the new one is in place. */
export function placeDirectory(staging: string, destination: string, overwrite: boolean): void {
  if (lstatIfExists(destination) === undefined) {
    renameSync(staging, destination);
    return;
  }
  if (!overwrite) throw exists(destination);
  const aside = temporarySibling(destination);
  renameSync(destination, aside);
  try {
    renameSync(staging, destination);
  } catch (error) {
    renameSync(aside, destination);
    throw error;
  }
  rmSync(aside, { recursive: true, force: true });
}

function exists(path: string): DestinationExistsError {
  return new DestinationExistsError(path, `${path} already exists; refused to overwrite it`, { remedy: { kind: 'replace-or-keep-files' } });
}
