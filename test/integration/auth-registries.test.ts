// The registries with authentication that acrx's auth tests run against, checked by clients that share
// no code with acrx (skopeo and undici), so a failure there points at acrx, not at the fixtures.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeJwt, signJwt, type JwtClaims, type TokenRequest } from '../fixtures/token-server.js';
import {
  basicAuthorization,
  dockerConfigFor,
  fetchToken,
  startBasicTlsRegistry,
  startTokenRegistry,
  TOKEN_ISSUER,
  TOKEN_SERVICE,
  type BasicTlsRegistry,
  type TokenRegistry,
} from '../support/auth-registries.js';
import { missingToolMessage, requireBinary, type TestTool } from '../support/tools.js';

const run = promisify(execFile);

const TOOLS: TestTool[] = ['docker-registry', 'skopeo', 'openssl'];
const missing = TOOLS.filter((tool) => !requireBinary(tool));
// In CI a missing tool fails these tests instead of skipping them.
const skip = missing.length > 0 && process.env.CI !== 'true';
const skipReason = skip ? ` (skipped: ${missing.map((tool) => missingToolMessage(tool)).join('; ')})` : '';

async function skopeo(args: string[]): Promise<string> {
  const binary = requireBinary('skopeo');
  if (!binary) throw new Error(missingToolMessage('skopeo'));
  try {
    const { stdout } = await run(binary, args, { maxBuffer: 4 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`skopeo ${args[0] ?? ''} failed: ${stderr.trim() || String(error)}`);
  }
}

async function listTags(host: string, repo: string, certDir: string, auth: string[]): Promise<string[]> {
  const stdout = await skopeo(['list-tags', '--cert-dir', certDir, ...auth, `docker://${host}/${repo}`]);
  return [...(JSON.parse(stdout) as { Tags: string[] }).Tags].sort();
}

/** Processes whose command line names `text` (a registry's storage directory). */
async function processesMentioning(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (commandLine.includes(text)) found.push(`${pid}: ${commandLine.replaceAll('\0', ' ')}`);
  }
  return found;
}

interface HttpAnswer {
  status: number;
  challenge: string | undefined;
  body: string;
}

async function get(url: string, dispatcher: BasicTlsRegistry['dispatcher'], authorization?: string): Promise<HttpAnswer> {
  const response = await request(url, { dispatcher, headers: authorization ? { authorization } : {} });
  const challenge = response.headers['www-authenticate'];
  return { status: response.statusCode, challenge: Array.isArray(challenge) ? challenge[0] : challenge, body: await response.body.text() };
}

