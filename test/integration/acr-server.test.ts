// The ACR test server and the Entra look-alike are what acrx's ACR tests will trust, so they are checked
// here against the recorded ACR behaviour with clients that share no code with acrx: plain HTTP, the real
// @azure/identity in a child process, skopeo, and the distribution registry behind the server.
import { execFile, spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Agent, getGlobalDispatcher, request, setGlobalDispatcher, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  DISALLOWED_CODE,
  DISALLOWED_MESSAGE,
  UNAUTHORIZED_MESSAGE,
  startAcrServer,
  type AcrServer,
} from '../fixtures/acr-server.js';
import { issueServerCertificate } from '../fixtures/acr-tls.js';
import { startEntraServer, type EntraServer } from '../fixtures/entra-server.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import {
  EMPTY_DESCRIPTOR,
  MediaType,
  pushArtifact,
  pushImage,
  pushIndex,
  pushManifestBytes,
  pushReferrer,
  sha256Digest,
  withAuth,
  type Descriptor,
  type PushedManifest,
} from '../support/seed.js';
import { createTestCa, type TestCa } from '../support/tls.js';
import { missingToolMessage, requireBinary } from '../support/tools.js';

const run = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CI = process.env.CI === 'true';

const registryInstalled = requireBinary('docker-registry') !== undefined;
const opensslInstalled = requireBinary('openssl') !== undefined;
const skopeo = requireBinary('skopeo');
// Outside CI a missing program skips what needs it; in CI the same tests run and fail.
const skipAll = !CI && (!registryInstalled || !opensslInstalled);
const skipReason = missingToolMessage(registryInstalled ? 'openssl' : 'docker-registry');
const skipSkopeo = !CI && !skopeo;

