// docker's config.json (and the containers auth.json, same format): finding, storing and erasing the
// credentials for one registry the way docker does: credHelpers[host], then credsStore, then auths.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import type { Credential } from '../transport/index.js';
import { readJsonObject, updateJsonObject } from '../util/json-file.js';
import { helperErase, helperGet, helperStore, type HelperCredential } from './helper-exec.js';

export interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
  [other: string]: unknown;
}

export interface DockerConfig {
  auths?: Record<string, AuthEntry>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
  [other: string]: unknown;
}

/** docker's marker for "the secret is an identity (refresh) token". */
export const TOKEN_USERNAME_MARKER = '<token>';
/** ACR's username for refresh tokens (az acr login stores it this way). */
export const ACR_TOKEN_USERNAME = '00000000-0000-0000-0000-000000000000';

export function dockerConfigPath(env: NodeJS.ProcessEnv): string {
  return join(env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker'), 'config.json');
}

/** The containers auth.json podman and skopeo use, when one is configured or exists at its default place. */
export function containersAuthPath(env: NodeJS.ProcessEnv): string | undefined {
  if (env.REGISTRY_AUTH_FILE) return env.REGISTRY_AUTH_FILE;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json');
  return undefined;
}

const FIX_BY_HAND = 'fix it by hand (acrx will not overwrite it)';

/** The parsed file, undefined when it does not exist; a file that is not a JSON object is an error. */
export function readConfigFile(path: string): DockerConfig | undefined {
  return readJsonObject<DockerConfig>(path, FIX_BY_HAND);
}

/** Changes the auths of config.json under its lock, on what the file holds then; tabs, as docker writes it. */
async function updateAuths(path: string, change: (auths: Record<string, AuthEntry>) => boolean): Promise<void> {
  await updateJsonObject<DockerConfig>(path, { advice: FIX_BY_HAND, secret: true, indent: '\t' }, (current = {}) => {
    const auths = { ...current.auths };
    return change(auths) ? { ...current, auths } : undefined;
  });
}

/** `https://host:port/v1/` → `host:port`: the forms docker has used as keys. */
export function normalizeServer(key: string): string {
  return key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
}

function findKey<T>(map: Record<string, T> | undefined, loginServer: string): string | undefined {
  if (!map) return undefined;
  const wanted = normalizeServer(loginServer);
  return Object.keys(map).find((key) => normalizeServer(key) === wanted);
}

export function credentialFromEntry(entry: AuthEntry): Credential | undefined {
  if (entry.identitytoken) return { kind: 'identity-token', token: entry.identitytoken };
  if (entry.registrytoken) return { kind: 'registry-token', token: entry.registrytoken };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return fromUserSecret(decoded.slice(0, colon), decoded.slice(colon + 1));
  }
  if (entry.username && entry.password) return fromUserSecret(entry.username, entry.password);
  return undefined;
}

export function credentialFromHelper(found: HelperCredential): Credential | undefined {
  if (!found.Secret) return undefined;
  return fromUserSecret(found.Username, found.Secret);
}

// `<token>` (docker) and the null GUID (ACR) both mean the secret is a refresh token.
function fromUserSecret(username: string, secret: string): Credential | undefined {
  if (!secret) return undefined;
  if (username === TOKEN_USERNAME_MARKER || username === ACR_TOKEN_USERNAME) return { kind: 'identity-token', token: secret };
  return { kind: 'basic', username, password: secret };
}

export interface FoundCredential {
  credential: Credential;
  /** Where it came from, for --verbose. */
  source: string;
}

/** Looks the registry up in one config file: its credHelpers entry, then credsStore, then auths. */
export async function lookupInConfig(path: string, loginServer: string, env: NodeJS.ProcessEnv): Promise<FoundCredential | undefined> {
  const config = readConfigFile(path);
  if (!config) return undefined;
  const helperKey = findKey(config.credHelpers, loginServer);
  const helper = helperKey ? config.credHelpers?.[helperKey] : config.credsStore;
  if (helper) {
    const found = await helperGet(helper, loginServer, env);
    const credential = found && credentialFromHelper(found);
    if (credential) return { credential, source: `credential helper docker-credential-${helper} (${path})` };
    if (helperKey) return undefined;
  }
  const authKey = findKey(config.auths, loginServer);
  const entry = authKey ? config.auths?.[authKey] : undefined;
  const credential = entry && credentialFromEntry(entry);
  return credential ? { credential, source: `auths in ${path}` } : undefined;
}

export interface StoreResult {
  /** "docker-credential-NAME" or the config file path. */
  where: string;
}

/** Stores credentials as docker login does: in the configured helper or store, else in auths. */
export async function storeCredential(path: string, loginServer: string, credential: Credential, env: NodeJS.ProcessEnv): Promise<StoreResult> {
  const config = readConfigFile(path) ?? {};
  const helperKey = findKey(config.credHelpers, loginServer);
  const helper = helperKey ? config.credHelpers?.[helperKey] : config.credsStore;
  const { username, secret } = userAndSecret(credential);
  if (helper) {
    await helperStore(helper, { ServerURL: loginServer, Username: username, Secret: secret }, env);
    return { where: `docker-credential-${helper}` };
  }
  const entry: AuthEntry =
    credential.kind === 'identity-token'
      ? { auth: Buffer.from(`${ACR_TOKEN_USERNAME}:`).toString('base64'), identitytoken: credential.token }
      : { auth: Buffer.from(`${username}:${secret}`).toString('base64') };
  await updateAuths(path, (auths) => {
    const existing = findKey(auths, loginServer);
    if (existing) delete auths[existing];
    auths[loginServer] = entry;
    return true;
  });
  return { where: path };
}

/** Removes the registry's credentials; false when there were none. */
export async function eraseCredential(path: string, loginServer: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const config = readConfigFile(path);
  if (!config) return false;
  const helperKey = findKey(config.credHelpers, loginServer);
  const helper = helperKey ? config.credHelpers?.[helperKey] : config.credsStore;
  let erased = false;
  if (helper) {
    erased = (await helperGet(helper, loginServer, env)) !== undefined;
    if (erased) await helperErase(helper, loginServer, env);
  }
  // Only a file that has an entry is locked and written (its directory may well be read-only).
  if (findKey(config.auths, loginServer) === undefined) return erased;
  await updateAuths(path, (auths) => {
    const authKey = findKey(auths, loginServer);
    if (authKey === undefined) return false;
    delete auths[authKey];
    erased = true;
    return true;
  });
  return erased;
}

function userAndSecret(credential: Credential): { username: string; secret: string } {
  switch (credential.kind) {
    case 'basic':
      return { username: credential.username, secret: credential.password };
    case 'identity-token':
      return { username: TOKEN_USERNAME_MARKER, secret: credential.token };
    case 'registry-token':
      throw new UsageError('a bare registry token cannot be stored; log in with a username and password');
  }
}
