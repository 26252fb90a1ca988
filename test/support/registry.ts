// Starts a throw-away CNCF distribution registry on loopback, so tests talk to real registry software.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, rmSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { Agent } from 'undici';
import { missingToolMessage, requireBinary } from './tools.js';

export interface RegistryOptions {
  /** Page size of /v2/_catalog (distribution's `catalog.maxentries`). */
  catalogMaxEntries?: number;
  /** Whether DELETE of manifests and blobs is allowed; default true. */
  deleteEnabled?: boolean;
  /** Read-only maintenance mode: every push is refused (`storage.maintenance.readonly`). */
  readOnly?: boolean;
  /** Serve HTTPS with this certificate (`http.tls`); `url` is then https://127.0.0.1:PORT. */
  tls?: RegistryTlsOptions;
  /** Basic authentication against these users (`auth.htpasswd`, bcrypt). Not together with `token`. */
  htpasswd?: RegistryHtpasswdOptions;
  /** Bearer tokens per the docker token spec (`auth.token`). Not together with `htpasswd`. */
  token?: RegistryTokenOptions;
}

export interface RegistryTlsOptions {
  certPath: string;
  keyPath: string;
  /** PEM of the CA that issued the certificate: the readiness probe trusts it. Without it the probe
   * does not verify the certificate (tests that talk to the registry must still trust the CA). */
  caCert?: string;
}

export interface RegistryHtpasswdOptions {
  /** username → password; written bcrypt-hashed to an htpasswd file beside the storage. */
  users: Record<string, string>;
  /** The realm of `WWW-Authenticate: Basic realm="..."`; default "acrx-test". */
  realm?: string;
}

export interface RegistryTokenOptions {
  /** Token endpoint URL, sent in `WWW-Authenticate: Bearer realm="..."`. */
  realm: string;
  /** Must equal the `aud` of the tokens; sent as `service="..."`. */
  service: string;
  /** Must equal the `iss` of the tokens. */
  issuer: string;
  /** PEM certificates whose keys may sign tokens (looked up by `kid`) or that an `x5c` chain must lead to. */
  rootCertBundlePath: string;
}

export interface RunningRegistry {
  /** "127.0.0.1:PORT", what a user passes as `-n`. */
  host: string;
  /** "http://127.0.0.1:PORT" */
  url: string;
  storageDir: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 3_000;
const START_ATTEMPTS = 3;

// Registries still alive when the process exits would otherwise keep their ports and temp dirs.
const liveChildren = new Set<ChildProcess>();
const liveStorageDirs = new Set<string>();
let exitHookInstalled = false;

function cleanUpOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
    for (const dir of liveStorageDirs) rmSync(dir, { recursive: true, force: true });
  });
}

function removeStorageDir(dir: string): void {
  // Synchronous, so a signal handled meanwhile cannot exit the process halfway through.
  rmSync(dir, { recursive: true, force: true });
  liveStorageDirs.delete(dir);
}

// distribution fsyncs every file it writes; on tmpfs that is free, which roughly halves seeding time.
function storageParent(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
}

async function findFreePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not read a free port');
  return address.port;
}

/** Cost 4, the lowest bcrypt allows: the registry checks the password on every request. */
const BCRYPT_COST = 4;

function htpasswdFile(users: Record<string, string>): string {
  return Object.entries(users)
    .map(([user, password]) => {
      if (/[:\s]/.test(user)) throw new Error(`htpasswd user names cannot hold ':' or spaces: ${JSON.stringify(user)}`);
      return `${user}:${bcrypt.hashSync(password, BCRYPT_COST)}\n`;
    })
    .join('');
}

function registryConfig(storageDir: string, port: number, options: RegistryOptions): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(storageDir)}`,
    '  delete:',
    `    enabled: ${options.deleteEnabled ?? true}`,
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    '    readonly:',
    `      enabled: ${options.readOnly ?? false}`,
    'http:',
    `  addr: 127.0.0.1:${port}`,
  ];
  if (options.tls) {
    lines.push('  tls:', `    certificate: ${JSON.stringify(options.tls.certPath)}`, `    key: ${JSON.stringify(options.tls.keyPath)}`);
  }
  if (options.htpasswd) {
    lines.push(
      'auth:',
      '  htpasswd:',
      `    realm: ${JSON.stringify(options.htpasswd.realm ?? 'acrx-test')}`,
      `    path: ${JSON.stringify(path.join(storageDir, 'htpasswd'))}`,
    );
  }
  if (options.token) {
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${JSON.stringify(options.token.realm)}`,
      `    service: ${JSON.stringify(options.token.service)}`,
      `    issuer: ${JSON.stringify(options.token.issuer)}`,
      `    rootcertbundle: ${JSON.stringify(options.token.rootCertBundlePath)}`,
    );
  }
  if (options.catalogMaxEntries !== undefined) {
    lines.push('catalog:', `  maxentries: ${options.catalogMaxEntries}`);
  }
  return lines.join('\n') + '\n';
}

