// Gets a bearer token from a registry's token service: GET with optional Basic (docker token spec),
// or the OAuth2 POST with a refresh token (docker oauth spec).
import { AuthError, RegistryError } from '../errors.js';
import { basicAuthorization, type Credential } from './credential.js';
import { describeOciErrors, readOciErrors } from './registry-errors.js';
import { BODY_LIMITS, isSuccess, type HttpRequest, type Transport } from './types.js';

export interface TokenRequest {
  realm: URL;
  service?: string;
  scopes: string[];
  credential?: Credential;
  /** The registry the token is for, so a refusal can say where to log in. */
  registryHost?: string;
}

export interface BearerToken {
  value: string;
  /** Epoch milliseconds by the client's own clock. */
  expiresAt: number;
  lifetimeMs: number;
}

const CLIENT_ID = 'acrx';
// The token spec's lifetime when a token service names none.
const DEFAULT_LIFETIME_S = 60;

export async function fetchToken(transport: Transport, tokenRequest: TokenRequest, now: () => number): Promise<BearerToken> {
  const { realm, service, scopes, credential } = tokenRequest;
  const request = credential?.kind === 'identity-token'
    ? oauthRequest(realm, service, scopes, { grant_type: 'refresh_token', refresh_token: credential.token })
    : getRequest(realm, service, scopes, credential);
  const requestedAt = now();
  let response = await transport(request);
  // Token services that only implement the OAuth2 POST answer the GET with 404 or 405.
  if ((response.status === 404 || response.status === 405) && credential?.kind === 'basic') {
    await response.discard();
    const grant = { grant_type: 'password', username: credential.username, password: credential.password };
    response = await transport(oauthRequest(realm, service, scopes, grant));
  }
  if (!isSuccess(response.status)) {
    const said = describeOciErrors(await readOciErrors(response));
    const detail = said ? `: ${said}` : '';
    if (response.status === 401 || response.status === 403) {
      const remedy = tokenRequest.registryHost ? { remedy: { kind: 'log-in' as const, loginServer: tokenRequest.registryHost } } : {};
      throw new AuthError(`the token service ${realm.host} rejected the ${credential ? 'credentials' : 'anonymous request'} (HTTP ${response.status})${detail}`, remedy);
    }
    throw new RegistryError(`the token service ${realm.host} answered HTTP ${response.status}${detail}`);
  }
  const answer = await response.json(BODY_LIMITS.token);
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
    throw new RegistryError(`the token service ${realm.host} answered with JSON that is not an object`);
  }
  const body = answer as Record<string, unknown>;
  const value = typeof body.token === 'string' && body.token ? body.token : body.access_token;
  if (typeof value !== 'string' || !value) {
    throw new RegistryError(`the token service ${realm.host} answered without a token`);
  }
  if (body.expires_in !== undefined && typeof body.expires_in !== 'number') {
    throw new RegistryError(`the token service ${realm.host} answered an expires_in that is not a number (${JSON.stringify(body.expires_in)})`);
  }
  const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_LIFETIME_S;
  // issued_at is the server's clock; the client's own request time is what renewal is measured against.
  return { value, expiresAt: requestedAt + expiresIn * 1000, lifetimeMs: expiresIn * 1000 };
}

function getRequest(realm: URL, service: string | undefined, scopes: string[], credential?: Credential): HttpRequest {
  const url = new URL(realm.href);
  if (service) url.searchParams.set('service', service);
  for (const scope of scopes) url.searchParams.append('scope', scope);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (credential?.kind === 'basic') {
    url.searchParams.set('account', credential.username);
    headers.authorization = basicAuthorization(credential.username, credential.password);
  }
  return { method: 'GET', url, headers, sensitive: true };
}

function oauthRequest(realm: URL, service: string | undefined, scopes: string[], grant: Record<string, string>): HttpRequest {
  const form = new URLSearchParams({ ...grant, client_id: CLIENT_ID });
  if (service) form.set('service', service);
  if (scopes.length > 0) form.set('scope', scopes.join(' '));
  return {
    method: 'POST',
    url: realm,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
    sensitive: true,
  };
}
