// Manifest push: PUT the exact bytes with their media type, and learn from the answer what the
// registry did with them (their digest; whether it indexed the `subject` itself, OCI-Subject).
import { ManifestChangedError, RegistryError, UsageError } from '../errors.js';
import { isDigest } from '../reference/image.js';
import { readOciErrors } from '../transport/registry-errors.js';
import { isSuccess, type HttpRequest } from '../transport/types.js';
import { canVerify, digestOf } from '../util/digest.js';
import type { RegistryEndpoint } from './endpoint.js';
import { pushErrorFromEntries } from './push-errors.js';
import { repositoryScope } from './scope.js';

export interface ManifestPushOptions {
  /**
   * Sent as If-Match: the manifest under the reference must still be the one read with this ETag.
   * Distribution 2.8 ignores it (its PUT handler reads no conditional headers), so on it a concurrent
   * writer can still win; re-read after writing where that matters.
   */
  ifMatch?: string;
}

export interface PushedManifest {
  digest: string;
  mediaType: string;
  size: number;
  /**
   * The registry's OCI-Subject answer: it indexed the manifest's `subject` itself (referrers API).
   * Absent for a manifest with a subject, the client must keep the referrers tag index.
   */
  subject?: string;
}

export async function pushManifest(
  endpoint: RegistryEndpoint,
  repository: string,
  reference: string,
  manifest: { bytes: Buffer; mediaType: string },
  options: ManifestPushOptions = {},
): Promise<PushedManifest> {
  const digest = digestOf(manifest.bytes, isDigest(reference) ? reference : 'sha256:');
  if (isDigest(reference) && canVerify(reference) && digest !== reference) {
    throw new UsageError(`the manifest to push to ${repository}@${reference} has the digest ${digest}`);
  }
  const request: HttpRequest = {
    method: 'PUT',
    url: new URL(`/v2/${repository}/manifests/${reference}`, endpoint.base),
    headers: { 'content-type': manifest.mediaType, ...(options.ifMatch ? { 'if-match': options.ifMatch } : {}) },
    body: manifest.bytes,
    scopes: [repositoryScope(repository, ['pull', 'push'])],
  };
  const response = await endpoint.send(request);
  const subject = `manifest '${repository}${isDigest(reference) ? '@' : ':'}${reference}'`;
  if (response.status === 412) {
    await response.discard();
    throw new ManifestChangedError(`${endpoint.host} did not store ${subject}: it changed since it was read (HTTP 412)`);
  }
  if (!isSuccess(response.status)) throw pushErrorFromEntries(request, response.status, await readOciErrors(response), subject);
  await response.discard();
  const stored = response.headers['docker-content-digest'];
  if (stored !== undefined && canVerify(stored) && stored !== digestOf(manifest.bytes, stored)) {
    throw new RegistryError(`${endpoint.host} stored ${subject} under the digest ${stored}, which its bytes do not have (${digest})`);
  }
  const processed = response.headers['oci-subject'];
  return { digest, mediaType: manifest.mediaType, size: manifest.bytes.length, ...(processed ? { subject: processed } : {}) };
}