// distribution reads REGISTRY_* variables as configuration overrides (REGISTRY_AUTH_FILE, which
// containers tools use for credentials, would switch on an auth backend): only our file may count.
function registryEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('REGISTRY_')));
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** 200, or 401 from a registry with authentication: either way distribution is serving the API. */
async function answersPing(url: string, tlsAgent: Agent | undefined): Promise<boolean> {
  try {
    if (tlsAgent) {
      const response = await tlsAgent.request({
        origin: url,
        path: '/v2/',
        method: 'GET',
        headersTimeout: 1_000,
        bodyTimeout: 1_000,
      });
      await response.body.dump();
      return response.statusCode === 200 || response.statusCode === 401;
    }
    const response = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.status === 200 || response.status === 401;
  } catch {
    return false;
  }
}

function probeAgent(tls: RegistryTlsOptions | undefined): Agent | undefined {
  if (!tls) return undefined;
  const connect = tls.caCert ? { ca: tls.caCert } : { rejectUnauthorized: false };
  return new Agent({ connect: { ...connect, timeout: 1_000 } });
}

class StartFailure extends Error {
  constructor(
    message: string,
    readonly portWasTaken: boolean,
  ) {
    super(message);
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  const exited = waitForExit(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
  liveChildren.delete(child);
}

async function launchOnce(binary: string, storageDir: string, options: RegistryOptions): Promise<RunningRegistry> {
  const port = await findFreePort();
  const configFile = path.join(storageDir, 'config.yml');
  await writeFile(configFile, registryConfig(storageDir, port, options));
  const tlsAgent = probeAgent(options.tls);
  try {
    return await waitUntilServing(binary, storageDir, configFile, port, options, tlsAgent);
  } finally {
    await tlsAgent?.close();
  }
}

async function waitUntilServing(
  binary: string,
  storageDir: string,
  configFile: string,
  port: number,
  options: RegistryOptions,
  tlsAgent: Agent | undefined,
): Promise<RunningRegistry> {
  const child = spawn(binary, ['serve', configFile], { stdio: ['ignore', 'ignore', 'pipe'], env: registryEnvironment() });
  liveChildren.add(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8_000);
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });

  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (spawnError) {
      liveChildren.delete(child);
      throw new StartFailure(`could not start ${binary}: ${spawnError.message}`, false);
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      liveChildren.delete(child);
      const portTaken = /address already in use/.test(stderr);
      throw new StartFailure(`${binary} exited early (${child.exitCode ?? child.signalCode}): ${stderr.trim()}`, portTaken);
    }
    // Still alive after answering: the answer may otherwise come from whoever took the port from us.
    if ((await answersPing(url, tlsAgent)) && child.exitCode === null && child.signalCode === null) {
      return { host: `127.0.0.1:${port}`, url, storageDir, stop: () => stopChild(child) };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stopChild(child);
  throw new StartFailure(`${binary} did not answer GET ${url}/v2/ within ${READY_TIMEOUT_MS} ms: ${stderr.trim()}`, false);
}

export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  const binary = requireBinary('docker-registry');
  if (!binary) throw new Error(missingToolMessage('docker-registry'));
  if (options.htpasswd && options.token) throw new Error('a registry has either htpasswd or token authentication, not both');
  cleanUpOnExit();

  const storageDir = await mkdtemp(path.join(storageParent(), 'acrx-registry-'));
  liveStorageDirs.add(storageDir);
  let lastFailure: unknown;
  if (options.htpasswd) {
    try {
      await writeFile(path.join(storageDir, 'htpasswd'), htpasswdFile(options.htpasswd.users), { mode: 0o600 });
    } catch (error) {
      removeStorageDir(storageDir);
      throw error;
    }
  }
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    try {
      const running = await launchOnce(binary, storageDir, options);
      return {
        ...running,
        stop: async () => {
          await running.stop();
          removeStorageDir(storageDir);
        },
      };
    } catch (error) {
      lastFailure = error;
      // Another process may grab the free port between our probe and the registry's bind.
      if (!(error instanceof StartFailure && error.portWasTaken)) break;
    }
  }
  removeStorageDir(storageDir);
  throw lastFailure;
}
