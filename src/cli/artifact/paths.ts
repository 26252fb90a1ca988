// The paths artifact commands write to, checked with the other flags: a pull into a file, or a manifest
// export into a directory, would otherwise fail only after the transfer (a push already done).
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { quote } from '../../reference/quote.js';

export function outputDirectory(path: string | undefined): string {
  if (!path) throw new UsageError('argument --output-dir: give the directory to write into');
  if (kindOf(path) === 'file') throw new UsageError(`argument --output-dir: ${quote(path)} is a file, not a directory`);
  return path;
}

export function exportManifestPath(path: string): string {
  if (path === '') throw new UsageError('argument --export-manifest: give the file to write the manifest to');
  if (kindOf(path) === 'directory') throw new UsageError(`argument --export-manifest: ${quote(path)} is a directory; name a file`);
  if (kindOf(dirname(resolve(path))) !== 'directory') throw new UsageError(`argument --export-manifest: the directory of ${quote(path)} does not exist`);
  return path;
}

function kindOf(path: string): 'missing' | 'directory' | 'file' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'file';
  } catch {
    return 'missing';
  }
}
