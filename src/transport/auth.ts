// The auth layer: answers the registry's 401 challenge with Basic or a bearer token, caches tokens per
// (realm, service, scope set), renews them before they expire, and asks again on insufficient_scope.
// It also hands out a token on request (login --expose-token), through the same challenge and policy.
import { AuthError, RefusedError } from '../errors.js';
import { parseChallenges, type Challenge } from './challenge.js';
import { basicAuthorization, type Credential, type CredentialSource } from './credential.js';
import { describeOciErrors, readOciErrors } from './registry-errors.js';
import { realmMayReceiveCredentials } from './realm-policy.js';
import { fetchToken, type BearerToken } from './token.js';
import { sameOrigin, type HttpRequest, type HttpResponse, type Transport } from './types.js';

export interface AuthOptions {
  registry: URL;
  credentials: CredentialSource;
  now?: () => number;
}

export interface RegistryAuth {
  /** The transport that authenticates every request to the registry's origin. */
  transport: Transport;
  /** The credential the source yielded (loaded once), or undefined for anonymous access. */
  credential(): Promise<Credential | undefined>;
  /**
   * A token a client can present to the registry: a refresh or registry token as given, otherwise a
   * bearer token from the registry's token service for `scopes`.
   */
  accessToken(scopes: string[]): Promise<string>;
}

export function createAuth(next: Transport, options: AuthOptions): RegistryAuth {
  const now = options.now ?? Date.now;
  let challenge: Challenge | undefined;
  let credential: Promise<Credential | undefined> | undefined;
  const tokens = new Map<string, Promise<BearerToken>>();

  const loadCredential = (): Promise<Credential | undefined> => (credential ??= options.credentials());

  const token = async (active: Challenge, scopes: string[], fresh: boolean): Promise<BearerToken> => {
    const realm = realmOf(active, options.registry);
    const key = `${realm.href}\n${active.params.service ?? ''}\n${scopes.join(' ')}`;
    const cached = tokens.get(key);
    if (cached && !fresh) {
      const held = await cached.catch(() => undefined);
      if (held && held.expiresAt - now() > renewalMargin(held.lifetimeMs)) return held;
    }
    // Cached before anything is awaited, so requests in flight together share one token request.
    const pending = (async () => {
      const found = await loadCredential();
      const useful = found?.kind === 'registry-token' ? undefined : found;
      if (useful && !realmMayReceiveCredentials(realm, options.registry)) throw credentialsRefused(options.registry, realm);
      return fetchToken(next, { realm, service: active.params.service, scopes, credential: useful, registryHost: options.registry.host }, now);
    })();
    tokens.set(key, pending);
    pending.catch(() => tokens.delete(key));
    return pending;
  };

  const authorization = async (active: Challenge, scopes: string[], fresh: boolean): Promise<string | undefined> => {
    if (active.scheme === 'bearer') {
      const found = await loadCredential();
      if (found?.kind === 'registry-token') return `Bearer ${found.token}`;
      return `Bearer ${(await token(active, scopes, fresh)).value}`;
    }
    if (active.scheme === 'basic') {
      const found = await loadCredential();
      if (found?.kind === 'basic') return basicAuthorization(found.username, found.password);
    }
    return undefined;
  };

  const transport = async (request: HttpRequest): Promise<HttpResponse> => {
    if (!sameOrigin(request.url, options.registry) || request.headers.authorization || request.sensitive) {
      return next(request);
    }
    const scopes = normalizeScopes(request.scopes ?? []);
    // A bearer token is sent up front only when the scopes are known; otherwise the 401 names them.
    const known = challenge && (challenge.scheme !== 'bearer' || scopes.length > 0) ? challenge : undefined;
    const first = known ? await authorization(known, scopes, false) : undefined;
    const response = await next(withAuthorization(request, first));
    if (response.status !== 401) return response;

    const offered = pickChallenge(parseChallenges(response.headers['www-authenticate']));
    if (!offered) return response;
    challenge = offered;
    if (request.probe) return response;
    const wanted = normalizeScopes([...scopes, ...(offered.params.scope?.split(' ') ?? [])]);
    const second = await authorization(offered, wanted, first !== undefined);
    if (second === undefined || second === first) return rejectedCredentials(response, first);
    await response.discard();
    return rejectedCredentials(await next(withAuthorization(request, second)), second);
  };

  // A 401 to credentials (not to an anonymous token) means they are wrong or lack the rights: say so.
  async function rejectedCredentials(response: HttpResponse, sent: string | undefined): Promise<HttpResponse> {
    if (response.status !== 401 || sent === undefined || (await loadCredential()) === undefined) return response;
    const said = describeOciErrors(await readOciErrors(response));
    throw new AuthError(`${options.registry.host} rejected the credentials (HTTP 401${said ? `: ${said}` : ''})`);
  }

  const accessToken = async (scopes: string[]): Promise<string> => {
    const found = await loadCredential();
    if (found?.kind === 'identity-token' || found?.kind === 'registry-token') return found.token;
    if (!challenge) {
      const probe = await transport({ method: 'GET', url: new URL('/v2/', options.registry), headers: {}, probe: true });
      await probe.discard();
    }
    if (challenge?.scheme !== 'bearer') {
      const how = challenge ? 'uses Basic authentication' : 'asks for no authentication';
      throw new RefusedError(`${options.registry.host} ${how} and issues no tokens to expose`);
    }
    return (await token(challenge, normalizeScopes(scopes), false)).value;
  };

  return { transport, credential: loadCredential, accessToken };
}

export function credentialsRefused(registry: URL, realm: URL): AuthError {
  return new AuthError(
    `refusing to send credentials for ${registry.host} to the token service ${realm.protocol}//${realm.host}: ` +
      "it is not HTTPS on the registry's own host or its parent domain",
  );
}

function withAuthorization(request: HttpRequest, authorization: string | undefined): HttpRequest {
  return authorization ? { ...request, headers: { ...request.headers, authorization } } : request;
}

function pickChallenge(challenges: Challenge[]): Challenge | undefined {
  return challenges.find((c) => c.scheme === 'bearer' && c.params.realm) ?? challenges.find((c) => c.scheme === 'basic');
}

function realmOf(challenge: Challenge, registry: URL): URL {
  try {
    return new URL(challenge.params.realm ?? '', registry);
  } catch {
    throw new AuthError(`${registry.host} sent an unusable token realm '${challenge.params.realm ?? ''}'`);
  }
}

function normalizeScopes(scopes: string[]): string[] {
  return [...new Set(scopes.filter(Boolean))].sort();
}

// Renew with a tenth of the lifetime left (at least 1 s, at most 30 s), so a token never expires mid-request.
function renewalMargin(lifetimeMs: number): number {
  return Math.min(30_000, Math.max(1_000, lifetimeMs / 10));
}
