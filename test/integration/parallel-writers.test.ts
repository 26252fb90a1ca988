// Many acrx processes writing one file at once, as docker, podman and scripts run them: every
// `docker-credential-acrx store` and every `acrx login` keeps its entry, a writer killed mid-write
// leaves the previous file whole, and one killed holding the lock does not hold up the next.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LOCK_TIMINGS } from '../../src/util/file-lock.js';
import { spawnCli, type CliResult } from '../support/cli.js';
import { HELPER_BIN, helperOnPath, type HelperPath } from '../support/helper-path.js';
import { close, listen } from '../support/listen.js';
import { killLockHolders, startLockHolder } from '../support/lock-holder.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { missingToolMessage, requireBinary } from '../support/tools.js';

const registryMissing = !requireBinary('docker-registry');
if (registryMissing && process.env.CI === 'true') throw new Error(missingToolMessage('docker-registry'));

const WRITERS = 20;
const LOGINS = 10;
// Long enough for a spawned writer to start and reach the lock.
const WAITER_START_MS = 1_500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let scratch: string;
let xdg: string;
let storeFile: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'acrx-parallel-'));
  xdg = join(scratch, 'xdg');
  storeFile = join(xdg, 'acrx', 'credentials.json');
});
afterEach(async () => {
  await killLockHolders();
  await Promise.all([...helpers].map((child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : (child.once('exit', resolve), child.kill('SIGKILL'))))));
  rmSync(scratch, { recursive: true, force: true });
});

const helpers = new Set<ChildProcess>();

interface HelperRun {
  child: ChildProcess;
  done: Promise<CliResult>;
}

