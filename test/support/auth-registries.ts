// Registries that want credentials, each started with one call: distribution with htpasswd over TLS,
// and distribution behind a docker token server. Seeded with a few images through the registry API.
// No vitest here, so the global setup can start them too (it can hand tests `shared`, plain data).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { startTokenServer, type TokenServer } from '../fixtures/token-server.js';
import { startRegistry, type RunningRegistry } from './registry.js';
import { pushImage, withAuth, type RegistryAccess } from './seed.js';
import { createTestCa, signingKey, type SigningKey, type TestCa } from './tls.js';

export type Users = Record<string, string>;

/** Repository → tag → manifest digest of what the setups push. */
export type SeededTags = Record<string, Record<string, string>>;

/** What the setups seed: a public image, a team-a app with two tags on one image, a team-b secret. */
export const SEEDED_IMAGES: ReadonlyArray<{ repo: string; tags: string[]; created: string }> = [
  { repo: 'public/hello', tags: ['v1'], created: '2024-01-10T10:00:00Z' },
  { repo: 'team-a/app', tags: ['1.0', 'latest'], created: '2024-03-05T08:30:00Z' },
  { repo: 'team-b/secret', tags: ['x'], created: '2024-02-14T12:00:00Z' },
];

export const DEFAULT_BASIC_USERS: Users = { alice: 'wonderland-1' };

/** alice: pull, push and delete everywhere, and the catalog; bob: pull on team-a/ only. */
export const DEFAULT_TOKEN_USERS: Users = { alice: 'wonderland-1', bob: 'builder-2' };

export const TOKEN_SERVICE = 'acrx-test-registry';
export const TOKEN_ISSUER = 'acrx-test-token-issuer';

/** Plain data about a running setup, e.g. for `project.provide()` in a global setup. */
export interface SharedAuthRegistry {
  host: string;
  url: string;
  /** PEM file of the CA the registry's (and token server's) certificate chains to. */
  caCertPath: string;
  /** A directory holding only `ca.crt`: skopeo's `--cert-dir`, docker's certs.d/HOST. */
  certDir: string;
  users: Users;
  seeded: SeededTags;
  /** Token registries only: the realm. */
  tokenRealm?: string;
}

export interface BasicTlsRegistry {
  /** url is https://127.0.0.1:PORT */
  registry: RunningRegistry;
  ca: TestCa;
  /** A directory holding only the CA certificate as `ca.crt` (skopeo `--cert-dir`). */
  certDir: string;
  users: Users;
  /** undici Agent that trusts the CA; closed by stop(). */
  dispatcher: Agent;
  seeded: SeededTags;
  shared: SharedAuthRegistry;
  /** Stops everything and removes every file; safe to call more than once. */
  stop(): Promise<void>;
}

export interface TokenRegistry extends BasicTlsRegistry {
  /** https://127.0.0.1:PORT, or http:// with `plainHttp` */
  registry: RunningRegistry;
  tokenServer: TokenServer;
  /** The key the token server signs with (its certificate is the registry's rootcertbundle), for
   * tests that mint tokens by hand with signJwt. */
  signing: SigningKey;
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** stop() of a setup: runs once however often it is called. */
function once(stop: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => (stopping ??= stop());
}

/** Runs the cleanups in reverse order, all of them even when some fail. */
async function unwind(cleanups: Array<() => Promise<void>>): Promise<void> {
  const failures: unknown[] = [];
  for (const cleanup of [...cleanups].reverse()) {
    try {
      await cleanup();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}

async function trustDir(ca: TestCa): Promise<string> {
  // Only ca.crt: skopeo (containers/image) treats every *.key in a --cert-dir as a client key.
  const dir = path.join(ca.dir, 'trust');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'ca.crt'), ca.caCert);
  return dir;
}

async function seed(access: RegistryAccess): Promise<SeededTags> {
  const seeded: SeededTags = {};
  for (const image of SEEDED_IMAGES) {
    const pushed = await pushImage(access, image.repo, { tags: image.tags, created: image.created });
    const tags = (seeded[image.repo] ??= {});
    for (const tag of image.tags) tags[tag] = pushed.descriptor.digest;
  }
  return seeded;
}

/** distribution with htpasswd (bcrypt) over TLS; default user alice / wonderland-1. */
export async function startBasicTlsRegistry(options: { users?: Users } = {}): Promise<BasicTlsRegistry> {
  const users = options.users ?? DEFAULT_BASIC_USERS;
  const [seedUser, seedPassword] = Object.entries(users)[0] ?? [];
  if (seedUser === undefined || seedPassword === undefined) throw new Error('a basic auth registry needs at least one user');
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const ca = await createTestCa();
    cleanups.push(() => ca.cleanup());
    const certDir = await trustDir(ca);
    const dispatcher = new Agent({ connect: { ca: ca.caCert } });
    cleanups.push(() => dispatcher.close());
    const registry = await startRegistry({
      tls: { certPath: ca.serverCertPath, keyPath: ca.serverKeyPath, caCert: ca.caCert },
      htpasswd: { users },
    });
    cleanups.push(() => registry.stop());
    const seeded = await seed(withAuth(registry.url, basicAuthorization(seedUser, seedPassword), dispatcher));
    return {
      registry,
      ca,
      certDir,
      users,
      dispatcher,
      seeded,
      shared: { host: registry.host, url: registry.url, caCertPath: ca.caCertPath, certDir, users, seeded },
      stop: once(() => unwind(cleanups)),
    };
  } catch (error) {
    await unwind(cleanups).catch(() => {});
    throw error;
  }
}

