// What a credential source yields for one registry, and how the auth layer sends it.

export type Credential =
  | { kind: 'basic'; username: string; password: string }
  /** An OAuth2 refresh token (docker's `identitytoken`, ACR's refresh token). */
  | { kind: 'identity-token'; token: string }
  /** A bearer token to send as it is. */
  | { kind: 'registry-token'; token: string };

export type CredentialSource = () => Promise<Credential | undefined>;

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
