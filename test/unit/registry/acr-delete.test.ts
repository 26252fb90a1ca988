// ACR's /acr/v1 deletes through the real retry layer, against a loopback server that plays the part of
// the ACR API for the one fault the fixture cannot produce on demand: an answer lost after the work.
import { describe, expect, it } from 'vitest';
import { AcrClient } from '../../../src/registry/acr.js';
import { retryTransport } from '../../../src/transport/retry.js';
import { sendJson } from '../../support/http-server.js';
import { baseTransport as base, NO_SLEEP, serversStoppedAfterEach } from '../../support/transport.js';

const { serve } = serversStoppedAfterEach();

describe('an ACR delete whose answer is lost', () => {
  it('untag: the tag turns out gone, so it is done, and not deleted again', async () => {
    let gone = false;
    const server = await serve((req, res) => {
      if (req.method === 'DELETE') {
        gone = true;
        return res.socket?.destroy();
      }
      if (gone) return sendJson(res, 404, { errors: [{ code: 'TAG_UNKNOWN', message: 'tag unknown' }] });
      sendJson(res, 200, { registry: 'r', imageName: 'hello', tag: { name: 'drop' } });
    });
    const acr = new AcrClient(retryTransport(base, NO_SLEEP), new URL(server.url));
    await acr.deleteTag('hello', 'drop');
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['DELETE /acr/v1/hello/_tags/drop', 'GET /acr/v1/hello/_tags/drop']);
  });

  it('repository delete: the repository is still there, so the delete is sent again and its answer taken', async () => {
    let deletes = 0;
    const server = await serve((req, res) => {
      if (req.method === 'DELETE' && ++deletes === 1) return res.socket?.destroy();
      if (req.method === 'DELETE') return sendJson(res, 202, { manifestsDeleted: ['sha256:aa'], tagsDeleted: ['v1'] });
      sendJson(res, 200, { registry: 'r', imageName: 'hello' });
    });
    const acr = new AcrClient(retryTransport(base, NO_SLEEP), new URL(server.url));
    expect(await acr.deleteRepository('hello')).toEqual({ manifestsDeleted: ['sha256:aa'], tagsDeleted: ['v1'] });
    expect(server.requests.map((r) => r.method)).toEqual(['DELETE', 'GET', 'DELETE']);
  });
});