export interface TokenRegistryOptions {
  /** expires_in of access tokens; default 300 (change later with tokenServer.setLifetime). */
  lifetimeSeconds?: number;
  /** Anonymous pull on names with this prefix; default 'public/'. */
  anonymousPullPrefix?: string;
  /** Registry over plain HTTP (the token server stays HTTPS); default false: both over TLS. */
  plainHttp?: boolean;
}

/** An access token fetched from the token server like a client would (GET with Basic). */
export async function fetchToken(
  tokenServer: TokenServer,
  dispatcher: Agent,
  scopes: string[],
  credentials?: { username: string; password: string },
): Promise<string> {
  const query = new URLSearchParams({ service: TOKEN_SERVICE });
  for (const scope of scopes) query.append('scope', scope);
  const headers: Record<string, string> = credentials ? { authorization: basicAuthorization(credentials.username, credentials.password) } : {};
  const response = await request(`${tokenServer.url}?${query}`, { headers, dispatcher });
  const body = (await response.body.json()) as { token?: string };
  if (response.statusCode !== 200 || !body.token) {
    throw new Error(`token server answered ${response.statusCode}: ${JSON.stringify(body)}`);
  }
  return body.token;
}

/**
 * distribution with `auth.token`, behind a token server on another port of 127.0.0.1 (HTTPS, same CA).
 * Users: alice (pull, push, delete everywhere, and the catalog), bob (pull on team-a/); anonymous pull
 * on public/. The token server's requests and issued count are reset after seeding.
 */
export async function startTokenRegistry(options: TokenRegistryOptions = {}): Promise<TokenRegistry> {
  const users = { ...DEFAULT_TOKEN_USERS };
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const ca = await createTestCa();
    cleanups.push(() => ca.cleanup());
    const certDir = await trustDir(ca);
    const signing = await signingKey(ca);
    const dispatcher = new Agent({ connect: { ca: ca.caCert } });
    cleanups.push(() => dispatcher.close());
    const tokenServer = await startTokenServer({
      ca,
      signing,
      service: TOKEN_SERVICE,
      issuer: TOKEN_ISSUER,
      users,
      grants: {
        alice: { '': ['pull', 'push', 'delete'], '*': ['*'] },
        bob: { 'team-a/': ['pull'] },
      },
      anonymousPullPrefix: options.anonymousPullPrefix ?? 'public/',
      lifetimeSeconds: options.lifetimeSeconds ?? 300,
    });
    cleanups.push(() => tokenServer.stop());
    const registry = await startRegistry({
      ...(options.plainHttp ? {} : { tls: { certPath: ca.serverCertPath, keyPath: ca.serverKeyPath, caCert: ca.caCert } }),
      token: { realm: tokenServer.url, service: TOKEN_SERVICE, issuer: TOKEN_ISSUER, rootCertBundlePath: signing.rootCertBundlePath },
    });
    cleanups.push(() => registry.stop());

    const scopes = SEEDED_IMAGES.map((image) => `repository:${image.repo}:pull,push`);
    const token = await fetchToken(tokenServer, dispatcher, scopes, { username: 'alice', password: users.alice ?? '' });
    const seeded = await seed(withAuth(registry.url, `Bearer ${token}`, dispatcher));
    tokenServer.reset();
    return {
      registry,
      tokenServer,
      ca,
      signing,
      certDir,
      users,
      dispatcher,
      seeded,
      shared: { host: registry.host, url: registry.url, caCertPath: ca.caCertPath, certDir, users, seeded, tokenRealm: tokenServer.url },
      stop: once(() => unwind(cleanups)),
    };
  } catch (error) {
    await unwind(cleanups).catch(() => {});
    throw error;
  }
}

export interface DockerConfigDir {
  /** Set DOCKER_CONFIG to this. */
  dir: string;
  /** dir/config.json */
  configPath: string;
  cleanup(): Promise<void>;
}

export type DockerCredentials = { username: string; password: string } | { identitytoken: string; username?: string };

/**
 * A temporary DOCKER_CONFIG directory whose config.json holds credentials for `registryHost` under
 * `auths` (mode 0600), the way `docker login` writes them. An identity token is stored with the
 * username `<token>` unless another is given (ACR uses 00000000-0000-0000-0000-000000000000).
 */
export async function dockerConfigFor(registryHost: string, credentials: DockerCredentials): Promise<DockerConfigDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'acrx-docker-config-'));
  const entry =
    'identitytoken' in credentials
      ? { auth: Buffer.from(`${credentials.username ?? '<token>'}:`).toString('base64'), identitytoken: credentials.identitytoken }
      : { auth: Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64') };
  const configPath = path.join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify({ auths: { [registryHost]: entry } }, null, 2) + '\n', { mode: 0o600 });
  return { dir, configPath, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
