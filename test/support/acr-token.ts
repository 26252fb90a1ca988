// An access token from the ACR test server's token endpoint (password grant), for tests that read
// what the service itself answers or push through it.
import { request, type Dispatcher } from 'undici';
import type { AcrServer } from '../fixtures/acr-server.js';

export async function passwordToken(
  acr: Pick<AcrServer, 'url' | 'loginServer'>,
  user: { username: string; password: string },
  scopes: string[],
  dispatcher: Dispatcher,
): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'password', service: acr.loginServer, username: user.username, password: user.password, scope: scopes.join(' ') });
  const response = await request(`${acr.url}/oauth2/token`, {
    method: 'POST',
    body: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    dispatcher,
  });
  return ((await response.body.json()) as { access_token: string }).access_token;
}
