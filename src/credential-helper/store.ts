// docker-credential-acrx's own store: a JSON file only its user can read, written atomically.
// It holds what docker/podman/skopeo asked the helper to store (there is no OS keychain to rely on).
import { join } from 'node:path';
import { acrxConfigDir } from '../config.js';
import { readJsonObject, writeJsonAtomically } from '../util/json-file.js';

export interface StoredSecret {
  Username: string;
  Secret: string;
}

interface StoreFile {
  servers: Record<string, StoredSecret>;
}

export function storePath(env: NodeJS.ProcessEnv): string {
  return join(acrxConfigDir(env), 'credentials.json');
}

export function readStore(env: NodeJS.ProcessEnv): StoreFile {
  const parsed = readJsonObject<Partial<StoreFile>>(storePath(env), 'fix or remove it');
  return { servers: typeof parsed?.servers === 'object' && parsed.servers !== null ? parsed.servers : {} };
}

export function writeStore(env: NodeJS.ProcessEnv, store: StoreFile): void {
  writeJsonAtomically(storePath(env), store);
}
