// The bottom layer: one keep-alive connection pool (undici) that every request of a run shares.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { BodyReadError, ConfigFileError, ConnectionError, RegistryError, TimeLimitError } from '../errors.js';
import { builtin } from '../util/builtin.js';
import { BODY_LIMITS, isStreamBody, type HttpRequest, type HttpResponse, type Transport } from './types.js';
import { Agent, EnvHttpProxyAgent } from './undici.js';

export interface ConnectionOptions {
  /** Skip TLS certificate verification (--insecure). */
  insecure?: boolean;
  /** Extra trusted CA certificates (PEM text), added to the system and NODE_EXTRA_CA_CERTS roots. */
  extraCa?: string;
  /** Sockets per origin; the registry client keeps this many requests in flight. */
  connections?: number;
  /** Milliseconds to wait for response headers, and between body chunks. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** A stalled server: no headers, or no body bytes, for this long (asked once more, so ~60 s in all). */
export const DEFAULT_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 10_000;

export function createDispatcher(options: ConnectionOptions = {}): Dispatcher {
  const env = options.env ?? process.env;
  const tls = {
    rejectUnauthorized: !options.insecure,
    ...(options.extraCa ? { ca: trustedCertificates(options.extraCa, env) } : {}),
  };
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const common = {
    connections: options.connections ?? 16,
    keepAliveTimeout: 30_000,
    headersTimeout: timeout,
    bodyTimeout: timeout,
    connectTimeout: Math.min(timeout, CONNECT_TIMEOUT_MS),
    // Node's default, given explicitly: the bundle's undici does not read node:http for it (scripts/build-patches.mjs).
    maxHeaderSize: 16 * 1024,
    // undici closes the connection after every HTTP/1.1 HEAD; over HTTP/2 the per-tag HEADs share one.
    allowH2: true,
  };
  const httpProxy = env.HTTP_PROXY || env.http_proxy;
  const httpsProxy = env.HTTPS_PROXY || env.https_proxy;
  if (!httpProxy && !httpsProxy) return new Agent({ ...common, connect: tls });
  // Passed explicitly: the settings come from the environment acrx was given, not only process.env.
  return new EnvHttpProxyAgent({
    ...common,
    connect: tls,
    requestTls: tls,
    ...(httpProxy ? { httpProxy } : {}),
    ...(httpsProxy ? { httpsProxy } : {}),
    noProxy: env.NO_PROXY ?? env.no_proxy ?? '',
  });
}

// Passing `ca` replaces Node's default roots, so the defaults and NODE_EXTRA_CA_CERTS are added back.
// node:tls loads here, not with the module: a plain-HTTP registry never needs it.
function trustedCertificates(extraCa: string, env: NodeJS.ProcessEnv): string[] {
  const { rootCertificates } = builtin('node:tls');
  const file = env.NODE_EXTRA_CA_CERTS;
  if (!file) return [...rootCertificates, extraCa];
  try {
    return [...rootCertificates, readFileSync(file, 'utf8'), extraCa];
  } catch (error) {
    throw new ConfigFileError(`cannot read NODE_EXTRA_CA_CERTS '${file}': ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

export function createBaseTransport(dispatcher: Dispatcher): Transport {
  return async (req: HttpRequest): Promise<HttpResponse> => {
    const body = requestBody(req);
    let answer: Dispatcher.ResponseData;
    try {
      answer = await dispatcher.request({
        origin: req.url.origin,
        path: `${req.url.pathname}${req.url.search}`,
        method: req.method,
        headers: body.headers,
        body: body.content,
        signal: req.signal ?? null,
      });
    } catch (error) {
      body.close();
      throw requestError(req, error);
    }
    return wrapResponse(req.url, answer);
  };
}

interface OpenedBody {
  content: string | Buffer | Readable | null;
  headers: Record<string, string>;
  close(): void;
}

// A stream body is opened here, once per attempt: the layers above repeat the request, not the stream.
function requestBody(req: HttpRequest): OpenedBody {
  if (!isStreamBody(req.body)) return { content: req.body ?? null, headers: req.headers, close: () => undefined };
  const source = req.body.open();
  const content = guardedBody(source);
  return { content, headers: { ...req.headers, 'content-length': String(req.body.length) }, close: () => content.destroy() };
}


// Marks the source's own errors, so a disk failure is reported as itself and never retried as a network one.
function guardedBody(source: Readable): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of source) yield chunk as Buffer;
    } catch (error) {
      throw new BodyReadError('request body failed', { cause: error });
    }
  }
  const content = Readable.from(chunks(), { objectMode: false });
  // However the request ends (sent, refused, cut off), the source (an open file) is closed.
  content.once('close', () => source.destroy());
  return content;
}

function tooLarge(what: string, happened: string, limit: number): RegistryError {
  return new RegistryError(`${what} ${happened}; acrx reads at most ${limit / (1024 * 1024)} MiB here, so it stopped`);
}

function requestError(req: HttpRequest, error: unknown): Error {
  const local = findCause(error, (cause): cause is BodyReadError => cause instanceof BodyReadError);
  if (local) return local.cause instanceof Error ? local.cause : new RegistryError(String(local.cause));
  if (errorCode(error) === 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH' && isStreamBody(req.body)) {
    return new RegistryError(`the body of ${req.method} ${req.url.pathname} was not the ${req.body.length} bytes announced: its source changed while it was read`);
  }
  return connectionError(req.url, error);
}

function wrapResponse(url: URL, answer: Dispatcher.ResponseData): HttpResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const body = answer.body;
  const what = `${url.host} (${url.pathname})`;
  const bytes = async (limit: number = BODY_LIMITS.default): Promise<Buffer> => {
    const announced = Number(headers['content-length']);
    if (Number.isFinite(announced) && announced > limit) {
      body.destroy();
      throw tooLarge(what, `announced ${announced} bytes`, limit);
    }
    const chunks: Buffer[] = [];
    let received = 0;
    try {
      for await (const chunk of body) {
        received += (chunk as Buffer).length;
        if (received > limit) {
          body.destroy();
          throw tooLarge(what, `sent more than ${limit} bytes`, limit);
        }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      throw connectionError(url, error);
    }
    return Buffer.concat(chunks, received);
  };
  return {
    status: answer.statusCode,
    headers,
    url,
    bytes,
    text: async (limit) => (await bytes(limit)).toString('utf8'),
    json: async (limit) => {
      const text = (await bytes(limit)).toString('utf8');
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new RegistryError(`${url.host} returned a response that is not JSON for ${url.pathname} (HTTP ${answer.statusCode})`);
      }
    },
    excerpt: async (limit) => {
      const chunks: Buffer[] = [];
      let received = 0;
      try {
        for await (const chunk of body) {
          chunks.push(chunk as Buffer);
          received += (chunk as Buffer).length;
          if (received >= limit) break;
        }
      } catch {
        // An error page cut short is still an excerpt.
      }
      // Breaking out of the loop destroys the body: the rest is never read.
      return Buffer.concat(chunks, received).subarray(0, limit);
    },
    stream: () => {
      // The body timeout still applies between chunks; a cut or stalled body fails naming the host.
      async function* chunks(): AsyncGenerator<Buffer> {
        try {
          for await (const chunk of body) yield chunk as Buffer;
        } catch (error) {
          throw connectionError(url, error);
        }
      }
      return Readable.from(chunks(), { objectMode: false });
    },
    discard: async () => {
      await body.dump().catch(() => undefined);
    },
  };
}

const NETWORK_PHRASES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'it stalled: no answer within the time limit',
  UND_ERR_BODY_TIMEOUT: 'it stalled: the answer stopped arriving for longer than the time limit',
  UND_ERR_SOCKET: 'connection closed unexpectedly',
  UND_ERR_CLOSED: 'connection closed unexpectedly',
};

function connectionError(url: URL, error: unknown): Error {
  if (error instanceof TimeLimitError) return new TimeLimitError(`${url.host} had not answered when --timeout (${error.seconds} s) ran out`, error.seconds);
  if (error instanceof RegistryError) return error;
  if (error instanceof Error && error.name === 'AbortError') return error;
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'EPROTO' || /wrong.version.number|packet.length.too.long/i.test(`${code} ${message}`)) {
    return new ConnectionError(
      `${url.host} did not answer HTTPS (${message})`,
      code,
      { cause: error, peerSpeaksPlainHttp: true, remedy: { kind: 'use-plain-http' } },
    );
  }
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL/.test(code)) {
    return new ConnectionError(
      `TLS verification failed for ${url.host}: ${message}`,
      code,
      { cause: error, remedy: { kind: 'trust-certificate' } },
    );
  }
  const phrase = (code && NETWORK_PHRASES[code]) ?? message;
  return new ConnectionError(`cannot reach ${url.host}: ${phrase}`, code, { cause: error });
}

function errorCode(error: unknown): string | undefined {
  const found = findCause(error, (cause): cause is { code: string } => typeof (cause as { code?: unknown }).code === 'string');
  return found?.code;
}

function findCause<T>(error: unknown, test: (cause: object) => cause is T & object): T | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    if (test(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
