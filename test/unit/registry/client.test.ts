// How the client reads referrers from registries that answer the referrers API in the ways real ones
// do: paged indexes, and the many ways of not offering it (distribution 2.8's plain 404 is covered
// against the real registry in test/integration/manifest.test.ts).
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../src/errors.js';
import { RegistryClient } from '../../../src/registry/client.js';
import { referrersTag } from '../../../src/registry/referrers.js';
import { sendJson, type RecordedRequest } from '../../support/http-server.js';
import { baseTransport, serversStoppedAfterEach } from '../../support/transport.js';

const { serve } = serversStoppedAfterEach();
const SUBJECT = `sha256:${'5'.repeat(64)}`;
const INDEX = 'application/vnd.oci.image.index.v1+json';
const referrer = (n: number) => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${String(n).repeat(64)}`, size: n, artifactType: 'application/x.sig' });
const TAG_INDEX = JSON.stringify({ schemaVersion: 2, mediaType: INDEX, manifests: [referrer(7)] });

/** A registry whose referrers endpoint answers `referrersAnswer`, with a referrers tag index beside it. */
async function registryAnswering(referrersAnswer: (request: RecordedRequest, response: ServerResponse) => void) {
  const server = await serve((request, response) => {
    if (request.url.startsWith(`/v2/app/referrers/${SUBJECT}`)) return referrersAnswer(request, response);
    if (request.url === `/v2/app/manifests/${referrersTag(SUBJECT)}`) {
      response.writeHead(200, { 'content-type': INDEX, 'content-length': Buffer.byteLength(TAG_INDEX) });
      return response.end(TAG_INDEX);
    }
    sendJson(response, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });
  });
  const client = new RegistryClient({ loginServer: server.origin.host, protocol: 'http:', plainHttpFallback: false, acrApi: false }, baseTransport, { concurrency: 2 });
  return { server, client };
}

describe('listing referrers', () => {
  it('follows Link pages of the referrers API and sends the artifactType filter', async () => {
    const { server, client } = await registryAnswering((request, response) => {
      const second = request.url.includes('last=');
      sendJson(response, 200, { schemaVersion: 2, mediaType: INDEX, manifests: [referrer(second ? 2 : 1)] }, {
        'content-type': INDEX,
        ...(second ? {} : { link: `</v2/app/referrers/${SUBJECT}?last=x&artifactType=application%2Fx.sig>; rel="next"` }),
      });
    });
    expect(await client.listReferrers('app', SUBJECT, 'application/x.sig')).toEqual([referrer(1), referrer(2)]);
    expect(server.requests[0]?.url).toBe(`/v2/app/referrers/${SUBJECT}?artifactType=application%2Fx.sig`);
  });

  it('reads the referrers tag schema when the API answers 404 with an error code other than NAME_UNKNOWN', async () => {
    const { client } = await registryAnswering((_request, response) => sendJson(response, 404, { errors: [{ code: 'NOT_FOUND', message: 'not found' }] }));
    expect(await client.listReferrers('app', SUBJECT)).toEqual([referrer(7)]);
  });

  it('reads the referrers tag schema when the API answers with something that is not an index', async () => {
    const { client } = await registryAnswering((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>welcome</html>');
    });
    expect(await client.listReferrers('app', SUBJECT)).toEqual([referrer(7)]);
  });

  it('says the repository is not found when the registry says NAME_UNKNOWN', async () => {
    const { client } = await registryAnswering((_request, response) => sendJson(response, 404, { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] }));
    await expect(client.listReferrers('app', SUBJECT)).rejects.toThrow(NotFoundError);
    await expect(client.listReferrers('app', SUBJECT)).rejects.toThrow(/repository 'app' not found .*NAME_UNKNOWN/);
  });
});
