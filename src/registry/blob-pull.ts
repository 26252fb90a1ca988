// Blob pull: GET /v2/R/blobs/D streamed (storage redirects are followed without credentials by the
// redirect layer), its size and digest verified while the bytes pass, never held in memory.
import type { Hash } from 'node:crypto';
import { pipeline, Transform, type Readable } from 'node:stream';
import { BlobMismatchError } from '../errors.js';
import { errorFromResponse } from '../transport/registry-errors.js';
import { isSuccess, type HttpRequest } from '../transport/types.js';
import { canVerify, createHasher } from '../util/digest.js';
import type { RegistryEndpoint } from './endpoint.js';
import { repositoryScope } from './scope.js';

export interface BlobFetchOptions {
  /** Bytes received so far. */
  onProgress?: (received: number) => void;
}

/**
 * The blob's bytes as they arrive. The stream fails with a BlobMismatchError, after its last byte, when
 * the bytes do not hash to the digest or are not `size` long (at once when the registry announces, or
 * sends, more than `size`): a caller writing a temp file deletes it then. A digest with an algorithm
 * Node cannot compute is checked for its size only.
 */
export async function fetchBlob(
  endpoint: RegistryEndpoint,
  repository: string,
  blob: { digest: string; size: number },
  options: BlobFetchOptions = {},
): Promise<Readable> {
  const url = new URL(`/v2/${repository}/blobs/${blob.digest}`, endpoint.base);
  const request: HttpRequest = { method: 'GET', url, headers: {}, scopes: [repositoryScope(repository, ['pull'])] };
  const response = await endpoint.send(request);
  if (!isSuccess(response.status)) throw await errorFromResponse(request, response, `blob '${repository}@${blob.digest}'`);
  const mismatch = (problem: string) => new BlobMismatchError(repository, blob.digest, problem);
  const named = response.headers['docker-content-digest'];
  const announced = response.headers['content-length'];
  const early =
    named !== undefined && named !== blob.digest
      ? `${endpoint.host} sent it as ${named}`
      : announced !== undefined && Number(announced) !== blob.size
        ? `${endpoint.host} announced ${announced} bytes, not ${blob.size}`
        : undefined;
  if (early) {
    await response.discard();
    throw mismatch(early);
  }
  return pipeline(response.stream(), verifier(blob, mismatch, options.onProgress), () => undefined);
}

function verifier(blob: { digest: string; size: number }, mismatch: (problem: string) => BlobMismatchError, onProgress?: (received: number) => void): Transform {
  const hash: Hash | undefined = canVerify(blob.digest) ? createHasher(blob.digest.slice(0, blob.digest.indexOf(':'))) : undefined;
  let received = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (received > blob.size) return done(mismatch(`more than ${blob.size} bytes arrived`));
      hash?.update(chunk);
      onProgress?.(received);
      done(null, chunk);
    },
    flush(done) {
      if (received !== blob.size) return done(mismatch(`${received} bytes arrived, not ${blob.size}`));
      const got = hash ? `${blob.digest.slice(0, blob.digest.indexOf(':'))}:${hash.digest('hex')}` : blob.digest;
      done(got === blob.digest ? null : mismatch(`the bytes that arrived hash to ${got}`));
    },
  });
}
