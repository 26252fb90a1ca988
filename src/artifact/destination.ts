// Where a layer's title lands in the output directory: inside it, never through a link already on
// disk, and never over something already there unless overwriting was asked for.
import { lstatSync, mkdirSync, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { DestinationExistsError, UnsafeArtifactError } from '../errors.js';
import { parseRelativeName } from './names.js';

export interface DestinationOptions {
  /**
   * Replace what is already at the destination: a file or a link (the link itself, never what it
   * points to). A file never replaces a directory; a directory layer replaces anything.
   */
  overwrite?: boolean;
}

export type DestinationKind = 'file' | 'directory';

/**
 * The absolute path for the layer titled `title` in `directory`, creating `directory` if missing
 * and the title's own directories (`a/` of `a/b.txt`) inside it. The title must be a plain relative
 * name; each existing component on the way is checked with lstat, so a symlink in the output
 * directory cannot lead the write elsewhere. Refusals: UnsafeArtifactError for the title, and
 * DestinationExistsError for what is in the way.
 */
export function safeDestination(directory: string, title: string, options: DestinationOptions = {}): string {
  return prepareDestination(directory, titleSegments(title), 'file', options.overwrite === true).path;
}

/** The title's segments; UnsafeArtifactError unless it is a plain relative name. */
export function titleSegments(title: string): string[] {
  const parsed = parseRelativeName(title);
  if ('problem' in parsed) throw new UnsafeArtifactError(`refused the title "${title}": it ${parsed.problem}`);
  if (parsed.segments.length === 0) throw new UnsafeArtifactError(`refused the title "${title}": it names no file`);
  return parsed.segments;
}

/** Checks, writing nothing: the destination, and the parents still to create (outermost first). */
export function checkDestination(directory: string, segments: readonly string[], kind: DestinationKind, overwrite: boolean): { path: string; missing: string[] } {
  const title = segments.join('/');
  let path = resolve(directory);
  const missing: string[] = [];
  for (const [index, segment] of segments.entries()) {
    path = join(path, segment);
    const last = index === segments.length - 1;
    const stats = lstatIfExists(path);
    if (stats === undefined) {
      if (!last) missing.push(path);
      continue;
    }
    if (!last) {
      if (stats.isSymbolicLink()) throw new UnsafeArtifactError(`refused the title "${title}": ${path} is a symbolic link, and nothing is written through one`);
      if (!stats.isDirectory()) throw new DestinationExistsError(path, `cannot write "${title}": ${path} is a file, not a directory`);
    } else if (!overwrite) {
      throw new DestinationExistsError(path, `${path} already exists; refused to overwrite it`, { remedy: { kind: 'replace-or-keep-files' } });
    } else if (kind === 'file' && stats.isDirectory()) {
      throw new DestinationExistsError(path, `${path} is a directory; refused to replace it with the file "${title}"`);
    }
  }
  return { path, missing };
}

/** Checks, then creates the missing parents; `created` lists them so that a failure can remove them. */
export function prepareDestination(directory: string, segments: readonly string[], kind: DestinationKind, overwrite: boolean): { path: string; created: string[] } {
  mkdirSync(directory, { recursive: true });
  const { path, missing } = checkDestination(directory, segments, kind, overwrite);
  const created: string[] = [];
  for (const parent of missing) {
    try {
      mkdirSync(parent, 0o755);
      created.push(parent);
    } catch (error) {
      // Made by someone else since the check: fine if it is a real directory.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !lstatIfExists(parent)?.isDirectory()) throw error;
    }
  }
  return { path, created };
}

export function lstatIfExists(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
