// Sending a blob's bytes into an upload session: one PUT for a small blob, PATCH chunks and a closing
// PUT for a large one, each request streaming its range from the source.
//
// A failure that may pass (a dropped connection, a 408/429/5xx, a 416) is recovered from by asking the
// registry how far the session got (GET on the session: `Range: 0-<last byte>`) and resuming there. A
// registry that cannot say gets the upload started over in a new session: distribution 2.8 keeps the
// offset in the Location's signed `_state`, so after a request that wrote part of its body it answers
// 404 BLOB_UPLOAD_INVALID and cancels the session. The transport's retry layer leaves these requests
// alone (they are not idempotent: each moves the session), so this is the one place they are repeated.
import { Transform, pipeline, type Readable } from 'node:stream';
import { PassingFailure, RegistryError } from '../errors.js';
import { readOciErrors } from '../transport/registry-errors.js';
import { abortableSleep, backoffDelay, DEFAULT_RETRY_POLICY, isRetryableStatus, isTransientError } from '../transport/retry.js';
import { isSuccess, type HttpRequest, type HttpResponse, type StreamBody } from '../transport/types.js';
import type { BlobSource } from './blob-source.js';
import type { RegistryEndpoint } from './endpoint.js';
import { pushError, pushErrorFromEntries } from './push-errors.js';

export interface UploadSession {
  location: URL;
  /** The registry's OCI-Chunk-Min-Length: no chunk but the last may be shorter. 0 when it sets none. */
  minChunk: number;
}

export interface UploadContext {
  endpoint: RegistryEndpoint;
  repository: string;
  source: BlobSource;
  scopes: string[];
  /** Blobs up to this size go in one PUT. */
  monolithicLimit: number;
  chunkSize: number;
  onProgress?: (sent: number) => void;
}

/** Sessions recovered from (resumed or started over) before the upload gives up. */
const MAX_RECOVERIES = 3;


interface Position {
  location: URL;
  /** Bytes the registry has acknowledged. */
  offset: number;
}

/** POST /v2/R/blobs/uploads/: a new upload session. */
export async function openSession(context: UploadContext): Promise<UploadSession> {
  const url = new URL(`/v2/${context.repository}/blobs/uploads/`, context.endpoint.base);
  const request: HttpRequest = { method: 'POST', url, headers: {}, scopes: context.scopes };
  const response = await context.endpoint.send(request);
  if (!isSuccess(response.status)) throw await pushError(request, response, subjectOf(context));
  return sessionFrom(request, response);
}

/** The session a POST answered with (202), from its Location and OCI-Chunk-Min-Length. */
export async function sessionFrom(request: HttpRequest, response: HttpResponse): Promise<UploadSession> {
  await response.discard();
  const location = locationOf(request, response);
  if (!location) throw new RegistryError(`${request.url.host} opened an upload session without saying where (no Location)`);
  const minimum = Number(response.headers['oci-chunk-min-length']);
  return { location, minChunk: Number.isSafeInteger(minimum) && minimum > 0 ? minimum : 0 };
}

export async function sendBlob(context: UploadContext, session: UploadSession): Promise<void> {
  const position: Position = { location: session.location, offset: 0 };
  let minChunk = session.minChunk;
  for (let recoveries = 0; ; recoveries++) {
    try {
      await sendFrom(context, position, Math.max(context.chunkSize, minChunk));
      return;
    } catch (error) {
      if (!(error instanceof PassingFailure) || recoveries >= MAX_RECOVERIES) {
        if (!context.endpoint.signal?.aborted) await cancel(context, position.location);
        throw error instanceof PassingFailure ? error.failure : error;
      }
    }
    await abortableSleep(backoffDelay(DEFAULT_RETRY_POLICY, recoveries), context.endpoint.signal);
    const resumed = await whereIs(context, position.location);
    if (resumed) {
      Object.assign(position, resumed);
    } else {
      const fresh = await openSession(context);
      Object.assign(position, { location: fresh.location, offset: 0 });
      minChunk = fresh.minChunk;
    }
  }
}

async function sendFrom(context: UploadContext, position: Position, chunkSize: number): Promise<void> {
  const { size } = context.source;
  if (position.offset === 0 && size <= context.monolithicLimit) return closeSession(context, position, body(context, 0, size));
  while (position.offset < size) {
    const length = Math.min(chunkSize, size - position.offset);
    const request: HttpRequest = {
      method: 'PATCH',
      url: position.location,
      headers: { 'content-type': 'application/octet-stream', 'content-range': `${position.offset}-${position.offset + length - 1}` },
      body: body(context, position.offset, length),
      scopes: context.scopes,
    };
    const response = await attempt(context, request);
    await response.discard();
    // Each chunk goes to the Location the previous answer gave: it may carry the session's state.
    position.location = locationOf(request, response) ?? position.location;
    position.offset += length;
  }
  await closeSession(context, position, undefined);
}