/** Starts docker-credential-acrx as docker does: the verb as argument, the payload on stdin. */
function startHelper(verb: string, input: string): HelperRun {
  const child = spawn(process.execPath, [HELPER_BIN, verb], {
    env: { PATH: process.env.PATH, XDG_CONFIG_HOME: xdg, ACRX_AZURE_IDENTITY: '0' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  helpers.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin?.on('error', () => undefined);
  child.stdin?.end(input);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      helpers.delete(child);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
  return { child, done };
}

const server = (index: number) => `registry-${index}.example.com`;
const storeInput = (index: number) => JSON.stringify({ ServerURL: `https://${server(index)}`, Username: `user-${index}`, Secret: `secret-${index}` });
const storeAll = (indexes: number[]) => indexes.map((index) => startHelper('store', storeInput(index)));
const range = (from: number, count: number) => Array.from({ length: count }, (_, offset) => from + offset);

async function listed(): Promise<Record<string, string>> {
  const result = await startHelper('list', '').done;
  expect(result).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(result.stdout) as Record<string, string>;
}

function expectedList(indexes: number[]): Record<string, string> {
  return Object.fromEntries(indexes.map((index) => [server(index), `user-${index}`]));
}

/** What a crash or a lock can leave beside the store: temporary files, lock files. */
function leftovers(): string[] {
  return readdirSync(join(xdg, 'acrx')).filter((name) => name !== 'credentials.json');
}

describe('docker-credential-acrx run many times at once', () => {
  it(`keeps every entry of ${WRITERS} stores run at once, in a file only its user can read`, { timeout: 60_000 }, async () => {
    const results = await Promise.all(storeAll(range(0, WRITERS)).map((run) => run.done));
    expect(results.every((result) => result.code === 0 && result.stdout === '')).toBe(true);
    expect(await listed()).toEqual(expectedList(range(0, WRITERS)));
    expect(statSync(storeFile).mode & 0o777).toBe(0o600);
    expect(leftovers()).toEqual([]);
  });

  it('keeps every store and loses every erase when both run at once', { timeout: 60_000 }, async () => {
    mkdirSync(join(xdg, 'acrx'), { recursive: true });
    const servers = Object.fromEntries(range(0, 10).map((index) => [server(index), { Username: `user-${index}`, Secret: 'old' }]));
    writeFileSync(storeFile, JSON.stringify({ servers }), { mode: 0o600 });
    const erases = range(0, 10).map((index) => startHelper('erase', `https://${server(index)}`));
    const stores = storeAll(range(10, 10));
    const results = await Promise.all([...erases, ...stores].map((run) => run.done));
    expect(results.map((result) => result.code)).toEqual(Array(20).fill(0));
    expect(await listed()).toEqual(expectedList(range(10, 10)));
  });

  it('waits for the lock, then builds on what the holder wrote instead of what was there before', async () => {
    mkdirSync(join(xdg, 'acrx'), { recursive: true });
    const holder = await startLockHolder(storeFile, 'locked');
    const waiting = startHelper('store', storeInput(1));
    let finished = false;
    void waiting.done.then(() => (finished = true));
    await sleep(WAITER_START_MS);
    expect(finished).toBe(false);
    writeFileSync(storeFile, JSON.stringify({ servers: { [server(0)]: { Username: 'user-0', Secret: 'secret-0' } } }), { mode: 0o600 });
    await holder.signal('SIGKILL');
    expect(await waiting.done).toMatchObject({ code: 0 });
    expect(await listed()).toEqual(expectedList([0, 1]));
  });

  it('is not held up past the stale time by a writer killed while it held the lock', async () => {
    mkdirSync(join(xdg, 'acrx'), { recursive: true });
    const holder = await startLockHolder(storeFile, 'locked');
    await holder.signal('SIGKILL');
    const started = Date.now();
    expect(await startHelper('store', storeInput(0)).done).toMatchObject({ code: 0 });
    expect(Date.now() - started).toBeLessThan(DEFAULT_LOCK_TIMINGS.staleMs);
    expect(await listed()).toEqual(expectedList([0]));
    expect(leftovers()).toEqual([]);
  });

  it('keeps the previous store whole when a writer is killed between its temporary file and the rename', async () => {
    await startHelper('store', storeInput(0)).done;
    const before = readFileSync(storeFile, 'utf8');
    const holder = await startLockHolder(storeFile, 'temporary-written', '{"servers": {"half-written');
    await holder.signal('SIGKILL');
    expect(readFileSync(storeFile, 'utf8')).toBe(before);
    expect(await listed()).toEqual(expectedList([0]));
    const get = await startHelper('get', server(0)).done;
    expect(JSON.parse(get.stdout)).toMatchObject({ Username: 'user-0', Secret: 'secret-0' });
    expect(await startHelper('store', storeInput(1)).done).toMatchObject({ code: 0 });
    expect(await listed()).toEqual(expectedList([0, 1]));
    expect(leftovers()).toEqual([]);
  });

  it('keeps a whole store and every finished entry while writers are being killed at random', { timeout: 60_000 }, async () => {
    const runs = storeAll(range(0, WRITERS));
    const victims = [1, 4, 7, 10, 13, 16];
    victims.forEach((index, order) => setTimeout(() => runs[index]?.child.kill('SIGKILL'), 50 * order + Math.random() * 200));
    const results = await Promise.all(runs.map((run) => run.done));
    const finished = range(0, WRITERS).filter((index) => results[index]?.code === 0);
    expect(finished.length).toBeGreaterThanOrEqual(WRITERS - victims.length);
    // Reads need no lock: the file parses whatever moment the writers were killed at.
    const survivors = await listed();
    for (const index of finished) expect(survivors[server(index)]).toBe(`user-${index}`);
    expect(await startHelper('store', storeInput(WRITERS)).done).toMatchObject({ code: 0 });
    expect((await listed())[server(WRITERS)]).toBe(`user-${WRITERS}`);
    expect(leftovers()).toEqual([]);
  });
});

/** Plain TCP forwarders on loopback: one registry behind many login servers (127.0.0.1:PORT each). */
async function startForwarders(target: RunningRegistry, count: number): Promise<{ hosts: string[]; stop(): Promise<void> }> {
  const [targetHost, targetPort] = target.host.split(':') as [string, string];
  const servers: Server[] = [];
  const hosts: string[] = [];
  for (let index = 0; index < count; index++) {
    const forwarder = createServer((socket) => {
      const upstream = connect(Number(targetPort), targetHost);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
      socket.pipe(upstream).pipe(socket);
    });
    servers.push(forwarder);
    hosts.push(`127.0.0.1:${await listen(forwarder)}`);
  }
  return { hosts, stop: async () => void (await Promise.all(servers.map((forwarder) => close(forwarder)))) };
}

describe.skipIf(registryMissing)('acrx login run many times at once', () => {
  let registry: RunningRegistry;
  let forwarders: { hosts: string[]; stop(): Promise<void> };
  let helper: HelperPath;
  beforeAll(async () => {
    registry = await startRegistry({ htpasswd: { users: { alice: 'wonderland-1' } } });
    forwarders = await startForwarders(registry, LOGINS);
    helper = helperOnPath();
  });
  afterAll(async () => {
    await forwarders?.stop();
    await registry?.stop();
    helper?.cleanup();
  });

  const login = (host: string, env: NodeJS.ProcessEnv) => spawnCli(['login', '-n', host, '-u', 'alice', '-p', 'wonderland-1'], { env });
  const logout = (host: string, env: NodeJS.ProcessEnv) => spawnCli(['logout', '-n', host], { env });

  it(`keeps all ${LOGINS} logins in a symlinked config.json, which stays a link, private, with its other settings`, { timeout: 90_000 }, async () => {
    const dockerDir = join(scratch, 'docker');
    const dotfiles = join(scratch, 'dotfiles');
    mkdirSync(dockerDir);
    mkdirSync(dotfiles);
    const real = join(dotfiles, 'docker-config.json');
    writeFileSync(real, JSON.stringify({ auths: { 'other.example.com': { auth: 'eDp5' } }, detachKeys: 'ctrl-x' }));
    chmodSync(real, 0o600);
    symlinkSync(real, join(dockerDir, 'config.json'));
    const env = { DOCKER_CONFIG: dockerDir, XDG_CONFIG_HOME: xdg };

    const logins = await Promise.all(forwarders.hosts.map((host) => login(host, env)));
    expect(logins.map((result) => result.code)).toEqual(Array(LOGINS).fill(0));
    const config = JSON.parse(readFileSync(real, 'utf8')) as { auths: Record<string, { auth: string }>; detachKeys: string };
    expect(Object.keys(config.auths).sort()).toEqual([...forwarders.hosts, 'other.example.com'].sort());
    for (const host of forwarders.hosts) expect(Buffer.from(config.auths[host]?.auth ?? '', 'base64').toString()).toBe('alice:wonderland-1');
    expect(config.detachKeys).toBe('ctrl-x');
    expect(lstatSync(join(dockerDir, 'config.json')).isSymbolicLink()).toBe(true);
    expect(statSync(real).mode & 0o777).toBe(0o600);
    expect(readdirSync(dotfiles)).toEqual(['docker-config.json']);

    const [gone, kept] = [forwarders.hosts.slice(0, LOGINS / 2), forwarders.hosts.slice(LOGINS / 2)];
    const logouts = await Promise.all(gone.map((host) => logout(host, env)));
    expect(logouts.map((result) => result.code)).toEqual(Array(gone.length).fill(0));
    const after = JSON.parse(readFileSync(real, 'utf8')) as { auths: Record<string, unknown> };
    expect(Object.keys(after.auths).sort()).toEqual([...kept, 'other.example.com'].sort());
  });

  it('waits for the lock on config.json, then adds to what the holder wrote', { timeout: 60_000 }, async () => {
    const dockerDir = join(scratch, 'docker');
    mkdirSync(dockerDir);
    const configFile = join(dockerDir, 'config.json');
    const holder = await startLockHolder(configFile, 'locked');
    const env = { DOCKER_CONFIG: dockerDir, XDG_CONFIG_HOME: xdg };
    const host = forwarders.hosts[0] ?? '';
    let finished = false;
    const waiting = login(host, env).finally(() => (finished = true));
    await sleep(WAITER_START_MS);
    expect(finished).toBe(false);
    writeFileSync(configFile, JSON.stringify({ auths: { 'written.while.locked': { auth: 'eDp5' } } }));
    await holder.signal('SIGKILL');
    expect(await waiting).toMatchObject({ code: 0 });
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as { auths: Record<string, unknown> };
    expect(Object.keys(config.auths).sort()).toEqual([host, 'written.while.locked'].sort());
  });

  it(`keeps all ${LOGINS} logins stored through the credential helper docker-credential-acrx`, { timeout: 90_000 }, async () => {
    const dockerDir = join(scratch, 'docker');
    mkdirSync(dockerDir);
    writeFileSync(join(dockerDir, 'config.json'), JSON.stringify({ credsStore: 'acrx' }));
    const env = { DOCKER_CONFIG: dockerDir, XDG_CONFIG_HOME: xdg, PATH: helper.path };

    const logins = await Promise.all(forwarders.hosts.map((host) => login(host, env)));
    expect(logins.map((result) => result.code)).toEqual(Array(LOGINS).fill(0));
    const stored = JSON.parse(readFileSync(storeFile, 'utf8')) as { servers: Record<string, { Username: string }> };
    expect(Object.keys(stored.servers).sort()).toEqual([...forwarders.hosts].sort());
    expect(JSON.parse(readFileSync(join(dockerDir, 'config.json'), 'utf8'))).toEqual({ credsStore: 'acrx' });
  });
});
