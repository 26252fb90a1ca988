// --debug: one line per request and response. Redaction is structural: bodies are never written,
// credential headers are replaced, and query values are shown only for parameters known to be harmless.
import { bodyLength, isStreamBody, type HttpRequest, type HttpResponse, type Transport } from './types.js';

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-registry-auth']);
const HARMLESS_QUERY = new Set(['n', 'last', 'scope', 'service', 'orderby', 'digest', 'mount', 'from', 'api-version', 'artifacttype', 'tag', 'ns']);
export const REDACTED = '<redacted>';

export function redactUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  for (const key of [...new Set(copy.searchParams.keys())]) {
    if (!HARMLESS_QUERY.has(key.toLowerCase())) {
      const count = copy.searchParams.getAll(key).length;
      copy.searchParams.delete(key);
      for (let i = 0; i < count; i++) copy.searchParams.append(key, REDACTED);
    }
  }
  return copy.href.replace(/%3Credacted%3E/g, REDACTED);
}

export function redactHeaders(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${SECRET_HEADERS.has(name.toLowerCase()) ? redactCredential(value) : value}`)
    .join(', ');
}

// Keep the scheme so a reader can tell Basic from Bearer.
function redactCredential(value: string): string {
  const scheme = /^(\w+)\s/.exec(value)?.[1];
  return scheme ? `${scheme} ${REDACTED}` : REDACTED;
}

export function traceTransport(next: Transport, log: (line: string) => void): Transport {
  return async (request: HttpRequest): Promise<HttpResponse> => {
    const started = Date.now();
    log(`> ${request.method} ${redactUrl(request.url)}`);
    log(`> headers: ${redactHeaders(request.headers)}`);
    if (request.body !== undefined) log(`> body: ${bodyLength(request.body)} bytes (${isStreamBody(request.body) ? 'stream, ' : ''}not shown)`);
    try {
      const response = await next(request);
      log(`< ${response.status} ${request.method} ${redactUrl(request.url)} (${Date.now() - started} ms)`);
      log(`< headers: ${redactHeaders(redactLocation(response.headers))}`);
      return response;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`< failed ${request.method} ${redactUrl(request.url)}: ${message.replace(/\s+/g, ' ')}`);
      throw error;
    }
  };
}

// Location may carry a signed URL (storage redirects): its query values are redacted like the request's.
function redactLocation(headers: Record<string, string>): Record<string, string> {
  const copy = { ...headers };
  for (const name of ['location', 'content-location']) {
    const value = copy[name];
    if (value) {
      try {
        copy[name] = redactUrl(new URL(value, 'http://relative.invalid')).replace('http://relative.invalid', '');
      } catch {
        copy[name] = REDACTED;
      }
    }
  }
  return copy;
}