/** PUT <location>?digest=D, with the whole blob or (after PATCH chunks) nothing. */
async function closeSession(context: UploadContext, position: Position, content: StreamBody | undefined): Promise<void> {
  const { digest } = context.source;
  const url = new URL(position.location.href);
  // Appended, not re-encoded: the Location's own query (a signed state, a storage signature) stays as sent.
  url.search = `${url.search ? `${url.search}&` : '?'}digest=${encodeURIComponent(digest)}`;
  const request: HttpRequest = {
    method: 'PUT',
    url,
    headers: content ? { 'content-type': 'application/octet-stream' } : {},
    scopes: context.scopes,
    idempotent: false,
    ...(content ? { body: content } : {}),
  };
  const response = await attempt(context, request);
  await response.discard();
  const stored = response.headers['docker-content-digest'];
  if (stored !== undefined && stored !== digest) {
    throw new RegistryError(`${context.endpoint.host} stored ${subjectOf(context)} under the digest ${stored}`);
  }
}

async function attempt(context: UploadContext, request: HttpRequest): Promise<HttpResponse> {
  let response: HttpResponse;
  try {
    response = await context.endpoint.send(request);
  } catch (error) {
    if (isTransientError(error)) throw new PassingFailure(error as Error);
    throw error;
  }
  if (isSuccess(response.status)) return response;
  const entries = await readOciErrors(response);
  const failure = pushErrorFromEntries(request, response.status, entries, subjectOf(context));
  // A busy registry, a range it did not expect, a session it lost: ask where it stands, or start over.
  const passing = isRetryableStatus(response.status) || response.status === 416 || entries.some((entry) => entry.code === 'BLOB_UPLOAD_UNKNOWN');
  throw passing ? new PassingFailure(failure) : failure;
}

/** GET on the session: where the registry stands, or undefined when it cannot say. */
async function whereIs(context: UploadContext, location: URL): Promise<Position | undefined> {
  const request: HttpRequest = { method: 'GET', url: location, headers: {}, scopes: context.scopes };
  const response = await context.endpoint.send(request);
  await response.discard();
  if (!isSuccess(response.status)) return undefined;
  const offset = rangeOffset(response.headers['range']);
  if (offset === undefined || offset > context.source.size) return undefined;
  return { location: locationOf(request, response) ?? location, offset };
}

/** `Range: 0-<last byte>` as the offset of the next byte; `0-0` is read as nothing stored yet. */
function rangeOffset(range: string | undefined): number | undefined {
  const last = /^(?:bytes=)?0-(\d+)$/.exec(range?.trim() ?? '')?.[1];
  if (last === undefined) return undefined;
  const end = Number(last);
  return end === 0 ? 0 : end + 1;
}

// Releases the registry's session, as the spec asks of a client that gives up; its answer does not matter.
async function cancel(context: UploadContext, location: URL): Promise<void> {
  try {
    const response = await context.endpoint.send({ method: 'DELETE', url: location, headers: {}, scopes: context.scopes, idempotent: false });
    await response.discard();
  } catch {
    // The session expires on the registry's side anyway.
  }
}

/**
 * The upload Location, relative or absolute. On another origin it is followed without credentials (the
 * auth layer sends them to the registry's origin only); from HTTPS to plain HTTP it is refused.
 */
function locationOf(request: HttpRequest, response: HttpResponse): URL | undefined {
  const value = response.headers['location'];
  if (!value) return undefined;
  let target: URL;
  try {
    target = new URL(value, request.url);
  } catch {
    throw new RegistryError(`${request.url.host} answered an upload with an unusable Location '${value}'`);
  }
  if (request.url.protocol === 'https:' && target.protocol !== 'https:') {
    throw new RegistryError(`${request.url.host} moved an upload to a non-HTTPS URL (${target.protocol}//${target.host}); refusing to send it there`);
  }
  return target;
}

function body(context: UploadContext, offset: number, length: number): StreamBody {
  const { source, onProgress } = context;
  return { length, open: () => (onProgress ? counted(source.open(offset, length), offset, onProgress) : source.open(offset, length)) };
}

function counted(source: Readable, offset: number, onProgress: (sent: number) => void): Readable {
  let sent = offset;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sent += chunk.length;
      onProgress(sent);
      done(null, chunk);
    },
  });
  // Errors travel both ways: a failed read fails the request, a dropped request closes the file.
  return pipeline(source, counter, () => undefined);
}

function subjectOf(context: UploadContext): string {
  return `blob '${context.repository}@${context.source.digest}'`;
}
