import { afterEach, describe, expect, it } from 'vitest';
import { AuthError } from '../../../src/errors.js';
import { createAuth } from '../../../src/transport/auth.js';
import { createBaseTransport, createDispatcher } from '../../../src/transport/base.js';
import { realmMayReceiveCredentials } from '../../../src/transport/realm-policy.js';
import { sendJson, startServer, type TestServer } from '../../support/http-server.js';

const base = createBaseTransport(createDispatcher({ timeoutMs: 5_000 }));
let server: TestServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/**
 * A registry whose /token realm hands out opaque tokens naming the scopes they grant; a resource needs
 * a token holding its scope. Expiry is left to the client's clock.
 */
async function bearerRegistry(options: { expiresIn?: number } = {}): Promise<TestServer> {
  let issued = 0;
  server = await startServer((req, res, self) => {
    const url = new URL(req.url, self.url);
    if (url.pathname === '/token') {
      issued++;
      const scopes = url.searchParams.getAll('scope').join(' ');
      return sendJson(res, 200, { token: `tok${issued}|${scopes}`, expires_in: options.expiresIn ?? 300 });
    }
    const needed = url.pathname === '/v2/' ? '' : `repository:${url.pathname.split('/')[2]}:pull`;
    const token = /^Bearer (.*)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const granted = token?.split('|')[1]?.split(' ') ?? [];
    if (token && (needed === '' || granted.includes(needed))) return sendJson(res, 200, { ok: true });
    const scope = needed ? `,scope="${needed}"` : '';
    const error = token ? ',error="insufficient_scope"' : '';
    sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, {
      'www-authenticate': `Bearer realm="${self.url}/token",service="test-registry"${scope}${error}`,
    });
  });
  return server;
}

const tokenRequests = (s: TestServer) => s.requests.filter((r) => r.url.startsWith('/token'));

describe('bearer auth', () => {
  it('answers the challenge anonymously, then reuses the token for the same scope', async () => {
    const registry = await bearerRegistry();
    const { transport } = createAuth(base, { registry: registry.origin, credentials: async () => undefined });
    for (let i = 0; i < 3; i++) {
      const response = await transport({ method: 'GET', url: new URL('/v2/a/tags/list', registry.url), headers: {}, scopes: ['repository:a:pull'] });
      expect(response.status).toBe(200);
      await response.discard();
    }
    expect(tokenRequests(registry)).toHaveLength(1);
    expect(tokenRequests(registry)[0]?.url).toContain('service=test-registry');
    // One 401 to learn the challenge, then every request carried the token.
    expect(registry.requests.filter((r) => r.url.startsWith('/v2/'))).toHaveLength(4);
  });

  it('shares one token request among requests in flight together', async () => {
    const registry = await bearerRegistry();
    // The credential arrives late, as a credential helper's answer does: every request is waiting on it.
    const { transport } = createAuth(base, { registry: registry.origin, credentials: () => new Promise((resolve) => setTimeout(() => resolve(undefined), 20)) });
    await (await transport({ method: 'GET', url: new URL('/v2/', registry.url), headers: {}, probe: true })).discard();
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => transport({ method: 'GET', url: new URL('/v2/a/tags/list', registry.url), headers: {}, scopes: ['repository:a:pull'] })),
    );
    for (const response of responses) {
      expect(response.status).toBe(200);
      await response.discard();
    }
    expect(tokenRequests(registry)).toHaveLength(1);
  });

  it('asks for a new token when the registry says insufficient_scope', async () => {
    const registry = await bearerRegistry();
    const { transport } = createAuth(base, { registry: registry.origin, credentials: async () => undefined });
    await (await transport({ method: 'GET', url: new URL('/v2/a/tags/list', registry.url), headers: {}, scopes: ['repository:a:pull'] })).discard();
    // A wrong scope hint: the token is refused with insufficient_scope and replaced by one holding both.
    const response = await transport({ method: 'GET', url: new URL('/v2/b/tags/list', registry.url), headers: {}, scopes: ['repository:a:pull'] });
    expect(response.status).toBe(200);
    // Without a hint nothing is sent up front; the challenge names the scope.
    await (await transport({ method: 'GET', url: new URL('/v2/c/tags/list', registry.url), headers: {} })).discard();
    expect(tokenRequests(registry).map((r) => new URL(r.url, registry.url).searchParams.getAll('scope'))).toEqual([
      ['repository:a:pull'],
      ['repository:a:pull', 'repository:b:pull'],
      ['repository:c:pull'],
    ]);
  });

  it('renews a token before it expires, by its own clock', async () => {
    const registry = await bearerRegistry({ expiresIn: 60 });
    let clock = 1_000_000;
    const { transport } = createAuth(base, { registry: registry.origin, credentials: async () => undefined, now: () => clock });
    const get = async () => (await transport({ method: 'GET', url: new URL('/v2/a/tags/list', registry.url), headers: {}, scopes: ['repository:a:pull'] })).discard();
    await get();
    clock += 30_000;
    await get();
    expect(tokenRequests(registry)).toHaveLength(1);
    clock += 26_000; // 4 s left of 60: inside the renewal margin
    await get();
    expect(tokenRequests(registry)).toHaveLength(2);
  });

  it('sends Basic credentials to a same-host HTTPS-or-loopback realm, and none to a realm elsewhere', async () => {
    const registry = new URL('https://registry.example.com/');
    expect(realmMayReceiveCredentials(new URL('https://registry.example.com/token'), registry)).toBe(true);
    expect(realmMayReceiveCredentials(new URL('https://example.com/token'), registry)).toBe(true);
    expect(realmMayReceiveCredentials(new URL('https://gitlab.com/jwt/auth'), new URL('https://registry.gitlab.com/'))).toBe(true);
    // Siblings may be other tenants; public suffixes belong to nobody.
    expect(realmMayReceiveCredentials(new URL('https://auth.example.com/token'), registry)).toBe(false);
    expect(realmMayReceiveCredentials(new URL('https://co.uk/token'), new URL('https://x.co.uk/'))).toBe(false);
    expect(realmMayReceiveCredentials(new URL('https://other.jfrog.io/token'), new URL('https://mine.jfrog.io/'))).toBe(false);
    expect(realmMayReceiveCredentials(new URL('http://registry.example.com/token'), registry)).toBe(false);
    expect(realmMayReceiveCredentials(new URL('https://attacker.example.net/token'), registry)).toBe(false);
    expect(realmMayReceiveCredentials(new URL('https://other.azurecr.io/oauth2/token'), new URL('https://mine.azurecr.io/'))).toBe(false);
    expect(realmMayReceiveCredentials(new URL('https://auth.docker.io/token'), new URL('https://registry-1.docker.io/'))).toBe(true);
  });

  it('refuses to send credentials to a plain-HTTP realm on another host', async () => {
    const registry = await startServer((_req, res) =>
      sendJson(res, 401, {}, { 'www-authenticate': 'Bearer realm="http://127.0.0.2:9/token",service="x"' }),
    );
    server = registry;
    const { transport } = createAuth(base, {
      registry: registry.origin,
      credentials: async () => ({ kind: 'basic', username: 'u', password: 'SECRET' }),
    });
    const failure = transport({ method: 'GET', url: new URL('/v2/a/tags/list', registry.url), headers: {} });
    await expect(failure).rejects.toBeInstanceOf(AuthError);
    await expect(failure).rejects.not.toThrow(/SECRET/);
  });
});
