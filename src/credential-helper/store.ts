// docker-credential-acrx's own store: a JSON file only its user can read, written atomically.
// It holds what docker/podman/skopeo asked the helper to store (there is no OS keychain to rely on).
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { AcrxError } from '../errors.js';

export interface StoredSecret {
  Username: string;
  Secret: string;
}

interface StoreFile {
  servers: Record<string, StoredSecret>;
}

export function storePath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'acrx', 'credentials.json');
}

export function readStore(env: NodeJS.ProcessEnv): StoreFile {
  const path = storePath(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { servers: {} };
    throw new AcrxError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    const parsed = JSON.parse(text) as Partial<StoreFile>;
    return { servers: typeof parsed.servers === 'object' && parsed.servers !== null ? parsed.servers : {} };
  } catch {
    throw new AcrxError(`${path} is not valid JSON; fix or remove it`);
  }
}

export function writeStore(env: NodeJS.ProcessEnv, store: StoreFile): void {
  const path = storePath(env);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(store, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
