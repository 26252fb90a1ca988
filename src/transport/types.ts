// The shape every transport layer speaks: a request in, a response out. Each layer wraps the next.
import type { Readable } from 'node:stream';

/**
 * A body too large to hold in memory (a blob). Layers pass the request on unchanged and the bottom
 * layer opens the stream per attempt, so a repeat after a 401, a retry or a 307/308 redirect sends the
 * whole body again, never a stream that an earlier attempt consumed.
 */
export interface StreamBody {
  /** Exactly the number of bytes `open()` yields; sent as Content-Length. */
  readonly length: number;
  open(): Readable;
}

export type RequestBody = string | Buffer | StreamBody;

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: URL;
  headers: Record<string, string>;
  body?: RequestBody;
  /** Repository scopes this request needs (`repository:NAME:pull`), so a token can be fetched before the 401. */
  scopes?: string[];
  /** Token and credential exchanges: bodies are never traced, redirects never followed. */
  sensitive?: boolean;
  /** The /v2/ ping: the auth layer learns the challenge from a 401 but does not answer it. */
  probe?: boolean;
  /**
   * Whether the retry layer may send it again; by default GET, HEAD and PUT, and a request with
   * `alreadyDone`. A blob upload's PUT moves the upload session, so it is not: the upload recovers by
   * asking the registry where it is.
   */
  idempotent?: boolean;
  /**
   * For a request that must not be sent again blindly (a DELETE, whose repeat after a lost answer is
   * answered 404): asked before each repeat whether the first already took effect. When it did, the
   * retry layer answers for the registry with an empty 204.
   */
  alreadyDone?: () => Promise<boolean>;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  /** Lowercase header names; repeated headers joined with ', ' except where noted by the layer reading them. */
  headers: Record<string, string>;
  url: URL;
  /**
   * The whole body, at most `limit` bytes (default BODY_LIMITS.default): a body announced or arriving
   * larger fails naming the host and the limit, after reading no more than the limit.
   */
  bytes(limit?: number): Promise<Buffer>;
  text(limit?: number): Promise<string>;
  json(limit?: number): Promise<unknown>;
  /** At most the first `limit` bytes; the rest is dropped (error pages, shown as an excerpt). */
  excerpt(limit: number): Promise<Buffer>;
  /** The body as it arrives, for blobs; read once, instead of bytes()/text()/json(). */
  stream(): Readable;
  /** Releases the connection without reading the body. */
  discard(): Promise<void>;
}

export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

const MiB = 1024 * 1024;

/** What fits in memory for each kind of answer; blobs are streamed and never held whole. */
export const BODY_LIMITS = {
  /** The distribution spec lets registries refuse manifests above 4 MiB; acrx reads none larger. */
  manifest: 4 * MiB,
  /** One page of a listing (tags, catalog, referrers, ACR metadata); registries that ignore `n` send more. */
  page: 16 * MiB,
  /** Token service and exchange answers. */
  token: 1 * MiB,
  /** Image configs and other JSON blobs. */
  jsonBlob: 8 * MiB,
  default: 4 * MiB,
} as const;

export function isStreamBody(body: RequestBody | undefined): body is StreamBody {
  return typeof body === 'object' && !Buffer.isBuffer(body);
}

export function bodyLength(body: RequestBody): number {
  return isStreamBody(body) ? body.length : Buffer.byteLength(body);
}

export function header(response: HttpResponse, name: string): string | undefined {
  return response.headers[name.toLowerCase()];
}

/** The one success check: any 2xx. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status <= 299;
}

export function sameOrigin(a: URL, b: URL): boolean {
  return a.protocol === b.protocol && a.host === b.host;
}
