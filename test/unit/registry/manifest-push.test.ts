// Manifest pushes: exact bytes and media type out; digest, OCI-Subject and conditional-write answers in.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ExitCode, RefusedError, UsageError } from '../../../src/errors.js';
import { RegistryClient } from '../../../src/registry/client.js';
import { ManifestChangedError } from '../../../src/errors.js';
import { sendJson, type TestServer } from '../../support/http-server.js';
import { baseTransport, serversStoppedAfterEach } from '../../support/transport.js';

const { serve } = serversStoppedAfterEach();
const MANIFEST = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","subject":{}}');
const DIGEST = `sha256:${createHash('sha256').update(MANIFEST).digest('hex')}`;
const TYPE = 'application/vnd.oci.image.manifest.v1+json';

function clientOf(server: TestServer): RegistryClient {
  return new RegistryClient({ loginServer: server.origin.host, protocol: 'http:', plainHttpFallback: false, acrApi: false }, baseTransport, { concurrency: 2 });
}

describe('pushing a manifest', () => {
  it('PUTs the exact bytes with their media type and answers the digest and the registry’s OCI-Subject', async () => {
    const server = await serve((_req, res) => res.writeHead(201, { 'docker-content-digest': DIGEST, 'oci-subject': `sha256:${'1'.repeat(64)}` }).end());
    const pushed = await clientOf(server).pushManifest('app', 'v1', { bytes: MANIFEST, mediaType: TYPE });
    expect(pushed).toEqual({ digest: DIGEST, mediaType: TYPE, size: MANIFEST.length, subject: `sha256:${'1'.repeat(64)}` });
    expect(server.requests[0]).toMatchObject({ method: 'PUT', url: '/v2/app/manifests/v1', headers: expect.objectContaining({ 'content-type': TYPE }) });
    expect(server.requests[0]?.bytes.equals(MANIFEST)).toBe(true);
  });

  it('leaves subject out when the registry sends no OCI-Subject', async () => {
    const server = await serve((_req, res) => res.writeHead(201, { 'docker-content-digest': DIGEST }).end());
    expect(await clientOf(server).pushManifest('app', DIGEST, { bytes: MANIFEST, mediaType: TYPE })).not.toHaveProperty('subject');
  });

  it('sends If-Match and reports a 412 as a manifest that changed meanwhile', async () => {
    const server = await serve((_req, res) => sendJson(res, 412, { errors: [{ code: 'PRECONDITION_FAILED', message: 'etag mismatch' }] }));
    await expect(clientOf(server).pushManifest('app', 'sha256-abc', { bytes: MANIFEST, mediaType: TYPE }, { ifMatch: '"sha256:old"' })).rejects.toBeInstanceOf(ManifestChangedError);
    expect(server.requests[0]?.headers['if-match']).toBe('"sha256:old"');
  });

  it('refuses bytes that do not have the digest they are pushed under, sending nothing', async () => {
    const server = await serve((_req, res) => res.writeHead(201).end());
    await expect(clientOf(server).pushManifest('app', `sha256:${'2'.repeat(64)}`, { bytes: MANIFEST, mediaType: TYPE })).rejects.toBeInstanceOf(UsageError);
    expect(server.requests).toHaveLength(0);
  });

  it('names a registry that stores the manifest under another digest', async () => {
    const server = await serve((_req, res) => res.writeHead(201, { 'docker-content-digest': `sha256:${'3'.repeat(64)}` }).end());
    await expect(clientOf(server).pushManifest('app', 'v1', { bytes: MANIFEST, mediaType: TYPE })).rejects.toThrow(/under the digest sha256:3{64}, which its bytes do not have/);
  });

  it.each([
    [413, 'SIZE_INVALID', 'manifest too large'],
    [415, 'MANIFEST_INVALID', 'media type not allowed'],
    [400, 'MANIFEST_BLOB_UNKNOWN', 'blob unknown to registry'],
  ])('reports a refusal (HTTP %i %s) as exit 5 with the registry’s message', async (status, code, message) => {
    const server = await serve((_req, res) => sendJson(res, status, { errors: [{ code, message }] }));
    const push = clientOf(server).pushManifest('app', 'v1', { bytes: MANIFEST, mediaType: TYPE });
    await expect(push).rejects.toBeInstanceOf(RefusedError);
    await expect(push).rejects.toMatchObject({ exitCode: ExitCode.refused, message: `${server.origin.host} refused to store manifest 'app:v1' (HTTP ${status}: ${code}: ${message})` });
  });
});
