// PRODUCT §5: credentials never reach another origin, secrets never reach output, traces or errors.
// Each test has a positive control, so it fails if the guard it checks is removed.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { sendJson, startServer, type RecordedRequest, type TestServer } from '../../support/http-server.js';

const PASSWORD = 'PASSWORD-d0-not-leak';
const TOKEN = 'TOKEN-d0-not-leak';
const BASIC = `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`;
const servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function serve(handler: (req: RecordedRequest, res: ServerResponse, self: TestServer) => void, host?: string): Promise<TestServer> {
  const server = await startServer(handler, host);
  servers.push(server);
  return server;
}

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const CONFIG = JSON.stringify({ architecture: 'amd64', os: 'linux', created: '2024-01-01T00:00:00Z' });
const MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(CONFIG), size: CONFIG.length },
  layers: [],
});

/** A registry that wants Basic credentials and sends blobs, or further tag pages, to another origin. */
async function basicRegistry(to: { blobs?: string; pages?: string }): Promise<TestServer> {
  return serve((req, res) => {
    if (req.headers.authorization !== BASIC) {
      return sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, { 'www-authenticate': 'Basic realm="test"' });
    }
    if (req.url === '/v2/') return sendJson(res, 200, {});
    if (req.url.startsWith('/v2/app/manifests/')) {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': sha256(MANIFEST) });
      return res.end(req.method === 'HEAD' ? undefined : MANIFEST);
    }
    if (req.url.startsWith('/v2/app/blobs/') && to.blobs) return res.writeHead(307, { location: `${to.blobs}/storage/config?sig=abc` }).end();
    if (req.url.startsWith('/v2/app/tags/list')) {
      const link: Record<string, string> = to.pages ? { link: `<${to.pages}/v2/app/tags/list?last=v1&n=1000>; rel="next"` } : {};
      return sendJson(res, 200, { name: 'app', tags: ['v1'] }, link);
    }
    sendJson(res, 404, { errors: [{ code: 'NAME_UNKNOWN', message: 'unknown' }] });
  });
}

describe('credentials stay on the registry origin', () => {
  it('follows a blob redirect to another origin without the credentials', async () => {
    const storage = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(CONFIG));
    const registry = await basicRegistry({ blobs: storage.url });
    const result = await runCli(['repository', 'show', '-n', registry.origin.host, '--image', 'app:v1', '-u', 'alice', '-p', PASSWORD]);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ createdTime: '2024-01-01T00:00:00Z', digest: sha256(MANIFEST) });
    expect(registry.requests.some((r) => r.headers.authorization === BASIC)).toBe(true);
    expect(storage.requests).toHaveLength(1);
    expect(storage.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('refuses a next-page Link to another origin, sending it nothing', async () => {
    const other = await serve((_req, res) => sendJson(res, 200, { name: 'app', tags: ['stolen'] }));
    const registry = await basicRegistry({ pages: other.url });
    const result = await runCli(['repository', 'show-tags', '-n', registry.origin.host, '--repository', 'app', '-u', 'alice', '-p', PASSWORD]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/another origin/);
    expect(other.requests).toEqual([]);
  });

  it('gives a token realm on another host no Basic credentials; the registry host itself gets them', async () => {
    const realmRequests: Array<{ host: string; authorization?: string }> = [];
    const tokenHandler = (req: RecordedRequest, res: ServerResponse, self: TestServer) => {
      realmRequests.push({ host: self.origin.hostname, ...(req.headers.authorization ? { authorization: String(req.headers.authorization) } : {}) });
      sendJson(res, 200, { token: TOKEN, expires_in: 300 });
    };
    const onOtherHost = await serve(tokenHandler, 'localhost');
    const onSameHost = await serve(tokenHandler, '127.0.0.1');
    let realm = '';
    const registry = await serve((req, res) => {
      if (req.headers.authorization === `Bearer ${TOKEN}`) return sendJson(res, 200, { repositories: ['app'] });
      sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, { 'www-authenticate': `Bearer realm="${realm}",service="test"` });
    });
    const list = () => runCli(['repository', 'list', '-n', registry.origin.host, '-u', 'alice', '-p', PASSWORD]);

    realm = `${onOtherHost.url}/token`;
    const refused = await list();
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/refusing to send credentials/);
    expect(realmRequests).toEqual([]);

    realm = `${onSameHost.url}/token`;
    expect((await list()).code).toBe(0);
    expect(realmRequests).toEqual([{ host: '127.0.0.1', authorization: BASIC }]);
  });
  it('gives no credentials to a foreign realm on login --expose-token either, however the registry answers before', async () => {
    const realmServer = await serve((_req, res) => sendJson(res, 200, { token: TOKEN }), 'localhost');
    let pings = 0;
    // Answers the first two /v2/ requests (ping, check) without auth, then names a foreign realm.
    const registry = await serve((_req, res) =>
      ++pings <= 2 ? sendJson(res, 200, {}) : sendJson(res, 401, {}, { 'www-authenticate': `Bearer realm="${realmServer.url}/token",service="x"` }),
    );
    const exposed = await runCli(['login', '-n', registry.origin.host, '-u', 'alice', '-p', PASSWORD, '--expose-token']);
    expect(exposed.code).toBe(4);
    expect(exposed.stdout).toBe('');
    expect(realmServer.requests).toEqual([]);
  });
});

describe('secrets never appear in output', () => {
  it('--debug traces every request with credentials and tokens redacted', async () => {
    const tokenServer = await serve((_req, res) => sendJson(res, 200, { token: TOKEN, access_token: TOKEN, expires_in: 300 }));
    const registry = await serve((req, res) => {
      if (req.headers.authorization === `Bearer ${TOKEN}`) return sendJson(res, 200, { repositories: ['app'] });
      sendJson(res, 401, {}, { 'www-authenticate': `Bearer realm="${tokenServer.url}/token",service="test"` });
    });
    const result = await runCli(['repository', 'list', '-n', registry.origin.host, '-u', 'alice', '-p', PASSWORD, '--debug']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`GET ${tokenServer.url}/token?service=test`);
    expect(result.stderr).toContain('authorization: Bearer <redacted>');
    expect(result.stderr).toContain('authorization: Basic <redacted>');
    for (const secret of [PASSWORD, TOKEN, BASIC.slice(6)]) expect(result.stderr).not.toContain(secret);
  });

  it('keeps the password out of errors when it is rejected, after one try', async () => {
    const tokenServer = await serve((_req, res) => sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] }));
    const registry = await serve((_req, res) => sendJson(res, 401, {}, { 'www-authenticate': `Bearer realm="${tokenServer.url}/token",service="test"` }));
    const result = await runCli(['repository', 'list', '-n', registry.origin.host, '-u', 'alice', '-p', PASSWORD, '--debug']);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('invalid username or password');
    expect(result.stderr).not.toContain(PASSWORD);
    expect(tokenServer.requests).toHaveLength(1);
  });
});
