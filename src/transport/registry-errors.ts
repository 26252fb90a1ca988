// Turns a registry's error answer (OCI `{"errors":[{code,message,detail}]}` or anything else) into a
// typed acrx error whose class carries the exit code.
import { AcrApiRequiredError, AuthError, NotFoundError, RefusedError, RegistryError, type AcrxError } from '../errors.js';
import type { HttpRequest, HttpResponse } from './types.js';

export interface OciErrorEntry {
  code: string;
  message: string;
  detail?: unknown;
}

const MAX_ERROR_BODY = 64 * 1024;

/** Reads the OCI error list; a body that is not one yields a single entry with a short excerpt. */
export async function readOciErrors(response: HttpResponse): Promise<OciErrorEntry[]> {
  let text: string;
  try {
    text = (await response.excerpt(MAX_ERROR_BODY)).toString('utf8');
  } catch {
    return [];
  }
  try {
    const parsed = JSON.parse(text) as { errors?: unknown };
    if (Array.isArray(parsed.errors)) {
      return parsed.errors
        .filter((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null)
        .map((entry) => ({
          code: typeof entry.code === 'string' ? entry.code : 'UNKNOWN',
          message: typeof entry.message === 'string' ? entry.message : '',
          detail: entry.detail,
        }));
    }
  } catch {
    // not JSON: fall through to the excerpt
  }
  const excerpt = text.replace(/\s+/g, ' ').replace(/[^\x20-\x7e]/g, '').trim().slice(0, 160);
  return excerpt ? [{ code: 'UNKNOWN', message: excerpt }] : [];
}

export function describeOciErrors(entries: OciErrorEntry[]): string {
  return entries.map((entry) => (entry.message ? `${entry.code}: ${entry.message}` : entry.code)).join('; ');
}

/**
 * The error for a non-success answer. `subject` names what was asked for ("repository 'hello'",
 * "tag 'hello:v1'"), so the message says what failed.
 */
export async function errorFromResponse(
  request: Pick<HttpRequest, 'method' | 'url'>,
  response: HttpResponse,
  subject: string,
): Promise<AcrxError> {
  const entries = await readOciErrors(response);
  return errorFromEntries(request, response.status, entries, subject);
}

export function errorFromEntries(
  request: Pick<HttpRequest, 'method' | 'url'>,
  status: number,
  entries: OciErrorEntry[],
  subject: string,
): AcrxError {
  const host = request.url.host;
  const codes = new Set(entries.map((entry) => entry.code));
  const said = entries.length > 0 ? ` (${describeOciErrors(entries)})` : '';
  if (status === 401) {
    return new AuthError(`${host} requires authentication for ${subject}${said}`, { remedy: { kind: 'log-in', loginServer: host } });
  }
  if (status === 403 && !codes.has('REGISTRY_DISALLOWED_OPERATION')) {
    return new AuthError(`access to ${subject} on ${host} was denied${said}`);
  }
  if (status === 404 && request.url.pathname.startsWith('/acr/') && !entries.some((entry) => entry.code !== 'UNKNOWN')) {
    // A 404 without an OCI error code on /acr/v1 is a missing API, not a missing repository.
    return new AcrApiRequiredError(`${host} does not offer the ACR metadata API (${request.url.pathname} answered 404${said})`, {
      remedy: { kind: 'stop-declaring-acr-api' },
    });
  }
  if (status === 404) {
    return new NotFoundError(`${subject} not found in ${host}${said}`);
  }
  if (status === 405 || codes.has('UNSUPPORTED') || codes.has('REGISTRY_DISALLOWED_OPERATION')) {
    // ACR answers a lock (or a full registry) with REGISTRY_DISALLOWED_OPERATION.
    const remedy = codes.has('REGISTRY_DISALLOWED_OPERATION') ? { remedy: { kind: 'lift-lock' as const } } : {};
    return new RefusedError(`${host} refused ${request.method} of ${subject}${said || ` (HTTP ${status})`}`, remedy);
  }
  if (status === 429) {
    return new RegistryError(`${host} is rate limiting requests (HTTP 429)${said}; try again later`);
  }
  return new RegistryError(`${host} answered HTTP ${status} to ${request.method} ${request.url.pathname}${said}`);
}
