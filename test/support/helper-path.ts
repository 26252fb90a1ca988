// A PATH directory holding docker-credential-acrx (this project's own credential helper, built), so
// docker config tests and skopeo call a real helper binary.
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HELPER_BIN = fileURLToPath(new URL('../../bin/docker-credential-acrx.cjs', import.meta.url));

export interface HelperPath {
  dir: string;
  /** PATH with the helper directory first. */
  path: string;
  cleanup(): void;
}

export function helperOnPath(): HelperPath {
  const dir = mkdtempSync(join(tmpdir(), 'acrx-helper-path-'));
  symlinkSync(HELPER_BIN, join(dir, 'docker-credential-acrx'));
  return { dir, path: `${dir}:${process.env.PATH ?? ''}`, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
