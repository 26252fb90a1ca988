// Retries idempotent requests on 408/429/5xx and dropped connections, with backoff and Retry-After.
import { Readable } from 'node:stream';
import { ConnectionError } from '../errors.js';
import type { HttpRequest, HttpResponse, Transport } from './types.js';

export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for; the answer is returned as it is. */
  maxRetryAfterMs: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 3,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  maxRetryAfterMs: 60_000,
};

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
// Safe to send again blindly: reads, and a PUT of the same manifest bytes. A DELETE is not: the repeat
// of one whose answer was lost is answered 404; it is repeated only after `alreadyDone` said no.
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT']);
// A stalled server is asked once more, not three times: the command ends within about two timeouts.
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const STALL_RETRIES = 1;

export function retryTransport(next: Transport, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Transport {
  const sleep = policy.sleep ?? abortableSleep;
  return async (request: HttpRequest): Promise<HttpResponse> => {
    const retryable = request.idempotent ?? (IDEMPOTENT.has(request.method) || request.alreadyDone !== undefined);
    let stalls = 0;
    for (let attempt = 0; ; attempt++) {
      let response: HttpResponse;
      try {
        response = await next(request);
      } catch (error) {
        if (!retryable || !isTransientError(error) || attempt >= policy.retries) throw error;
        if (isStall(error) && ++stalls > STALL_RETRIES) throw error;
        if (await request.alreadyDone?.()) return doneAlready(request.url);
        await sleep(backoffDelay(policy, attempt), request.signal);
        continue;
      }
      if (!retryable || !isRetryableStatus(response.status) || attempt >= policy.retries) return response;
      const retryAfter = parseRetryAfter(response.headers['retry-after']);
      if (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs) return response;
      await response.discard();
      if (await request.alreadyDone?.()) return doneAlready(request.url);
      await sleep(retryAfter ?? backoffDelay(policy, attempt), request.signal);
    }
  };
}

/** The registry's answer, had it not been lost, to a request whose effect is there already: 204, no body. */
function doneAlready(url: URL): HttpResponse {
  const empty = Buffer.alloc(0);
  return {
    status: 204,
    headers: {},
    url,
    bytes: async () => empty,
    text: async () => '',
    json: async () => undefined,
    excerpt: async () => empty,
    stream: () => Readable.from([]),
    discard: async () => undefined,
  };
}

/** A status worth asking again for: the registry is busy or failed on its side. */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

/** A dropped or timed-out connection: the same request may well succeed next time. */
export function isTransientError(error: unknown): boolean {
  return error instanceof ConnectionError && error.code !== undefined && RETRYABLE_NETWORK_CODES.has(error.code);
}

function isStall(error: unknown): boolean {
  return error instanceof ConnectionError && error.code !== undefined && TIMEOUT_CODES.has(error.code);
}

/** Exponential backoff with ±20 % jitter, so clients that failed together do not return together. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt) * (0.8 + Math.random() * 0.4);
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
