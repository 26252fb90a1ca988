// docker-credential-acrx's own store: a JSON file only its user can read, changed under a lock and
// replaced atomically, so helpers that docker, podman or scripts run at once lose no entry.
// It holds what docker/podman/skopeo asked the helper to store (there is no OS keychain to rely on).
import { join } from 'node:path';
import { acrxConfigDir } from '../config.js';
import { readJsonObject, updateJsonObject } from '../util/json-file.js';

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

const FIX_OR_REMOVE = 'fix or remove it';

export function readStore(env: NodeJS.ProcessEnv): StoreFile {
  return withServers(readJsonObject<Partial<StoreFile>>(storePath(env), FIX_OR_REMOVE));
}

/** Changes the stored servers under the store's lock; `change` may throw to leave the file alone. */
export async function updateStore(env: NodeJS.ProcessEnv, change: (servers: Record<string, StoredSecret>) => void): Promise<void> {
  await updateJsonObject<Partial<StoreFile>>(storePath(env), { advice: FIX_OR_REMOVE, secret: true }, (current) => {
    const store = withServers(current);
    change(store.servers);
    return { ...current, ...store };
  });
}

function withServers(parsed: Partial<StoreFile> | undefined): StoreFile {
  return { servers: typeof parsed?.servers === 'object' && parsed.servers !== null ? { ...parsed.servers } : {} };
}
