// What a registry's "no" to a blob or manifest push means. A registry that understood the push and
// refused it (size or media-type policy, a denied write, an upload it will not accept) is exit 5 with
// its own message; authentication, missing repositories and outages keep their usual classes.
import { RefusedError, RegistryError, type AcrxError } from '../errors.js';
import { describeOciErrors, errorFromEntries, readOciErrors, type OciErrorEntry } from '../transport/registry-errors.js';
import type { HttpRequest, HttpResponse } from '../transport/types.js';

const REFUSAL_STATUS = new Set([400, 403, 405, 409, 412, 413, 415, 416, 422]);
// By code as well: distribution 2.8 answers BLOB_UPLOAD_INVALID with HTTP 404.
const REFUSAL_CODES = new Set(['BLOB_UPLOAD_INVALID', 'SIZE_INVALID', 'DENIED', 'UNSUPPORTED', 'MANIFEST_INVALID', 'MANIFEST_BLOB_UNKNOWN', 'TAG_INVALID']);

export async function pushError(request: Pick<HttpRequest, 'method' | 'url'>, response: HttpResponse, subject: string): Promise<AcrxError> {
  return pushErrorFromEntries(request, response.status, await readOciErrors(response), subject);
}

export function pushErrorFromEntries(request: Pick<HttpRequest, 'method' | 'url'>, status: number, entries: OciErrorEntry[], subject: string): AcrxError {
  const host = request.url.host;
  const codes = new Set(entries.map((entry) => entry.code));
  const said = describeOciErrors(entries) || `HTTP ${status}`;
  // The bytes that arrived are not the ones named: the source changed while it was read.
  if (codes.has('DIGEST_INVALID')) {
    return new RegistryError(`${host} found that the content sent for ${subject} does not match its digest (${said}); did the file change while it was read?`);
  }
  if (codes.has('BLOB_UPLOAD_UNKNOWN')) return new RegistryError(`${host} lost the upload session of ${subject} (${said})`);
  const refused = REFUSAL_STATUS.has(status) || entries.some((entry) => REFUSAL_CODES.has(entry.code));
  if (status === 401 || !refused) return errorFromEntries(request, status, entries, subject);
  const remedy = codes.has('REGISTRY_DISALLOWED_OPERATION') ? { remedy: { kind: 'lift-lock' as const } } : {};
  return new RefusedError(`${host} refused to store ${subject} (HTTP ${status}: ${said})`, remedy);
}
