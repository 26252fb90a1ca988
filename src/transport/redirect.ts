// Follows redirects without ever carrying credentials to another origin, and never from https to http.
import { RegistryError } from '../errors.js';
import { sameOrigin, type HttpRequest, type HttpResponse, type Transport } from './types.js';

const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];
const MAX_REDIRECTS = 10;

export function redirectTransport(next: Transport): Transport {
  return async (request: HttpRequest): Promise<HttpResponse> => {
    const origin = request.url;
    let current = request;
    for (let hops = 0; ; hops++) {
      const response = await next(current);
      const location = response.headers['location'];
      // Token exchanges are never redirected: a token server that moves is not followed with secrets.
      if (!REDIRECT_STATUS.has(response.status) || !location || request.sensitive) return response;
      await response.discard();
      if (hops >= MAX_REDIRECTS) {
        throw new RegistryError(`${origin.host} redirected more than ${MAX_REDIRECTS} times for ${origin.pathname}`);
      }
      const target = new URL(location, current.url);
      if (current.url.protocol === 'https:' && target.protocol !== 'https:') {
        throw new RegistryError(`${current.url.host} redirected to a non-HTTPS URL (${target.protocol}//${target.host}); refusing to follow`);
      }
      current = {
        ...current,
        url: target,
        headers: sameOrigin(target, origin) ? current.headers : withoutCredentials(current.headers),
        ...(response.status === 303 ? { method: 'GET' as const, body: undefined } : {}),
      };
    }
  };
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.includes(name.toLowerCase())));
}
