// Blob push (OCI distribution "Pushing blobs"): nothing to send when the registry has the blob (HEAD),
// a mount when another repository of the registry has it, otherwise an upload session fed from the
// source, streamed: memory stays flat whatever the blob's size.
import { AuthError, RegistryError } from '../errors.js';
import { errorFromResponse } from '../transport/registry-errors.js';
import type { HttpRequest, HttpResponse } from '../transport/types.js';
import type { BlobSource } from './blob-source.js';
import type { RegistryEndpoint } from './endpoint.js';
import { repositoryScope } from './scope.js';
import { openSession, sendBlob, sessionFrom, type UploadContext, type UploadSession } from './upload-session.js';

export interface BlobPushOptions {
  /** A repository of the same registry that may hold the blob: mounted from there when it does. */
  mountFrom?: string;
  /** Blobs up to this size go in one PUT; larger ones in PATCH chunks. */
  monolithicLimit?: number;
  /** Bytes per PATCH chunk; raised to the registry's OCI-Chunk-Min-Length when that is larger. */
  chunkSize?: number;
  /** Bytes of the blob sent so far; it falls back when an upload resumes or starts over. */
  onProgress?: (sent: number) => void;
}

/** exists: the registry had it, nothing sent; mounted: from `mountFrom`; uploaded: its bytes were sent. */
export type BlobPushOutcome = 'exists' | 'mounted' | 'uploaded';

// One request carries a blob up to 16 MiB: starting it over costs little. Larger blobs go in 64 MiB
// chunks: each costs a round trip, so chunks are large enough for that to vanish next to the transfer,
// and a registry that can resume loses at most one chunk to a dropped connection.
const MONOLITHIC_LIMIT = 16 * 1024 * 1024;
const CHUNK_SIZE = 64 * 1024 * 1024;

export async function pushBlob(endpoint: RegistryEndpoint, repository: string, source: BlobSource, options: BlobPushOptions = {}): Promise<BlobPushOutcome> {
  // Pushing needs pull too (distribution checks both); one scope set for every request keeps one token.
  const scopes = [repositoryScope(repository, ['pull', 'push'])];
  if (await blobExists(endpoint, repository, source.digest, scopes)) return 'exists';
  const context: UploadContext = {
    endpoint,
    repository,
    source,
    scopes,
    monolithicLimit: options.monolithicLimit ?? MONOLITHIC_LIMIT,
    chunkSize: options.chunkSize ?? CHUNK_SIZE,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  let session: UploadSession | undefined;
  if (options.mountFrom !== undefined && options.mountFrom !== repository) {
    const mounted = await mount(context, options.mountFrom);
    if (mounted === 'mounted') return 'mounted';
    session = mounted;
  }
  await sendBlob(context, session ?? (await openSession(context)));
  return 'uploaded';
}

async function blobExists(endpoint: RegistryEndpoint, repository: string, digest: string, scopes: string[]): Promise<boolean> {
  const request: HttpRequest = { method: 'HEAD', url: new URL(`/v2/${repository}/blobs/${digest}`, endpoint.base), headers: {}, scopes };
  const response = await endpoint.send(request);
  await response.discard();
  if (response.status === 200) return true;
  if (response.status === 404) return false;
  throw await errorFromResponse(request, response, `blob '${repository}@${digest}'`);
}

/**
 * POST ?mount=D&from=OTHER. 201: mounted. 202: the registry opened an upload session instead, which
 * the upload continues. A registry (or token service) that will not let us read OTHER gets a plain
 * upload: the mount only saves sending bytes.
 */
async function mount(context: UploadContext, from: string): Promise<'mounted' | UploadSession | undefined> {
  const { endpoint, repository, source } = context;
  const url = new URL(`/v2/${repository}/blobs/uploads/`, endpoint.base);
  url.searchParams.set('mount', source.digest);
  url.searchParams.set('from', from);
  const request: HttpRequest = { method: 'POST', url, headers: {}, scopes: [...context.scopes, repositoryScope(from, ['pull'])] };
  let response: HttpResponse;
  try {
    response = await endpoint.send(request);
  } catch (error) {
    if (error instanceof AuthError) return undefined;
    throw error;
  }
  if (response.status === 202) return sessionFrom(request, response);
  await response.discard();
  if (response.status !== 201) return undefined;
  const stored = response.headers['docker-content-digest'];
  if (stored !== undefined && stored !== source.digest) {
    throw new RegistryError(`${endpoint.host} mounted blob ${source.digest} from '${from}' into '${repository}' as ${stored}`);
  }
  return 'mounted';
}
