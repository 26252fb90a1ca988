// Small JSON files acrx owns or shares with docker: read as an object, written atomically and private.
import { chmodSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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

/**
 * A temporary file beside the target (through a symlink, beside the real file), mode 0600, then a
 * rename: a crash never leaves half a file, and no other user can read it.
 */
export function writeJsonAtomically(path: string, value: object, indent: string | number = 2): void {
  let target = path;
  try {
    target = realpathSync(path);
  } catch {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  }
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);
  writeFileSync(temporary, `${JSON.stringify(value, null, indent)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, target);
}
