// Small JSON files acrx owns or shares with docker: read as an object without a lock (every write
// replaces the file whole, so a reader sees one version or the next), updated under a lock.
import { readFileSync } from 'node:fs';
import { ConfigFileError } from '../errors.js';

/** The file's object; undefined when the file does not exist. Anything but a JSON object is an error. */
export function readJsonObject<T extends object>(path: string, advice: string): T | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new ConfigFileError(`cannot read ${path}: ${code ?? String(error)}`);
  }
  if (text.trim() === '') return {} as T;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as T;
  } catch {
    throw new ConfigFileError(`${path} is not valid JSON; ${advice}`);
  }
}

export interface JsonFileUpdate {
  /** What the user should do when the file is not a JSON object (it is then left alone). */
  advice: string;
  /** The file holds credentials: it is never left readable by group or others. */
  secret: boolean;
  indent?: string | number;
}

/**
 * Read-modify-write of a JSON object file under its lock, so concurrent writers lose nothing, replaced
 * atomically. `change` gets the current object (undefined when there is no file) and returns the new
 * one, or undefined to leave the file as it is. Symbolic links are followed: the link stays a link.
 */
export async function updateJsonObject<T extends object>(path: string, update: JsonFileUpdate, change: (current: T | undefined) => T | undefined): Promise<void> {
  // Loaded only to write: `docker-credential-acrx get`, on every pull, only reads.
  const [{ replaceFileAtomically, resolveWriteTarget }, { withFileLock }] = await Promise.all([import('./atomic-write.js'), import('./file-lock.js')]);
  const target = resolveWriteTarget(path);
  await withFileLock(target, () => {
    const next = change(readJsonObject<T>(target, update.advice));
    if (next !== undefined) replaceFileAtomically(target, `${JSON.stringify(next, null, update.indent ?? 2)}\n`, { secret: update.secret });
  });
}
