// Replacing a small file so that a reader, or a crash at any moment, finds the old content whole or
// the new content whole: a temporary file in the same directory, flushed to disk, then renamed over
// the target (a rename within one file system is atomic). The target keeps its mode and owner, as
// docker does when it saves config.json; a file that holds secrets never stays readable by others.
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fchownSync, fsyncSync, mkdirSync, openSync, readdirSync, readlinkSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigFileError } from '../errors.js';

export interface ReplaceOptions {
  /** The file holds credentials: no group or other permissions, whatever it had. */
  secret: boolean;
}

const MAX_SYMLINK_HOPS = 40;
const NEW_FILE_MODE = 0o600;

/**
 * The real file behind `path`, its symbolic links followed (even to a file not there yet), so that a
 * symlinked config.json is updated where it points and stays a link. Its directory is created.
 */
export function resolveWriteTarget(path: string): string {
  let current = resolve(path);
  for (let hop = 0; hop < MAX_SYMLINK_HOPS; hop++) {
    let link: string;
    try {
      link = readlinkSync(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // EINVAL: not a link. ENOENT: nothing there yet.
      if (code !== 'EINVAL' && code !== 'ENOENT') throw writeError(path, error);
      ensureDirectory(path, dirname(current));
      return current;
    }
    current = resolve(dirname(current), link);
  }
  throw new ConfigFileError(`cannot write ${path}: too many symbolic links`);
}

/** Replaces `target` (from resolveWriteTarget) with `text`. Call it holding the target's lock. */
export function replaceFileAtomically(target: string, text: string, options: ReplaceOptions): void {
  removeLeftoverTemporaries(target);
  const temporary = writeTemporaryBeside(target, text, options);
  moveIntoPlace(temporary, target);
}

/** Step one: the new content, complete and on disk, under a temporary name beside the target. */
export function writeTemporaryBeside(target: string, text: string, options: ReplaceOptions): string {
  const temporary = join(dirname(target), `${temporaryPrefix(target)}${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const keep = currentModeAndOwner(target);
  let descriptor: number | undefined;
  try {
    // Created private: the content is secret until the final mode is set.
    descriptor = openSync(temporary, 'wx', NEW_FILE_MODE);
    writeFileSync(descriptor, text);
    if (keep) adoptOwner(descriptor, keep);
    fchmodSync(descriptor, options.secret ? (keep?.mode ?? NEW_FILE_MODE) & 0o700 : (keep?.mode ?? NEW_FILE_MODE));
    fsyncSync(descriptor);
    closeSync(descriptor);
    return temporary;
  } catch (error) {
    if (descriptor !== undefined) closeQuietly(descriptor);
    removeQuietly(temporary);
    throw writeError(target, error);
  }
}

/** Step two: the rename that makes the new content the file, and the directory entry made durable. */
function moveIntoPlace(temporary: string, target: string): void {
  try {
    renameSync(temporary, target);
  } catch (error) {
    removeQuietly(temporary);
    throw writeError(target, error);
  }
  syncDirectory(dirname(target));
}

function temporaryPrefix(target: string): string {
  return `.${basename(target)}.acrx-`;
}

// Only writers holding the lock make temporary files, so any found then were left by a killed one.
function removeLeftoverTemporaries(target: string): void {
  const prefix = temporaryPrefix(target);
  let names: string[];
  try {
    names = readdirSync(dirname(target));
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(prefix) && name.endsWith('.tmp')) removeQuietly(join(dirname(target), name));
  }
}

interface ModeAndOwner {
  mode: number;
  uid: number;
  gid: number;
}

function currentModeAndOwner(target: string): ModeAndOwner | undefined {
  try {
    const stat = statSync(target);
    return { mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid };
  } catch {
    return undefined;
  }
}

// `sudo acrx login` must not leave a user's config.json owned by root; only root can give it back.
function adoptOwner(descriptor: number, keep: ModeAndOwner): void {
  if (process.getuid?.() !== 0) return;
  try {
    fchownSync(descriptor, keep.uid, keep.gid);
  } catch {
    // Some file systems have no owners to give; the content matters more.
  }
}

function ensureDirectory(path: string, directory: string): void {
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw writeError(path, error);
  }
}

function syncDirectory(directory: string): void {
  try {
    const descriptor = openSync(directory, 'r');
    try {
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
  } catch {
    // Not every platform can sync a directory; the rename itself is still atomic.
  }
}

function closeQuietly(descriptor: number): void {
  try {
    closeSync(descriptor);
  } catch {
    // Already closed.
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Gone already, or the next writer's clean-up will find it.
  }
}

function writeError(path: string, error: unknown): ConfigFileError {
  if (error instanceof ConfigFileError) return error;
  const { code, message } = error as NodeJS.ErrnoException;
  return new ConfigFileError(`cannot write ${path}: ${code ?? message}`, { cause: error });
}
