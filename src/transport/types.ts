// The shape every transport layer speaks: a request in, a response out. Each layer wraps the next.

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: URL;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Repository scopes this request needs (`repository:NAME:pull`), so a token can be fetched before the 401. */
  scopes?: string[];
  /** Token and credential exchanges: bodies are never traced, redirects never followed. */
  sensitive?: boolean;
  /** The /v2/ ping: the auth layer learns the challenge from a 401 but does not answer it. */
  probe?: boolean;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  /** Lowercase header names; repeated headers joined with ', ' except where noted by the layer reading them. */
  headers: Record<string, string>;
  url: URL;
  bytes(): Promise<Buffer>;
  text(): Promise<string>;
  json(): Promise<unknown>;
  /** Releases the connection without reading the body. */
  discard(): Promise<void>;
}

export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

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