describe.skipIf(skip)(`registry with htpasswd over TLS${skipReason}`, () => {
  let setup: BasicTlsRegistry;

  beforeAll(async () => {
    setup = await startBasicTlsRegistry();
  });

  afterAll(async () => {
    await setup?.stop();
  });

  test('serves HTTPS with a certificate for 127.0.0.1 issued by the test CA', () => {
    expect(setup.registry.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(setup.ca.serverCert).toContain('BEGIN CERTIFICATE');
  });

  test('skopeo lists the tags with the right password, trusting the CA through --cert-dir', async () => {
    const tags = await listTags(setup.registry.host, 'team-a/app', setup.certDir, ['--creds', 'alice:wonderland-1']);
    expect(tags).toEqual(['1.0', 'latest']);
  });

  test('skopeo is refused with a wrong password', async () => {
    await expect(listTags(setup.registry.host, 'team-a/app', setup.certDir, ['--creds', 'alice:wrong'])).rejects.toThrow(
      /unauthorized|authentication required/i,
    );
  });

  test('skopeo is refused without credentials', async () => {
    await expect(listTags(setup.registry.host, 'team-a/app', setup.certDir, ['--no-creds'])).rejects.toThrow(
      /unauthorized|authentication required/i,
    );
  });

  test('skopeo does not trust the registry without the CA', async () => {
    const stdout = skopeo(['list-tags', '--creds', 'alice:wonderland-1', `docker://${setup.registry.host}/team-a/app`]);
    await expect(stdout).rejects.toThrow(/certificate/i);
  });

  test('answers 401 with a Basic challenge, the same without credentials and with wrong ones', async () => {
    const url = `${setup.registry.url}/v2/team-a/app/tags/list`;
    for (const authorization of [undefined, basicAuthorization('alice', 'wrong'), basicAuthorization('mallory', 'wonderland-1')]) {
      const answer = await get(url, setup.dispatcher, authorization);
      expect(answer.status).toBe(401);
      expect(answer.challenge).toBe('Basic realm="acrx-test"');
      expect(JSON.parse(answer.body)).toEqual({
        errors: [
          {
            code: 'UNAUTHORIZED',
            message: 'authentication required',
            detail: [{ Type: 'repository', Class: '', Name: 'team-a/app', Action: 'pull' }],
          },
        ],
      });
    }
    const ping = await get(`${setup.registry.url}/v2/`, setup.dispatcher);
    expect(ping).toMatchObject({ status: 401, challenge: 'Basic realm="acrx-test"' });
  });

  test('serves what was seeded to the right credentials', async () => {
    const alice = basicAuthorization('alice', 'wonderland-1');
    const catalog = await get(`${setup.registry.url}/v2/_catalog`, setup.dispatcher, alice);
    expect(JSON.parse(catalog.body)).toEqual({ repositories: ['public/hello', 'team-a/app', 'team-b/secret'] });
    expect(setup.seeded['team-a/app']?.['1.0']).toBe(setup.seeded['team-a/app']?.latest);
    const head = await request(`${setup.registry.url}/v2/team-a/app/manifests/1.0`, {
      method: 'HEAD',
      dispatcher: setup.dispatcher,
      headers: { authorization: alice, accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    await head.body.dump();
    expect(head.headers['docker-content-digest']).toBe(setup.seeded['team-a/app']?.['1.0']);
  });

  test('skopeo reads credentials from a DOCKER_CONFIG written by dockerConfigFor', async () => {
    const config = await dockerConfigFor(setup.registry.host, { username: 'alice', password: 'wonderland-1' });
    try {
      const authFile = `${config.dir}/config.json`;
      const tags = await listTags(setup.registry.host, 'public/hello', setup.certDir, ['--authfile', authFile]);
      expect(tags).toEqual(['v1']);
    } finally {
      await config.cleanup();
    }
  });

  test('stop() ends the registry process and removes its storage', async () => {
    const { storageDir } = setup.registry;
    expect(await processesMentioning(storageDir)).not.toEqual([]);
    await setup.stop();
    expect(await processesMentioning(storageDir)).toEqual([]);
  });
});

describe.skipIf(skip)(`registry behind a token server${skipReason}`, () => {
  let setup: TokenRegistry;
  const host = () => setup.registry.host;
  const alice = ['--creds', 'alice:wonderland-1'];
  const bob = ['--creds', 'bob:builder-2'];
  const anonymous = ['--no-creds'];
  const tokenGets = (): TokenRequest[] => setup.tokenServer.requests.filter((request) => request.method === 'GET');

  beforeAll(async () => {
    setup = await startTokenRegistry();
  });

  afterAll(async () => {
    await setup?.stop();
  });

  test('the registry and its token server serve HTTPS on 127.0.0.1', () => {
    expect(setup.registry.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(setup.tokenServer.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/token$/);
    // Seeding fetched a token, then the server forgot it so tests count from zero.
    expect(setup.tokenServer.requests).toEqual([]);
    expect(setup.tokenServer.issued()).toBe(0);
  });

  test('challenges with the realm, the service and the scope of the request', async () => {
    const realm = setup.tokenServer.url;
    const ping = await get(`${setup.registry.url}/v2/`, setup.dispatcher);
    expect(ping.status).toBe(401);
    expect(ping.challenge).toBe(`Bearer realm="${realm}",service="${TOKEN_SERVICE}"`);
    expect(JSON.parse(ping.body)).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: null }] });

    const tags = await get(`${setup.registry.url}/v2/team-a/app/tags/list`, setup.dispatcher);
    expect(tags.challenge).toBe(`Bearer realm="${realm}",service="${TOKEN_SERVICE}",scope="repository:team-a/app:pull"`);
    const catalog = await get(`${setup.registry.url}/v2/_catalog`, setup.dispatcher);
    expect(catalog.challenge).toBe(`Bearer realm="${realm}",service="${TOKEN_SERVICE}",scope="registry:catalog:*"`);
  });

  test('skopeo lists tags as alice, through a token fetched with Basic credentials', async () => {
    expect(await listTags(host(), 'team-a/app', setup.certDir, alice)).toEqual(['1.0', 'latest']);
    expect(await listTags(host(), 'team-b/secret', setup.certDir, alice)).toEqual(['x']);
    const fetched = tokenGets().filter((request) => request.user === 'alice');
    expect(fetched.length).toBeGreaterThanOrEqual(2);
    expect(fetched[0]).toMatchObject({ path: '/token', status: 200, headers: { authorization: 'Basic alice' } });
    expect(fetched[0]?.query.service).toEqual([TOKEN_SERVICE]);
    expect(fetched.flatMap((request) => request.scopes)).toEqual(
      expect.arrayContaining(['repository:team-a/app:pull', 'repository:team-b/secret:pull']),
    );
    // Recorded requests never hold a secret.
    expect(JSON.stringify(setup.tokenServer.requests)).not.toContain('wonderland-1');
  });

  test('bob can list team-a/app but not team-b/secret', async () => {
    expect(await listTags(host(), 'team-a/app', setup.certDir, bob)).toEqual(['1.0', 'latest']);
    await expect(listTags(host(), 'team-b/secret', setup.certDir, bob)).rejects.toThrow(/unauthorized|authentication required|denied/i);
  });

  test('anonymous can list public/hello but not team-a/app', async () => {
    setup.tokenServer.reset();
    expect(await listTags(host(), 'public/hello', setup.certDir, anonymous)).toEqual(['v1']);
    await expect(listTags(host(), 'team-a/app', setup.certDir, anonymous)).rejects.toThrow(/unauthorized|authentication required/i);
    expect(tokenGets().length).toBeGreaterThanOrEqual(2);
    for (const recorded of tokenGets()) expect(recorded.headers.authorization).toBeUndefined();
  });

  test('skopeo with an identitytoken from dockerConfigFor uses the OAuth2 refresh token grant', async () => {
    setup.tokenServer.reset();
    const config = await dockerConfigFor(host(), { identitytoken: setup.tokenServer.refreshTokenFor('bob') });
    try {
      expect(await listTags(host(), 'team-a/app', setup.certDir, ['--authfile', config.configPath])).toEqual(['1.0', 'latest']);
    } finally {
      await config.cleanup();
    }
    const posts = setup.tokenServer.requests.filter((request) => request.method === 'POST');
    expect(posts[0]).toMatchObject({
      status: 200,
      user: 'bob',
      form: { grant_type: 'refresh_token', refresh_token: '[redacted]', service: TOKEN_SERVICE },
      scopes: ['repository:team-a/app:pull'],
    });
  });

  test('a wrong password gets 401 from the token server, and skopeo fails', async () => {
    await expect(listTags(host(), 'team-a/app', setup.certDir, ['--creds', 'alice:wrong'])).rejects.toThrow();
    const query = new URLSearchParams({ service: TOKEN_SERVICE, scope: 'repository:team-a/app:pull' });
    const response = await request(`${setup.tokenServer.url}?${query}`, {
      dispatcher: setup.dispatcher,
      headers: { authorization: basicAuthorization('alice', 'wrong') },
    });
    expect(response.statusCode).toBe(401);
    expect(await response.body.json()).toMatchObject({ errors: [{ code: 'UNAUTHORIZED' }] });
  });

  test('grants the intersection of what was asked and what the user has, without an error', async () => {
    const token = await fetchToken(
      setup.tokenServer,
      setup.dispatcher,
      ['repository:team-a/app:pull,push,delete', 'repository:team-b/secret:pull', 'registry:catalog:*'],
      { username: 'bob', password: 'builder-2' },
    );
    const { header, claims } = decodeJwt(token);
    expect(header).toEqual({ typ: 'JWT', alg: 'ES256', kid: setup.signing.keyId });
    expect(claims).toMatchObject({ iss: TOKEN_ISSUER, sub: 'bob', aud: TOKEN_SERVICE });
    expect(claims.access).toEqual([{ type: 'repository', name: 'team-a/app', actions: ['pull'] }]);

    const aliceToken = await fetchToken(setup.tokenServer, setup.dispatcher, ['registry:catalog:*'], { username: 'alice', password: 'wonderland-1' });
    const catalog = await get(`${setup.registry.url}/v2/_catalog`, setup.dispatcher, `Bearer ${aliceToken}`);
    expect(JSON.parse(catalog.body)).toEqual({ repositories: ['public/hello', 'team-a/app', 'team-b/secret'] });
  });

  test('answers insufficient_scope to a valid token without the access', async () => {
    const token = await fetchToken(setup.tokenServer, setup.dispatcher, ['repository:team-b/secret:pull'], { username: 'bob', password: 'builder-2' });
    const answer = await get(`${setup.registry.url}/v2/team-b/secret/tags/list`, setup.dispatcher, `Bearer ${token}`);
    expect(answer.status).toBe(401);
    expect(answer.challenge).toBe(
      `Bearer realm="${setup.tokenServer.url}",service="${TOKEN_SERVICE}",scope="repository:team-b/secret:pull",error="insufficient_scope"`,
    );
  });

  describe('tokens minted by hand', () => {
    const claimsFor = (exp: number): JwtClaims => {
      const now = Math.floor(Date.now() / 1000);
      return {
        iss: TOKEN_ISSUER,
        sub: 'alice',
        aud: TOKEN_SERVICE,
        iat: Math.min(now, exp - 60),
        nbf: Math.min(now, exp - 60),
        exp,
        jti: randomUUID(),
        access: [{ type: 'repository', name: 'team-a/app', actions: ['pull'] }],
      };
    };
    const tags = (token: string) => get(`${setup.registry.url}/v2/team-a/app/tags/list`, setup.dispatcher, `Bearer ${token}`);
    const now = () => Math.floor(Date.now() / 1000);

    test('a current token is accepted whether it names its key by kid or by x5c chain', async () => {
      expect((await tags(signJwt(setup.signing, claimsFor(now() + 60), 'kid'))).status).toBe(200);
      expect((await tags(signJwt(setup.signing, claimsFor(now() + 60), 'x5c'))).status).toBe(200);
    });

    test('a token expired 5 minutes ago is refused with 401 invalid_token', async () => {
      const answer = await tags(signJwt(setup.signing, claimsFor(now() - 300)));
      expect(answer.status).toBe(401);
      expect(answer.challenge).toBe(
        `Bearer realm="${setup.tokenServer.url}",service="${TOKEN_SERVICE}",scope="repository:team-a/app:pull",error="invalid_token"`,
      );
      expect(JSON.parse(answer.body)).toMatchObject({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] });
    });

    test('a token expired 30 seconds ago is still accepted: distribution allows 60 s of leeway', async () => {
      expect((await tags(signJwt(setup.signing, claimsFor(now() - 30)))).status).toBe(200);
    });

    test('a token for another audience is refused', async () => {
      expect((await tags(signJwt(setup.signing, { ...claimsFor(now() + 60), aud: 'elsewhere' }))).status).toBe(401);
    });
  });

  describe('OAuth2 POST', () => {
    const post = async (form: Record<string, string>) => {
      const response = await request(setup.tokenServer.url, {
        method: 'POST',
        dispatcher: setup.dispatcher,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
    };
    const common = { client_id: 'acrx-tests', service: TOKEN_SERVICE };

    test('password grant, refresh grant, revocation', async () => {
      setup.tokenServer.reset();
      const scope = 'repository:team-a/app:pull,push repository:team-b/secret:pull';
      const password = await post({ ...common, grant_type: 'password', username: 'bob', password: 'builder-2', scope, access_type: 'offline' });
      expect(password.status).toBe(200);
      expect(password.body).toMatchObject({ expires_in: 300, scope: 'repository:team-a/app:pull' });
      expect(password.body.issued_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const refreshToken = password.body.refresh_token;
      expect(typeof refreshToken).toBe('string');

      const refreshed = await post({ ...common, grant_type: 'refresh_token', refresh_token: String(refreshToken), scope: 'repository:team-a/app:pull' });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.refresh_token).toBeUndefined();
      const access = String(refreshed.body.access_token);
      expect(decodeJwt(access).claims.sub).toBe('bob');
      expect((await get(`${setup.registry.url}/v2/team-a/app/tags/list`, setup.dispatcher, `Bearer ${access}`)).status).toBe(200);

      const recorded = setup.tokenServer.requests.filter((request) => request.method === 'POST');
      expect(recorded.map((request) => request.form?.refresh_token ?? request.form?.password)).toEqual(['[redacted]', '[redacted]']);

      setup.tokenServer.revokeRefreshTokens();
      const revoked = await post({ ...common, grant_type: 'refresh_token', refresh_token: String(refreshToken), scope: 'repository:team-a/app:pull' });
      expect(revoked).toMatchObject({ status: 401, body: { error: 'invalid_grant' } });
    });

    test('a wrong password or a missing client_id is refused', async () => {
      const wrong = await post({ ...common, grant_type: 'password', username: 'alice', password: 'nope', scope: '' });
      expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_grant' } });
      const { client_id: _omitted, ...withoutClient } = common;
      const anonymousClient = await post({ ...withoutClient, grant_type: 'password', username: 'alice', password: 'wonderland-1' });
      expect(anonymousClient).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    });

    test('setLifetime() changes expires_in and exp of the next tokens', async () => {
      setup.tokenServer.setLifetime(5);
      try {
        const answer = await post({ ...common, grant_type: 'password', username: 'alice', password: 'wonderland-1', scope: 'repository:team-a/app:pull' });
        expect(answer.body.expires_in).toBe(5);
        const { claims } = decodeJwt(String(answer.body.access_token));
        expect(claims.exp - claims.iat).toBe(5);
      } finally {
        setup.tokenServer.setLifetime(300);
      }
    });
  });

  test('stop() ends the registry process and the token server', async () => {
    const { storageDir } = setup.registry;
    expect(await processesMentioning(storageDir)).not.toEqual([]);
    await setup.stop();
    expect(await processesMentioning(storageDir)).toEqual([]);
    await expect(request(setup.tokenServer.url, { dispatcher: setup.dispatcher })).rejects.toThrow();
  });
});