const ADMIN = { username: 'admin', password: 'Adm1n-pa55word-of-the-test' };
const READER = { username: 'reader', password: 'Reader-pa55word-of-the-test' };
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = { id: '11111111-2222-3333-4444-555555555555', secret: 'Cl1ent-secret-of-the-test' };
const TIME_FORMAT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/;
const ACR_SCOPE = 'https://containerregistry.azure.net/.default';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function single(answer: Answer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function json<T = Record<string, unknown>>(answer: Answer): T {
  return JSON.parse(answer.text) as T;
}

function form(fields: Array<[string, string]>): string {
  return new URLSearchParams(fields).toString();
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

interface TagJson {
  name: string;
  digest: string;
  createdTime: string;
  lastUpdateTime: string;
  signed: boolean;
  changeableAttributes: Record<string, boolean>;
}

interface ManifestJson {
  digest: string;
  imageSize: number;
  createdTime: string;
  lastUpdateTime: string;
  architecture?: string;
  os?: string;
  mediaType: string;
  configMediaType?: string;
  tags?: string[];
  changeableAttributes: Record<string, boolean>;
  references?: Array<{ digest: string; architecture: string; os: string }>;
}

describe.skipIf(skipAll)(`ACR test server over a real distribution registry${skipAll ? ` (skipped: ${skipReason})` : ''}`, () => {
  let ca: TestCa;
  let registry: RunningRegistry;
  let entra: EntraServer;
  let acr: AcrServer;
  let agent: Agent;
  let previousDispatcher: Dispatcher;
  const pushed: Record<string, PushedManifest> = {};

  async function call(
    method: string,
    target: string,
    options: { token?: string; basic?: { username: string; password: string }; body?: string; headers?: Record<string, string>; server?: AcrServer } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.basic) headers.authorization = `Basic ${Buffer.from(`${options.basic.username}:${options.basic.password}`).toString('base64')}`;
    const url = /^https?:/.test(target) ? target : `${(options.server ?? acr).url}${target}`;
    const response = await request(url, { method: method as Dispatcher.HttpMethod, headers, body: options.body, dispatcher: agent });
    return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
  }

  async function upstream(method: string, target: string, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await request(`${registry.url}${target}`, { method: method as Dispatcher.HttpMethod, headers });
    return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
  }

  async function passwordToken(scopes: string[], user = ADMIN, server = acr): Promise<string> {
    const fields: Array<[string, string]> = [['grant_type', 'password'], ['service', server.loginServer], ['username', user.username], ['password', user.password]];
    for (const scope of scopes) fields.push(['scope', scope]);
    const answer = await call('POST', '/oauth2/token', { body: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' }, server });
    expect(answer.status, answer.text).toBe(200);
    return json<{ access_token: string }>(answer).access_token;
  }

  const everything = (repo: string) => `repository:${repo}:pull,push,delete,metadata_read,metadata_write`;

  beforeAll(async () => {
    ca = await createTestCa();
    registry = await startRegistry({ deleteEnabled: true });
    entra = await startEntraServer({
      tenantId: TENANT,
      clients: { [CLIENT.id]: CLIENT.secret },
      tls: { cert: ca.serverCert, key: ca.serverKey },
      publicCloudTls: await issueServerCertificate(ca, ['login.microsoftonline.com']),
    });
    acr = await startAcrServer({
      upstream: registry.url,
      tls: { cert: ca.serverCert, key: ca.serverKey },
      users: { [ADMIN.username]: ADMIN.password, [READER.username]: READER.password },
      scopeMaps: { [READER.username]: ['repository:*:pull,metadata_read'] },
      entra: entra.trust,
      anonymousPull: true,
    });
    agent = new Agent({ connect: { ca: ca.caCert } });

    // seed.ts talks through undici's global dispatcher: for the seeding it trusts the test CA and sends
    // a push token, so every image reaches the registry through the ACR server.
    const repos = ['hello', 'team-a/web', 'locks', 'doomed', 'untag-me'];
    const pushToken = await passwordToken([repos.map(everything).join(' ')]);
    previousDispatcher = getGlobalDispatcher();
    setGlobalDispatcher(
      new Agent({ connect: { ca: ca.caCert } }).compose((dispatch) => (options, handler) => {
        if (!options.origin || new URL(String(options.origin)).origin !== acr.url) return dispatch(options, handler);
        const headers = { ...(options.headers as Record<string, string> | undefined), authorization: `Bearer ${pushToken}` };
        return dispatch({ ...options, headers }, handler);
      }),
    );
    pushed.a = await pushImage(acr.url, 'hello', { tags: ['v1', 'latest', 'stable'], created: '2024-01-10T10:00:00Z' });
    pushed.b = await pushImage(acr.url, 'hello', { tags: ['v2'], created: '2024-03-05T08:30:00Z' });
    pushed.c = await pushImage(acr.url, 'hello', { tags: [], byDigest: true, architecture: 'arm64', created: '2024-02-14T12:00:00Z' });
    pushed.d = await pushImage(acr.url, 'team-a/web', { tags: ['1.0'], created: '2024-04-01T09:00:00Z' });
    pushed.e = await pushImage(acr.url, 'team-a/web', { tags: ['1.1', 'edge'], architecture: 'arm64', created: '2024-04-15T09:00:00Z' });
    pushed.index = await pushIndex(acr.url, 'team-a/web', ['multi'], [pushed.d, pushed.e]);
    pushed.locked = await pushImage(acr.url, 'locks', { tags: ['locked', 'free', 'hidden', 'unreadable'] });
    pushed.other = await pushImage(acr.url, 'locks', { tags: [], byDigest: true, layerText: 'another image\n' });
    pushed.x = await pushImage(acr.url, 'doomed', { tags: ['a', 'b'] });
    pushed.y = await pushImage(acr.url, 'doomed', { tags: [], byDigest: true, architecture: 'arm64' });
    pushed.u = await pushImage(acr.url, 'untag-me', { tags: ['keep1', 'drop', 'keep2'] });
    setGlobalDispatcher(previousDispatcher);
    // Pushed straight into the registry: the server has to discover it.
    pushed.direct = await pushImage(registry.url, 'direct', { tags: ['seeded'], created: '2023-05-06T07:08:09.123456789Z' });
  });

  afterAll(async () => {
    if (previousDispatcher) setGlobalDispatcher(previousDispatcher);
    await acr?.stop();
    await entra?.stop();
    await registry?.stop();
    await agent?.close();
    await ca?.cleanup();
  });

  const digestOf = (name: string): string => {
    const manifest = pushed[name];
    if (!manifest) throw new Error(`${name} was not pushed`);
    return manifest.descriptor.digest;
  };

  describe('challenges', () => {
    test('GET /v2/ without credentials: 401 with a scope-less challenge and detail null', async () => {
      const answer = await call('GET', '/v2/');
      expect(answer.status).toBe(401);
      expect(single(answer, 'www-authenticate')).toBe(`Bearer realm="https://${acr.host}/oauth2/token",service="${acr.host}"`);
      expect(json(answer)).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: UNAUTHORIZED_MESSAGE, detail: null }] });
    });

    test('metadata without credentials: the scope in the challenge and one detail entry', async () => {
      const answer = await call('GET', '/acr/v1/hello/_tags');
      expect(answer.status).toBe(401);
      expect(single(answer, 'www-authenticate')).toBe(
        `Bearer realm="https://${acr.host}/oauth2/token",service="${acr.host}",scope="repository:hello:metadata_read"`,
      );
      expect(json(answer)).toEqual({
        errors: [{ code: 'UNAUTHORIZED', message: UNAUTHORIZED_MESSAGE, detail: [{ Type: 'repository', Name: 'hello', Action: 'metadata_read' }] }],
      });
    });

    test.each([
      ['GET', '/v2/_catalog', 'registry:catalog:*'],
      ['GET', '/acr/v1/_catalog', 'registry:catalog:*'],
      ['HEAD', '/v2/hello/manifests/v1', 'repository:hello:pull'],
      ['POST', '/v2/hello/blobs/uploads/', 'repository:hello:push'],
      ['DELETE', `/v2/hello/manifests/sha256:${'0'.repeat(64)}`, 'repository:hello:delete'],
      ['PATCH', '/acr/v1/hello/_tags/v1', 'repository:hello:metadata_write'],
      ['DELETE', '/acr/v1/hello', 'repository:hello:delete'],
      ['DELETE', '/acr/v1/hello/_tags/v1', 'repository:hello:delete'],
      ['GET', '/acr/v1/team-a%2Fweb/_manifests', 'repository:team-a/web:metadata_read'],
    ])('%s %s needs %s', async (method, target, scope) => {
      const answer = await call(method, target);
      expect(answer.status).toBe(401);
      expect(single(answer, 'www-authenticate')).toContain(`,scope="${scope}"`);
    });

    test('a token without the scope: insufficient_scope, e.g. a pull token for metadata_write', async () => {
      const token = await passwordToken(['repository:hello:pull']);
      expect((await call('GET', '/v2/hello/tags/list', { token })).status).toBe(200);
      const answer = await call('PATCH', '/acr/v1/hello', { token, body: '{"listEnabled":true}', headers: { 'content-type': 'application/json' } });
      expect(answer.status).toBe(401);
      expect(single(answer, 'www-authenticate')).toBe(
        `Bearer realm="https://${acr.host}/oauth2/token",service="${acr.host}",scope="repository:hello:metadata_write",error="insufficient_scope"`,
      );
      expect(json(answer)).toEqual({
        errors: [{ code: 'UNAUTHORIZED', message: UNAUTHORIZED_MESSAGE, detail: [{ Type: 'repository', Name: 'hello', Action: 'metadata_write' }] }],
      });
      const recorded = acr.requests.findLast((entry) => entry.method === 'PATCH' && entry.path === '/acr/v1/hello');
      expect(recorded).toMatchObject({ auth: 'bearer', grantedScopes: ['repository:hello:pull'], requiredScope: 'repository:hello:metadata_write', status: 401 });
    });

    test('a token for one repository does not open another', async () => {
      const token = await passwordToken(['repository:hello:pull']);
      const answer = await call('GET', '/v2/team-a/web/tags/list', { token });
      expect(answer.status).toBe(401);
      expect(single(answer, 'www-authenticate')).toContain('scope="repository:team-a/web:pull",error="insufficient_scope"');
    });

    test('Basic with a configured user opens /v2/; a wrong password gets the challenge', async () => {
      expect((await call('GET', '/v2/hello/tags/list', { basic: ADMIN })).status).toBe(200);
      const wrong = await call('GET', '/v2/hello/tags/list', { basic: { username: ADMIN.username, password: 'nope' } });
      expect(wrong.status).toBe(401);
      expect(single(wrong, 'www-authenticate')).toContain('scope="repository:hello:pull"');
    });
  });

  describe('token service', () => {
    test('POST /oauth2/token grants what was asked, scopes repeated or space-separated, for an hour', async () => {
      const token = await passwordToken(['repository:hello:pull repository:team-a/web:pull,metadata_read', 'registry:catalog:*']);
      const claims = claimsOf(token);
      expect(claims.access).toEqual([
        { type: 'repository', name: 'hello', actions: ['pull'] },
        { type: 'repository', name: 'team-a/web', actions: ['pull', 'metadata_read'] },
        { type: 'registry', name: 'catalog', actions: ['*'] },
      ]);
      expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
      expect(claims.aud).toBe(acr.host);
      expect((await call('GET', '/acr/v1/team-a/web/_tags', { token })).status).toBe(200);
    });

    test('a scope map limits what a user gets; the rest is left out, not refused', async () => {
      const token = await passwordToken([everything('hello')], READER);
      expect(claimsOf(token).access).toEqual([{ type: 'repository', name: 'hello', actions: ['pull', 'metadata_read'] }]);
      expect((await call('DELETE', '/acr/v1/hello/_tags/v1', { token })).status).toBe(401);
    });

    test('GET /oauth2/token with Basic, as docker and skopeo ask', async () => {
      const answer = await call('GET', `/oauth2/token?service=${encodeURIComponent(acr.host)}&scope=repository%3Ahello%3Apull`, { basic: ADMIN });
      expect(answer.status).toBe(200);
      const { access_token: token } = json<{ access_token: string }>(answer);
      expect((await call('GET', '/v2/hello/manifests/v1', { token, headers: { accept: MediaType.ociManifest } })).status).toBe(200);
      expect((await call('GET', `/oauth2/token?service=${encodeURIComponent(acr.host)}&scope=repository%3Ahello%3Apull`, { basic: READER })).status).toBe(200);
      expect((await call('GET', `/oauth2/token?service=${encodeURIComponent(acr.host)}`, { basic: { ...ADMIN, password: 'x' } })).status).toBe(401);
    });

    test('wrong passwords and unknown service are refused', async () => {
      const bad = await call('POST', '/oauth2/token', {
        body: form([['grant_type', 'password'], ['service', acr.host], ['username', ADMIN.username], ['password', 'wrong'], ['scope', 'repository:hello:pull']]),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(bad.status).toBe(401);
      const elsewhere = await call('POST', '/oauth2/token', {
        body: form([['grant_type', 'password'], ['service', 'other.azurecr.io'], ['username', ADMIN.username], ['password', ADMIN.password]]),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(elsewhere.status).toBe(400);
    });

    test('anonymous password grant with an empty refresh_token: a pull-only token', async () => {
      const answer = await call('POST', '/oauth2/token', {
        body: form([['service', acr.host], ['scope', 'repository:hello:metadata_write'], ['scope', 'repository:hello:pull'], ['refresh_token', ''], ['grant_type', 'password']]),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(answer.status).toBe(200);
      const { access_token: token } = json<{ access_token: string }>(answer);
      expect(claimsOf(token).access).toEqual([{ type: 'repository', name: 'hello', actions: ['pull'] }]);
      expect((await call('HEAD', '/v2/hello/manifests/v1', { token, headers: { accept: MediaType.ociManifest } })).status).toBe(200);
      const write = await call('PATCH', '/acr/v1/hello', { token, body: '{}' });
      expect(write.status).toBe(401);
      expect(single(write, 'www-authenticate')).toContain('error="insufficient_scope"');
    });

    test('without anonymous pull, anonymous token requests are refused; tokens expire; servers do not share tokens', async () => {
      const strict = await startAcrServer({
        upstream: registry.url,
        tls: { cert: ca.serverCert, key: ca.serverKey },
        users: { [ADMIN.username]: ADMIN.password },
        // Two seconds: exp is in whole seconds, so a one-second token may have only milliseconds left.
        accessTokenLifetimeSeconds: 2,
      });
      try {
        const anonymous = await call('POST', '/oauth2/token', {
          server: strict,
          body: form([['service', strict.host], ['scope', 'repository:hello:pull'], ['refresh_token', ''], ['grant_type', 'password']]),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        expect(anonymous.status).toBe(401);
        expect((await call('GET', `/oauth2/token?service=${encodeURIComponent(strict.host)}&scope=repository%3Ahello%3Apull`, { server: strict })).status).toBe(401);

        const token = await passwordToken(['repository:hello:pull'], ADMIN, strict);
        expect(Number(claimsOf(token).exp) - Number(claimsOf(token).iat)).toBe(2);
        expect((await call('GET', '/v2/hello/tags/list', { token, server: strict })).status).toBe(200);
        expect((await call('GET', '/v2/hello/tags/list', { token })).status).toBe(401);
        await new Promise((resolve) => setTimeout(resolve, 3_100));
        const expired = await call('GET', '/v2/hello/tags/list', { token, server: strict });
        expect(expired.status).toBe(401);
        expect(single(expired, 'www-authenticate')).not.toContain('insufficient_scope');
      } finally {
        await strict.stop();
      }
    });
  });

  describe('Entra ID token exchange with the real @azure/identity', () => {
    async function defaultAzureCredentialToken(credentialOptions: object): Promise<{ token: string; expiresOnTimestamp: number }> {
      const script = [
        "const { DefaultAzureCredential } = await import('@azure/identity');",
        'const options = JSON.parse(process.env.ACRX_TEST_CREDENTIAL_OPTIONS);',
        `const token = await new DefaultAzureCredential(options).getToken(${JSON.stringify(ACR_SCOPE)});`,
        'process.stdout.write(JSON.stringify(token));',
      ].join('\n');
      // Node reads NODE_EXTRA_CA_CERTS only at start-up, hence the child; every request it makes to
      // another host goes to the fixture's proxy, which answers only login.microsoftonline.com.
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: os.tmpdir(),
        NODE_EXTRA_CA_CERTS: ca.caCertPath,
        AZURE_AUTHORITY_HOST: entra.authorityHost,
        AZURE_TENANT_ID: TENANT,
        AZURE_CLIENT_ID: CLIENT.id,
        AZURE_CLIENT_SECRET: CLIENT.secret,
        HTTPS_PROXY: entra.proxyUrl,
        HTTP_PROXY: entra.proxyUrl,
        NO_PROXY: '127.0.0.1,localhost',
        ACRX_TEST_CREDENTIAL_OPTIONS: JSON.stringify(credentialOptions),
      };
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      clearTimeout(timer);
      if (code !== 0) throw new Error(`DefaultAzureCredential failed (${code}): ${stderr}${stdout}`);
      return JSON.parse(stdout) as { token: string; expiresOnTimestamp: number };
    }

    async function exchange(accessToken: string, tenant?: string): Promise<Answer> {
      const fields: Array<[string, string]> = [['grant_type', 'access_token'], ['service', acr.host]];
      if (tenant) fields.push(['tenant', tenant]);
      fields.push(['access_token', accessToken]);
      return call('POST', '/oauth2/exchange?api-version=2021-07-01', { body: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    }

    test('with instance discovery disabled: openid-configuration, then the token endpoint', async () => {
      entra.requests.length = 0;
      entra.proxyAttempts.length = 0;
      const { token } = await defaultAzureCredentialToken({ disableInstanceDiscovery: true });
      expect(entra.requests.map(({ host, method, path: requestPath }) => `${host} ${method} ${requestPath}`)).toEqual([
        `${entra.host} GET /${TENANT}/v2.0/.well-known/openid-configuration`,
        `${entra.host} POST /${TENANT}/oauth2/v2.0/token`,
      ]);
      expect(entra.requests[1]?.form).toMatchObject({ grant_type: 'client_credentials', client_id: CLIENT.id, scope: ACR_SCOPE, client_secret: '[redacted]' });
      expect(entra.proxyAttempts).toEqual([]);
      expect(claimsOf(token)).toMatchObject({ aud: 'https://containerregistry.azure.net', tid: TENANT, appid: CLIENT.id, iss: `https://sts.windows.net/${TENANT}/` });
      expect(entra.issuedTokens().map((issued) => issued.accessToken)).toContain(token);
    });

    test('with AZURE_AUTHORITY_HOST alone MSAL first asks login.microsoftonline.com for instance discovery', async () => {
      entra.requests.length = 0;
      entra.proxyAttempts.length = 0;
      const { token } = await defaultAzureCredentialToken({});
      expect(entra.proxyAttempts).toEqual([{ target: 'login.microsoftonline.com:443', intercepted: true }]);
      expect(entra.requests.map(({ host, method, path: requestPath }) => `${host} ${method} ${requestPath}`)).toEqual([
        'login.microsoftonline.com GET /common/discovery/instance',
        `${entra.host} GET /${TENANT}/v2.0/.well-known/openid-configuration`,
        `${entra.host} POST /${TENANT}/oauth2/v2.0/token`,
      ]);
      expect(entra.requests[0]?.query).toEqual({ 'api-version': '1.1', authorization_endpoint: `${entra.authorityHost}/${TENANT}/oauth2/v2.0/authorize` });

      const exchanged = await exchange(token, TENANT);
      expect(exchanged.status, exchanged.text).toBe(200);
      const { refresh_token: refreshToken } = json<{ refresh_token: string }>(exchanged);
      expect(claimsOf(refreshToken)).toMatchObject({ iss: 'Azure Container Registry', aud: acr.host, grant_type: 'refresh_token', tenant: TENANT });

      const answer = await call('POST', '/oauth2/token', {
        body: form([['grant_type', 'refresh_token'], ['service', acr.host], ['scope', 'registry:catalog:*'], ['refresh_token', refreshToken]]),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(answer.status).toBe(200);
      const catalog = await call('GET', '/acr/v1/_catalog', { token: json<{ access_token: string }>(answer).access_token });
      expect(catalog.status).toBe(200);
      expect(json<{ repositories: string[] }>(catalog).repositories).toContain('hello');

      // docker's way with an identity token: username 00000000-…, the refresh token as password.
      const basic = await call('GET', `/oauth2/token?service=${encodeURIComponent(acr.host)}&scope=repository%3Ahello%3Apull`, {
        basic: { username: '00000000-0000-0000-0000-000000000000', password: refreshToken },
      });
      expect(basic.status).toBe(200);
      // A refresh token is not an access token.
      expect((await call('GET', '/v2/', { token: refreshToken })).status).toBe(401);

      const recorded = JSON.stringify([...acr.requests, ...entra.requests]);
      for (const secret of [token, refreshToken, CLIENT.secret]) expect(recorded).not.toContain(secret);
    });

    test('exchange refuses tokens that are not the Entra fixture\'s, for another audience, expired, or another tenant', async () => {
      const good = entra.mintToken({ clientId: CLIENT.id });
      expect((await exchange(good)).status).toBe(200);
      const [header, payload, signature] = good.split('.') as [string, string, string];
      const tampered = `${header}.${payload}.${signature.slice(0, -4)}${signature.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
      const forgedPayload = Buffer.from(JSON.stringify({ ...claimsOf(good), appid: 'someone-else' })).toString('base64url');
      const stranger = await startEntraServer({ tenantId: TENANT, clients: { [CLIENT.id]: CLIENT.secret }, tls: { cert: ca.serverCert, key: ca.serverKey } });
      try {
        const refused = [
          tampered,
          `${header}.${forgedPayload}.${signature}`,
          stranger.mintToken({ clientId: CLIENT.id }),
          entra.mintToken({ clientId: CLIENT.id, audience: 'https://storage.azure.com' }),
          entra.mintToken({ clientId: CLIENT.id, ageSeconds: 7200, lifetimeSeconds: 3600 }),
          'not-a-jwt',
        ];
        for (const token of refused) {
          const answer = await exchange(token);
          expect(answer.status).toBe(401);
          expect(json(answer)).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: UNAUTHORIZED_MESSAGE }] });
        }
        expect((await exchange(good, 'another-tenant')).status).toBe(401);
        // An ARM-audience token is accepted, as ACR does while authentication-as-arm is enabled.
        expect((await exchange(entra.mintToken({ clientId: CLIENT.id, audience: 'https://management.azure.com' }))).status).toBe(200);
      } finally {
        await stranger.stop();
      }
    });

    test('in-process, @azure/identity takes the test CA as tlsOptions.ca', async () => {
      const { ClientSecretCredential } = await import('@azure/identity');
      const credential = new ClientSecretCredential(TENANT, CLIENT.id, CLIENT.secret, {
        authorityHost: entra.authorityHost,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: ca.caCert },
      });
      const { token } = await credential.getToken(ACR_SCOPE);
      expect((await exchange(token, TENANT)).status).toBe(200);
    });

    test('the token endpoint refuses a wrong client secret the way Entra does', async () => {
      const answer = await call('POST', `${entra.authorityHost}/${TENANT}/oauth2/v2.0/token`, {
        body: form([['grant_type', 'client_credentials'], ['client_id', CLIENT.id], ['client_secret', 'wrong'], ['scope', ACR_SCOPE]]),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(answer.status).toBe(401);
      expect(json(answer)).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    });
  });

  describe('/v2 through the server', () => {
    test('uploads answer with ACR-style relative Location, Range and Docker-Upload-UUID', async () => {
      const token = await passwordToken(['repository:hello:push']);
      const answer = await call('POST', '/v2/hello/blobs/uploads/', { token });
      expect(answer.status).toBe(202);
      expect(single(answer, 'location')).toMatch(/^\/v2\/hello\/blobs\/uploads\/[0-9a-f-]+\?/);
      expect(single(answer, 'range')).toBe('0-0');
      expect(single(answer, 'docker-upload-uuid')).toMatch(/^[0-9a-f-]{36}$/);
      expect((await call('DELETE', single(answer, 'location') ?? '', { token })).status).toBe(204);
    });

    test('manifests come back byte for byte with their digest', async () => {
      const token = await passwordToken(['repository:team-a/web:pull']);
      const answer = await call('GET', '/v2/team-a/web/manifests/multi', { token, headers: { accept: MediaType.ociIndex } });
      expect(answer.status).toBe(200);
      expect(single(answer, 'docker-content-digest')).toBe(digestOf('index'));
      expect(single(answer, 'content-type')).toBe(MediaType.ociIndex);
      expect(sha256Digest(Buffer.from(answer.text))).toBe(digestOf('index'));
    });
  });

  describe('/acr/v1 listings', () => {
    let token: string;
    beforeAll(async () => {
      token = await passwordToken(['registry:catalog:*', everything('hello'), everything('team-a/web'), everything('direct')]);
    });

    test('_tags pages by name with the recorded Link form', async () => {
      const first = await call('GET', '/acr/v1/hello/_tags?n=2', { token });
      expect(first.status).toBe(200);
      const body = json<{ registry: string; imageName: string; tags: TagJson[] }>(first);
      expect(body.registry).toBe(acr.host);
      expect(body.imageName).toBe('hello');
      expect(body.tags.map((tag) => tag.name)).toEqual(['latest', 'stable']);
      expect(single(first, 'link')).toBe('</acr/v1/hello/_tags?last=stable&n=2&orderby=>; rel="next"');
      const tag = body.tags[0];
      expect(tag).toEqual({
        name: 'latest',
        digest: digestOf('a'),
        createdTime: expect.stringMatching(TIME_FORMAT),
        lastUpdateTime: expect.stringMatching(TIME_FORMAT),
        signed: false,
        changeableAttributes: { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true },
      });
      expect(Object.keys(tag ?? {})).toEqual(['name', 'digest', 'createdTime', 'lastUpdateTime', 'signed', 'changeableAttributes']);

      const link = /^<([^>]+)>/.exec(single(first, 'link') ?? '')?.[1] ?? '';
      const second = await call('GET', link, { token });
      expect(json<{ tags: TagJson[] }>(second).tags.map((item) => item.name)).toEqual(['v1', 'v2']);
      expect(second.headers.link).toBeUndefined();
    });

    test('_tags orderby sorts by lastUpdateTime, and the Link carries it', async () => {
      const descending = await call('GET', '/acr/v1/hello/_tags?n=2&orderby=timedesc', { token });
      expect(json<{ tags: TagJson[] }>(descending).tags.map((tag) => tag.name)).toEqual(['v2', 'stable']);
      expect(single(descending, 'link')).toBe('</acr/v1/hello/_tags?last=stable&n=2&orderby=timedesc>; rel="next"');
      const rest = await call('GET', '/acr/v1/hello/_tags?last=stable&n=2&orderby=timedesc', { token });
      expect(json<{ tags: TagJson[] }>(rest).tags.map((tag) => tag.name)).toEqual(['latest', 'v1']);
      const ascending = await call('GET', '/acr/v1/hello/_tags?orderby=timeasc', { token });
      const tags = json<{ tags: TagJson[] }>(ascending).tags;
      expect(tags.map((tag) => tag.name)).toEqual(['v1', 'latest', 'stable', 'v2']);
      const times = tags.map((tag) => tag.lastUpdateTime);
      expect([...times].sort()).toEqual(times);
      expect(new Set(times).size).toBe(times.length);
    });

    test('_tags digest filter; n above 1000 is clamped; a bad n is refused', async () => {
      const filtered = await call('GET', `/acr/v1/hello/_tags?digest=${encodeURIComponent(digestOf('b'))}`, { token });
      expect(json<{ tags: TagJson[] }>(filtered).tags.map((tag) => tag.name)).toEqual(['v2']);
      expect(json<{ tags: TagJson[] }>(await call('GET', '/acr/v1/hello/_tags?n=5000', { token })).tags).toHaveLength(4);
      expect((await call('GET', '/acr/v1/hello/_tags?n=0', { token })).status).toBe(400);
    });

    test('_manifests lists every manifest, the untagged one without a tags key', async () => {
      const answer = await call('GET', '/acr/v1/hello/_manifests', { token });
      expect(answer.status).toBe(200);
      const { manifests } = json<{ manifests: ManifestJson[] }>(answer);
      expect(manifests.map((manifest) => manifest.digest)).toEqual([digestOf('a'), digestOf('b'), digestOf('c')].sort());
      const untagged = manifests.find((manifest) => manifest.digest === digestOf('c'));
      expect(untagged).toEqual({
        digest: digestOf('c'),
        imageSize: expect.any(Number),
        createdTime: expect.stringMatching(TIME_FORMAT),
        lastUpdateTime: expect.stringMatching(TIME_FORMAT),
        architecture: 'arm64',
        os: 'linux',
        mediaType: MediaType.ociManifest,
        configMediaType: MediaType.ociConfig,
        changeableAttributes: { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true },
      });
      expect(untagged && 'tags' in untagged).toBe(false);
      const tagged = manifests.find((manifest) => manifest.digest === digestOf('a'));
      expect(tagged?.tags).toEqual(['latest', 'stable', 'v1']);
      expect(tagged?.imageSize).toBeGreaterThan(pushed.a?.bytes.length ?? 0);

      const ascending = await call('GET', '/acr/v1/hello/_manifests?orderby=timeasc', { token });
      expect(json<{ manifests: ManifestJson[] }>(ascending).manifests.map((manifest) => manifest.digest)).toEqual([digestOf('a'), digestOf('b'), digestOf('c')]);

      const paged = await call('GET', '/acr/v1/hello/_manifests?n=1', { token });
      const firstDigest = json<{ manifests: ManifestJson[] }>(paged).manifests[0]?.digest ?? '';
      expect(single(paged, 'link')).toBe(`</acr/v1/hello/_manifests?last=${firstDigest.replace(':', '%3A')}&n=1&orderby=>; rel="next"`);
    });

    test('an index lists its references and its children appear as untagged manifests', async () => {
      const answer = await call('GET', `/acr/v1/team-a/web/_manifests/${digestOf('index')}`, { token });
      expect(answer.status).toBe(200);
      const { manifest } = json<{ manifest: ManifestJson }>(answer);
      expect(manifest.mediaType).toBe(MediaType.ociIndex);
      expect(manifest.tags).toEqual(['multi']);
      expect(manifest.architecture).toBeUndefined();
      expect(manifest.references).toEqual([
        { digest: digestOf('d'), architecture: 'amd64', os: 'linux' },
        { digest: digestOf('e'), architecture: 'arm64', os: 'linux' },
      ]);
    });

    test('repository attributes count manifests and tags', async () => {
      const answer = await call('GET', '/acr/v1/hello', { token });
      expect(json(answer)).toEqual({
        registry: acr.host,
        imageName: 'hello',
        createdTime: expect.stringMatching(TIME_FORMAT),
        lastUpdateTime: expect.stringMatching(TIME_FORMAT),
        manifestCount: 3,
        tagCount: 4,
        changeableAttributes: { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true, teleportEnabled: false },
      });
    });

    test('names with slashes work raw and %2F-encoded, and Links encode them', async () => {
      for (const [raw, encoded] of [
        ['/acr/v1/team-a/web/_tags', '/acr/v1/team-a%2Fweb/_tags'],
        ['/acr/v1/team-a/web', '/acr/v1/team-a%2Fweb'],
        ['/acr/v1/team-a/web/_tags/edge', '/acr/v1/team-a%2Fweb/_tags/edge'],
        [`/acr/v1/team-a/web/_manifests/${digestOf('d')}`, `/acr/v1/team-a%2Fweb/_manifests/${digestOf('d')}`],
      ] as const) {
        const plain = await call('GET', raw, { token });
        expect(plain.status, raw).toBe(200);
        expect(json(await call('GET', encoded, { token }))).toEqual(json(plain));
      }
      const paged = await call('GET', '/acr/v1/team-a/web/_tags?n=3', { token });
      expect(json<{ imageName: string; tags: TagJson[] }>(paged).imageName).toBe('team-a/web');
      expect(single(paged, 'link')).toBe('</acr/v1/team-a%2Fweb/_tags?last=edge&n=3&orderby=>; rel="next"');
    });

    test('_catalog pages with a Link', async () => {
      const first = await call('GET', '/acr/v1/_catalog?n=2', { token });
      expect(json(first)).toEqual({ repositories: ['direct', 'doomed'] });
      expect(single(first, 'link')).toBe('</acr/v1/_catalog?last=doomed&n=2&orderby=>; rel="next"');
    });

    test('data seeded straight into the registry is discovered, created at its config time', async () => {
      const answer = await call('GET', '/acr/v1/direct/_tags/seeded', { token });
      expect(answer.status).toBe(200);
      expect(json<{ tag: TagJson }>(answer).tag).toMatchObject({
        name: 'seeded',
        digest: digestOf('direct'),
        createdTime: '2023-05-06T07:08:09.1234567Z',
        lastUpdateTime: '2023-05-06T07:08:09.1234567Z',
      });
    });

    test('unknown repositories and tags: NAME_UNKNOWN and TAG_UNKNOWN', async () => {
      const missingToken = await passwordToken([everything('nope')]);
      const repo = await call('GET', '/acr/v1/nope/_tags', { token: missingToken });
      expect(repo.status).toBe(404);
      expect(json(repo)).toEqual({ errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry', detail: { name: 'nope' } }] });
      const tag = await call('GET', '/acr/v1/hello/_tags/nope', { token });
      expect(tag.status).toBe(404);
      expect(json(tag)).toEqual({ errors: [{ code: 'TAG_UNKNOWN', message: 'the specified tag does not exist' }] });
    });
  });

  describe('changeable attributes', () => {
    let token: string;
    const jsonHeaders = { 'content-type': 'application/json' };
    const patch = (target: string, body: object) => call('PATCH', target, { token, body: JSON.stringify(body), headers: jsonHeaders });
    const putManifest = (tag: string, manifest: PushedManifest) =>
      call('PUT', `/v2/locks/manifests/${tag}`, { token, body: Buffer.from(manifest.bytes).toString('utf8'), headers: { 'content-type': manifest.descriptor.mediaType } });
    const disallowedBody = { errors: [{ code: DISALLOWED_CODE, message: DISALLOWED_MESSAGE, detail: {} }] };

    beforeAll(async () => {
      token = await passwordToken([everything('locks')]);
    });

    test('PATCH answers the whole updated tag; a non-boolean is refused', async () => {
      const before = json<{ tag: TagJson }>(await call('GET', '/acr/v1/locks/_tags/locked', { token })).tag;
      const answer = await patch('/acr/v1/locks/_tags/locked', { writeEnabled: false });
      expect(answer.status).toBe(200);
      const { tag } = json<{ registry: string; imageName: string; tag: TagJson }>(answer);
      expect(tag.changeableAttributes).toEqual({ deleteEnabled: true, writeEnabled: false, readEnabled: true, listEnabled: true });
      expect(tag.createdTime).toBe(before.createdTime);
      expect(tag.lastUpdateTime > before.lastUpdateTime).toBe(true);
      expect(await acr.attributes.get({ repository: 'locks', tag: 'locked' })).toEqual(tag.changeableAttributes);
      expect((await patch('/acr/v1/locks/_tags/locked', { deleteEnabled: 'no' })).status).toBe(400);
    });

    test('a write-locked tag refuses a manifest PUT with ACR\'s error; other tags of the digest do not', async () => {
      const other = pushed.other as PushedManifest;
      const refused = await putManifest('locked', other);
      expect(refused.status).toBe(405);
      expect(json(refused)).toEqual(disallowedBody);
      expect(single(await upstream('HEAD', '/v2/locks/manifests/locked', { accept: MediaType.ociManifest }), 'docker-content-digest')).toBe(digestOf('locked'));
      expect((await putManifest('free', other)).status).toBe(201);
      expect((await putManifest('free', pushed.locked as PushedManifest)).status).toBe(201);
    });

    test('a write lock on a tag also blocks deleting its manifest and untagging it', async () => {
      const deleted = await call('DELETE', `/v2/locks/manifests/${digestOf('locked')}`, { token });
      expect(deleted.status).toBe(405);
      expect(json(deleted)).toEqual(disallowedBody);
      expect((await call('DELETE', '/acr/v1/locks/_tags/locked', { token })).status).toBe(405);
      expect((await upstream('HEAD', `/v2/locks/manifests/${digestOf('locked')}`, { accept: MediaType.ociManifest })).status).toBe(200);
    });

    test('deleteEnabled=false on the manifest blocks its deletion until lifted', async () => {
      expect((await patch('/acr/v1/locks/_tags/locked', { writeEnabled: true })).status).toBe(200);
      const manifest = await patch(`/acr/v1/locks/_manifests/${digestOf('other')}`, { deleteEnabled: false });
      expect(json<{ manifest: ManifestJson }>(manifest).manifest.changeableAttributes).toEqual({
        deleteEnabled: false,
        writeEnabled: true,
        readEnabled: true,
        listEnabled: true,
      });
      const refused = await call('DELETE', `/v2/locks/manifests/${digestOf('other')}`, { token });
      expect(refused.status).toBe(405);
      expect(json(refused)).toEqual(disallowedBody);
      expect((await patch(`/acr/v1/locks/_manifests/${digestOf('other')}`, { deleteEnabled: true })).status).toBe(200);
      expect((await call('DELETE', `/v2/locks/manifests/${digestOf('other')}`, { token })).status).toBe(202);
      const listed = json<{ manifests: ManifestJson[] }>(await call('GET', '/acr/v1/locks/_manifests', { token })).manifests;
      expect(listed.map((item) => item.digest)).toEqual([digestOf('locked')]);
    });

    test('listEnabled=false hides a tag from _tags and tags/list, not from a direct GET', async () => {
      await patch('/acr/v1/locks/_tags/hidden', { listEnabled: false });
      const listed = json<{ tags: TagJson[] }>(await call('GET', '/acr/v1/locks/_tags', { token })).tags.map((tag) => tag.name);
      expect(listed).not.toContain('hidden');
      const v2 = json<{ tags: string[] }>(await call('GET', '/v2/locks/tags/list', { token }));
      expect(v2.tags).not.toContain('hidden');
      expect(v2.tags).toContain('locked');
      expect((await call('GET', '/acr/v1/locks/_tags/hidden', { token })).status).toBe(200);
    });

    test('readEnabled=false refuses pulling that tag', async () => {
      await patch('/acr/v1/locks/_tags/unreadable', { readEnabled: false });
      const refused = await call('GET', '/v2/locks/manifests/unreadable', { token, headers: { accept: MediaType.ociManifest } });
      expect(refused.status).toBe(405);
      expect(json(refused)).toEqual(disallowedBody);
      expect((await call('GET', '/v2/locks/manifests/locked', { token, headers: { accept: MediaType.ociManifest } })).status).toBe(200);
    });

    test('a write-locked repository refuses pushes and its own deletion', async () => {
      const answer = await patch('/acr/v1/locks', { writeEnabled: false });
      expect(json<{ changeableAttributes: Record<string, boolean> }>(answer).changeableAttributes).toEqual({
        deleteEnabled: true,
        writeEnabled: false,
        readEnabled: true,
        listEnabled: true,
        teleportEnabled: false,
      });
      expect((await putManifest('brand-new', pushed.locked as PushedManifest)).status).toBe(405);
      expect((await call('DELETE', '/acr/v1/locks', { token })).status).toBe(405);
      await patch('/acr/v1/locks', { writeEnabled: true });
      expect((await putManifest('brand-new', pushed.locked as PushedManifest)).status).toBe(201);
    });
  });

  describe('untag and repository delete', () => {
    test('untag removes exactly one tag, in the registry too; the others keep digest and times', async () => {
      const token = await passwordToken([everything('untag-me')]);
      const digest = digestOf('u');
      const before = json<{ tags: TagJson[] }>(await call('GET', '/acr/v1/untag-me/_tags', { token })).tags;

      const answer = await call('DELETE', '/acr/v1/untag-me/_tags/drop', { token });
      expect(answer.status).toBe(202);
      expect(answer.text).toBe('');

      const gone = await call('GET', '/acr/v1/untag-me/_tags/drop', { token });
      expect(gone.status).toBe(404);
      expect(json(gone)).toEqual({ errors: [{ code: 'TAG_UNKNOWN', message: 'the specified tag does not exist' }] });
      expect((await call('DELETE', '/acr/v1/untag-me/_tags/drop', { token })).status).toBe(404);

      const after = json<{ tags: TagJson[] }>(await call('GET', '/acr/v1/untag-me/_tags', { token })).tags;
      expect(after).toEqual(before.filter((tag) => tag.name !== 'drop'));

      expect(json<{ tags: string[] }>(await upstream('GET', '/v2/untag-me/tags/list')).tags.sort()).toEqual(['keep1', 'keep2']);
      for (const tag of ['keep1', 'keep2']) {
        const manifest = await upstream('GET', `/v2/untag-me/manifests/${tag}`, { accept: MediaType.ociManifest });
        expect(single(manifest, 'docker-content-digest')).toBe(digest);
        expect(sha256Digest(Buffer.from(manifest.text))).toBe(digest);
      }
      expect((await upstream('HEAD', '/v2/untag-me/manifests/drop', { accept: MediaType.ociManifest })).status).toBe(404);
    });

    test.skipIf(skipSkopeo)('skopeo reads the untagged repository in the registry the same way', async () => {
      if (!skopeo) throw new Error(missingToolMessage('skopeo'));
      const { stdout } = await run(skopeo, ['inspect', '--raw', '--tls-verify=false', '--no-creds', `docker://${registry.host}/untag-me:keep2`], {
        encoding: 'buffer',
      });
      expect(sha256Digest(stdout)).toBe(digestOf('u'));
    });

    test('untagging the last tags leaves the manifest, untagged', async () => {
      const token = await passwordToken([everything('untag-me')]);
      expect((await call('DELETE', '/acr/v1/untag-me/_tags/keep1', { token })).status).toBe(202);
      expect((await call('DELETE', '/acr/v1/untag-me/_tags/keep2', { token })).status).toBe(202);
      const { manifests } = json<{ manifests: ManifestJson[] }>(await call('GET', '/acr/v1/untag-me/_manifests', { token }));
      expect(manifests.map((manifest) => [manifest.digest, manifest.tags])).toEqual([[digestOf('u'), undefined]]);
      expect((await upstream('HEAD', `/v2/untag-me/manifests/${digestOf('u')}`, { accept: MediaType.ociManifest })).status).toBe(200);
    });

    test('repository DELETE removes every manifest and tag, answers the lists, then NAME_UNKNOWN', async () => {
      const token = await passwordToken([everything('doomed'), 'registry:catalog:*']);
      const answer = await call('DELETE', '/acr/v1/doomed', { token });
      expect(answer.status).toBe(202);
      expect(json(answer)).toEqual({ manifestsDeleted: [digestOf('x'), digestOf('y')].sort(), tagsDeleted: ['a', 'b'] });
      for (const digest of [digestOf('x'), digestOf('y')]) {
        expect((await upstream('HEAD', `/v2/doomed/manifests/${digest}`, { accept: MediaType.ociManifest })).status).toBe(404);
      }
      expect(json<{ tags: string[] | null }>(await upstream('GET', '/v2/doomed/tags/list')).tags ?? []).toEqual([]);

      const notKnown = { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry', detail: { name: 'doomed' } }] };
      for (const [method, target] of [['GET', '/acr/v1/doomed'], ['DELETE', '/acr/v1/doomed'], ['GET', '/v2/doomed/tags/list']] as const) {
        const missing = await call(method, target, { token });
        expect(missing.status, `${method} ${target}`).toBe(404);
        expect(json(missing)).toEqual(notKnown);
      }
      expect(json<{ repositories: string[] }>(await call('GET', '/acr/v1/_catalog', { token })).repositories).not.toContain('doomed');
      expect(json<{ repositories: string[] }>(await call('GET', '/v2/_catalog', { token })).repositories).not.toContain('doomed');
    });
  });

  describe('referrers API', () => {
    const REPO = 'signed';
    const SBOM = 'application/vnd.example.sbom.v1+json';
    const SIGNATURE = 'application/vnd.example.signature.v1+json';
    const CONFIG = 'application/vnd.example.config.v1+json';
    const SBOM_ANNOTATIONS = { 'org.opencontainers.image.created': '2024-07-01T11:00:00Z', 'org.example.sbom.format': 'spdx-json' };
    const refs: Record<string, PushedManifest> = {};
    let token: string;

    const ref = (name: string): PushedManifest => {
      const manifest = refs[name];
      if (!manifest) throw new Error(`${name} was not pushed`);
      return manifest;
    };
    const subjectOf = (name: string) => {
      const { mediaType, digest, size } = ref(name).descriptor;
      return { mediaType, digest, size };
    };
    /** What the spec says the referrers API lists for a pushed manifest. */
    const listed = (name: string, artifactType: string | undefined, annotations?: Record<string, string>): Descriptor => ({
      mediaType: ref(name).descriptor.mediaType,
      digest: ref(name).descriptor.digest,
      size: ref(name).descriptor.size,
      ...(artifactType ? { artifactType } : {}),
      ...(annotations ? { annotations } : {}),
    });
    const byDigest = (descriptors: Descriptor[]) => [...descriptors].sort((a, b) => (a.digest < b.digest ? -1 : 1));
    const referrersOf = (name: string, query = '') => call('GET', `/v2/${REPO}/referrers/${ref(name).descriptor.digest}${query}`, { token });
    const manifestsOf = (answer: Answer) => json<{ manifests: Descriptor[] }>(answer).manifests;
    const linkTarget = (answer: Answer) => /^<([^>]+)>; rel="next"$/.exec(single(answer, 'link') ?? '')?.[1];

    beforeAll(async () => {
      token = await passwordToken([everything(REPO)]);
      const server = withAuth(acr.url, `Bearer ${token}`, agent);
      refs.v1 = await pushImage(server, REPO, { tags: ['v1'], created: '2024-07-01T10:00:00Z' });
      refs.v2 = await pushImage(server, REPO, { tags: ['v2'], created: '2024-07-20T10:00:00Z' });
      refs.sbom = await pushArtifact(server, REPO, { tags: [], artifactType: SBOM, content: '{"sbom":1}', subject: subjectOf('v1'), annotations: SBOM_ANNOTATIONS });
      refs.signature = await pushArtifact(server, REPO, { tags: [], artifactType: SIGNATURE, content: 'signature 1', subject: subjectOf('v1') });
      refs.sbomSignature = await pushArtifact(server, REPO, { tags: [], artifactType: SIGNATURE, content: 'signature of the SBOM', subject: subjectOf('sbom') });
      // Straight into the registry, the way oras pushes where there is no referrers API: the server knows
      // this untagged referrer only through the referrers tag index listing it.
      refs.seeded = (await pushReferrer(registry.url, REPO, { subject: subjectOf('v1'), artifactType: SIGNATURE, content: 'signature 2' })).referrer;

      // Referrers of v2 without an artifactType: an image manifest with its own config type, and an index.
      const configTyped = Buffer.from(
        JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: { ...EMPTY_DESCRIPTOR, mediaType: CONFIG }, layers: [EMPTY_DESCRIPTOR], subject: subjectOf('v2') }),
      );
      const configPush = await pushManifestBytes(server, REPO, sha256Digest(configTyped), configTyped, MediaType.ociManifest);
      refs.configTyped = { descriptor: { mediaType: MediaType.ociManifest, ...configPush }, bytes: configTyped, truth: { mediaType: MediaType.ociManifest, size: configPush.size, tags: [] } };
      const index = Buffer.from(
        JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [subjectOf('signature')], subject: subjectOf('v2'), annotations: { 'org.example.kind': 'bundle' } }),
      );
      const indexPush = await pushManifestBytes(server, REPO, sha256Digest(index), index, MediaType.ociIndex);
      refs.indexReferrer = { descriptor: { mediaType: MediaType.ociIndex, ...indexPush }, bytes: index, truth: { mediaType: MediaType.ociIndex, size: indexPush.size, tags: [] } };
    });

    test('a manifest PUT with a subject is answered with OCI-Subject, one without is not', async () => {
      const put = (name: string) =>
        call('PUT', `/v2/${REPO}/manifests/${ref(name).descriptor.digest}`, {
          token,
          body: Buffer.from(ref(name).bytes).toString('utf8'),
          headers: { 'content-type': ref(name).descriptor.mediaType },
        });
      const withSubject = await put('sbom');
      expect(withSubject.status).toBe(201);
      expect(single(withSubject, 'oci-subject')).toBe(ref('v1').descriptor.digest);
      const without = await put('v1');
      expect(without.status).toBe(201);
      expect(without.headers['oci-subject']).toBeUndefined();
    });

    test('lists the referrers of a subject with two artifact types, pushed through the server or found by the referrers tag, by digest', async () => {
      const answer = await referrersOf('v1');
      expect(answer.status, answer.text).toBe(200);
      expect(single(answer, 'content-type')).toBe(MediaType.ociIndex);
      expect(answer.headers['oci-filters-applied']).toBeUndefined();
      expect(answer.headers.link).toBeUndefined();
      expect(json(answer)).toEqual({
        schemaVersion: 2,
        mediaType: MediaType.ociIndex,
        manifests: byDigest([listed('sbom', SBOM, SBOM_ANNOTATIONS), listed('signature', SIGNATURE), listed('seeded', SIGNATURE)]),
      });
    });

    test('a referrer of a referrer is listed under its own subject only', async () => {
      expect(manifestsOf(await referrersOf('sbom'))).toEqual([listed('sbomSignature', SIGNATURE)]);
      expect(manifestsOf(await referrersOf('v1')).map((descriptor) => descriptor.digest)).not.toContain(ref('sbomSignature').descriptor.digest);
    });

    test('without an artifactType a manifest is listed with its config media type, an index with none', async () => {
      expect(manifestsOf(await referrersOf('v2'))).toEqual(byDigest([listed('configTyped', CONFIG), listed('indexReferrer', undefined, { 'org.example.kind': 'bundle' })]));
    });

    test('the artifactType filter keeps the matching referrers and says so in OCI-Filters-Applied', async () => {
      const signatures = await referrersOf('v1', `?artifactType=${encodeURIComponent(SIGNATURE)}`);
      expect(signatures.status).toBe(200);
      expect(single(signatures, 'oci-filters-applied')).toBe('artifactType');
      expect(manifestsOf(signatures)).toEqual(byDigest([listed('signature', SIGNATURE), listed('seeded', SIGNATURE)]));
      const none = await referrersOf('v1', `?artifactType=${encodeURIComponent('application/vnd.example.none')}`);
      expect(single(none, 'oci-filters-applied')).toBe('artifactType');
      expect(manifestsOf(none)).toEqual([]);
      expect((await referrersOf('v1', '?artifactType=')).headers['oci-filters-applied']).toBeUndefined();
    });

    test('n pages with a relative Link that keeps the filter, followed the way az does, until no Link', async () => {
      const expected = byDigest([listed('signature', SIGNATURE), listed('seeded', SIGNATURE)]);
      const first = await referrersOf('v1', `?n=1&artifactType=${encodeURIComponent(SIGNATURE)}`);
      expect(manifestsOf(first)).toEqual(expected.slice(0, 1));
      expect(single(first, 'oci-filters-applied')).toBe('artifactType');
      const subject = ref('v1').descriptor.digest;
      const last = encodeURIComponent(expected[0]?.digest ?? '');
      expect(single(first, 'link')).toBe(`</v2/${REPO}/referrers/${subject}?last=${last}&n=1&artifactType=${encodeURIComponent(SIGNATURE)}>; rel="next"`);
      // az: the text between < and >, split at '?', every parameter URL-unquoted and sent again on the first path.
      const [, query = ''] = (linkTarget(first) ?? '').split('?');
      const params = Object.fromEntries(query.split('&').map((pair) => pair.split('=').map((part) => decodeURIComponent(part))));
      expect(params).toEqual({ last: expected[0]?.digest, n: '1', artifactType: SIGNATURE });
      const second = await referrersOf('v1', `?${new URLSearchParams(params as Record<string, string>).toString()}`);
      expect(manifestsOf(second)).toEqual(expected.slice(1));
      expect(single(second, 'oci-filters-applied')).toBe('artifactType');
      expect(second.headers.link).toBeUndefined();
      expect((await referrersOf('v1', '?n=0')).status).toBe(400);
    });

    test('referrersPageSize pages without n, and a larger n does not lift it', async () => {
      const paged = await startAcrServer({ upstream: registry.url, tls: { cert: ca.serverCert, key: ca.serverKey }, users: { [ADMIN.username]: ADMIN.password }, referrersPageSize: 2 });
      try {
        // Pushed through this server: another server instance cannot know untagged manifests pushed through the first.
        const pagedToken = await passwordToken([everything(REPO)], ADMIN, paged);
        const through = withAuth(paged.url, `Bearer ${pagedToken}`, agent);
        const subject = await pushImage(through, REPO, { tags: ['v3'], created: '2024-08-01T10:00:00Z' });
        const { mediaType, digest, size } = subject.descriptor;
        const all: Descriptor[] = [];
        for (const content of ['paged 1', 'paged 2', 'paged 3']) {
          const pushed = await pushArtifact(through, REPO, { tags: [], artifactType: SIGNATURE, content, subject: { mediaType, digest, size } });
          all.push({ mediaType: pushed.descriptor.mediaType, digest: pushed.descriptor.digest, size: pushed.descriptor.size, artifactType: SIGNATURE });
        }
        const sorted = byDigest(all);
        const first = await call('GET', `/v2/${REPO}/referrers/${digest}?n=50`, { token: pagedToken, server: paged });
        expect(manifestsOf(first)).toEqual(sorted.slice(0, 2));
        const next = linkTarget(first);
        expect(next).toBe(`/v2/${REPO}/referrers/${digest}?last=${encodeURIComponent(sorted[1]?.digest ?? '')}&n=2`);
        const second = await call('GET', next ?? '', { token: pagedToken, server: paged });
        expect(manifestsOf(second)).toEqual(sorted.slice(2));
        expect(second.headers.link).toBeUndefined();
      } finally {
        await paged.stop();
      }
    });

    test('an unknown subject, a manifest without referrers and an unknown repository list none, never 404', async () => {
      const unknown = await call('GET', `/v2/${REPO}/referrers/sha256:${'0'.repeat(64)}`, { token });
      expect(unknown.status).toBe(200);
      expect(json(unknown)).toEqual({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] });
      expect(manifestsOf(await referrersOf('signature'))).toEqual([]);
      const nowhereToken = await passwordToken(['repository:nowhere:pull']);
      const nowhere = await call('GET', `/v2/nowhere/referrers/${ref('v1').descriptor.digest}`, { token: nowhereToken });
      expect(nowhere.status).toBe(200);
      expect(manifestsOf(nowhere)).toEqual([]);
    });

    test.each(['not-a-digest', 'sha256:1234', `sha256:${'A'.repeat(64)}`, 'sha256%3Azz'])('a malformed digest (%s) is refused with 400', async (digest) => {
      const answer = await call('GET', `/v2/${REPO}/referrers/${digest}`, { token });
      expect(answer.status).toBe(400);
      expect(json(answer)).toMatchObject({ errors: [{ code: 'DIGEST_INVALID' }] });
    });

    test('without a token: 401 with the pull scope; a token for another repository: insufficient_scope', async () => {
      const path = `/v2/${REPO}/referrers/${ref('v1').descriptor.digest}`;
      const anonymous = await call('GET', path);
      expect(anonymous.status).toBe(401);
      expect(single(anonymous, 'www-authenticate')).toBe(`Bearer realm="https://${acr.host}/oauth2/token",service="${acr.host}",scope="repository:${REPO}:pull"`);
      const elsewhere = await call('GET', path, { token: await passwordToken(['repository:hello:pull']) });
      expect(elsewhere.status).toBe(401);
      expect(single(elsewhere, 'www-authenticate')).toContain('error="insufficient_scope"');
    });

    test('a deleted referrer disappears, deleted through the server or in the registry behind the referrers tag', async () => {
      expect((await call('DELETE', `/v2/${REPO}/manifests/${ref('signature').descriptor.digest}`, { token })).status).toBe(202);
      expect((await upstream('DELETE', `/v2/${REPO}/manifests/${ref('seeded').descriptor.digest}`)).status).toBe(202);
      // The registry's referrers tag still lists the deleted one: the server must not.
      const tagIndex = json<{ manifests: Descriptor[] }>(await upstream('GET', `/v2/${REPO}/manifests/sha256-${ref('v1').descriptor.digest.slice(7)}`, { accept: MediaType.ociIndex }));
      expect(tagIndex.manifests.map((descriptor) => descriptor.digest)).toEqual([ref('seeded').descriptor.digest]);
      expect(manifestsOf(await referrersOf('v1'))).toEqual([listed('sbom', SBOM, SBOM_ANNOTATIONS)]);
    });
  });

  describe.skipIf(skipSkopeo)('skopeo as an independent client', () => {
    async function runSkopeo(args: string[]): Promise<Buffer> {
      if (!skopeo) throw new Error(missingToolMessage('skopeo'));
      const { stdout } = await run(skopeo, args, { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 });
      return stdout;
    }
    const creds = ['--tls-verify=false', '--creds', `${ADMIN.username}:${ADMIN.password}`];

    test('list-tags does the bearer flow (GET /oauth2/token with Basic) and sees the tags', async () => {
      const before = acr.requests.length;
      const listed = JSON.parse((await runSkopeo(['list-tags', ...creds, `docker://${acr.host}/hello`])).toString()) as { Tags: string[] };
      expect([...listed.Tags].sort()).toEqual(['latest', 'stable', 'v1', 'v2']);
      const flow = acr.requests.slice(before);
      expect(flow.some((entry) => entry.method === 'GET' && entry.path === '/oauth2/token' && entry.auth === 'basic' && entry.status === 200)).toBe(true);
      expect(flow.some((entry) => entry.path === '/v2/hello/tags/list' && entry.auth === 'bearer' && entry.status === 200)).toBe(true);
      expect(JSON.stringify(acr.requests)).not.toContain(ADMIN.password);
    });

    test('inspect --raw through the server gives the pushed bytes', async () => {
      const raw = await runSkopeo(['inspect', '--raw', ...creds, `docker://${acr.host}/team-a/web:multi`]);
      expect(sha256Digest(raw)).toBe(digestOf('index'));
    });
  });
});
