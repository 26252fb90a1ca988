// What a short command costs at start-up, as far as a test can hold it (the times are npm run bench's):
// which of Node's modules a registry read and the credential helper load, and V8's code cache that
// bin/load-bundle.cjs keeps per user.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACRX_BIN, isolatedEnv, runCli } from '../support/cli.js';
import { HELPER_BIN } from '../support/helper-path.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { startTlsShyProxy } from '../support/tls-shy-proxy.js';
import { pushImage } from '../support/seed.js';
import { missingToolMessage, requireBinary } from '../support/tools.js';

const missing = !requireBinary('docker-registry');
if (missing && process.env.CI === 'true') throw new Error(missingToolMessage('docker-registry'));

const RECORDER = fileURLToPath(new URL('../support/record-modules.cjs', import.meta.url));

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'acrx-startup-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Node's built-in modules the process loaded, as process.moduleLoadList names them ('NativeModule http'). */
  modules: string[];
  /** Node's standard streams the process asked for ('stdout'): asking builds the stream. */
  streams: string[];
}

let runs = 0;
function run(bin: string, args: string[], env: NodeJS.ProcessEnv = {}, input = ''): Run {
  const modulesFile = join(scratch, `modules-${++runs}`);
  const result = spawnSync(process.execPath, [bin, ...args], {
    env: isolatedEnv({ NODE_OPTIONS: `--require ${RECORDER}`, ACRX_TEST_MODULES_FILE: modulesFile, ...env }),
    input,
    encoding: 'utf8',
  });
  const lines = readFileSync(modulesFile, 'utf8').split('\n');
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    modules: lines.filter((line) => !line.startsWith('process.')),
    streams: lines.filter((line) => line.startsWith('process.')).map((line) => line.slice('process.'.length)),
  };
}

// assert: undici checks its invariants with it, but loads it only when one fails (scripts/build-patches.mjs).
// tty: only a terminal needs it, and these runs write to pipes.
const NEVER_FOR_A_PLAIN_READ = ['http', 'https', 'http2', 'tls', 'crypto', 'child_process', 'readline', 'zlib', 'assert', 'tty'];

describe.skipIf(missing)('a registry read over plain HTTP', () => {
  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
    await pushImage(registry.url, 'hello', { tags: ['v1', 'v2'] });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it("loads none of Node's HTTP, TLS, crypto or child-process modules (undici speaks HTTP/1.1 on net)", () => {
    const read = run(ACRX_BIN, ['repository', 'show-tags', '-n', registry.host, '--repository', 'hello']);
    expect(read.status).toBe(0);
    expect(JSON.parse(read.stdout)).toEqual(['v1', 'v2']);
    expect(read.modules).toContain('NativeModule net');
    for (const name of NEVER_FOR_A_PLAIN_READ) expect(read.modules).not.toContain(`NativeModule ${name}`);
  });

  it("keeps the code caches of Node's own modules: the ones it needs load before acrx sets V8's flags", () => {
    // V8 takes a code cache only under the flags it was made with; --profile-deserialization (which V8
    // leaves out of that comparison) says on stdout each time it takes one and each time it refuses one.
    const result = spawnSync(process.execPath, ['--profile-deserialization', ACRX_BIN, 'repository', 'show-tags', '-n', registry.host, '--repository', 'hello'], {
      env: isolatedEnv({}),
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\[Deserializing from \d+ bytes took/m);
    expect(result.stdout).not.toContain('[Cached code failed check]');
  });

  it('leaves its connections for the operating system to close when the process ends with the command, and closes them otherwise', async () => {
    // In front of the registry, a proxy that closes a TLS ClientHello (acrx goes on in plain HTTP) and
    // counts the plain connections open.
    const proxy = await startTlsShyProxy(registry.url, 'close');
    try {
      const args = ['repository', 'show-tags', '-n', proxy.host, '--repository', 'hello'];
      expect((await runCli(args)).code).toBe(0);
      await until(() => proxy.openPlainConnections() === 0);
      expect((await runCli(args, {}, undefined, { exitsAfterRun: true })).code).toBe(0);
      expect(proxy.openPlainConnections()).toBeGreaterThan(0);
    } finally {
      await proxy.stop();
    }
  });

  it("writes its result to the pipe's descriptor without building Node's stdout stream over it", () => {
    const read = run(ACRX_BIN, ['repository', 'show-tags', '-n', registry.host, '--repository', 'hello']);
    expect(JSON.parse(read.stdout)).toEqual(['v1', 'v2']);
    // Node asks for its own stderr whenever a socket closes (net.js), so only stdout can be held to this.
    expect(read.streams).not.toContain('stdout');
  });

  it('reads no part: the libraries only other commands use stay unread (dist/parts/), and each is there for those', () => {
    // An installation without dist/parts: the read works; a command that needs a part fails naming it,
    // and works in the whole installation.
    const install = mkdtempSync(join(scratch, 'install-'));
    const root = fileURLToPath(new URL('../..', import.meta.url));
    cpSync(join(root, 'bin'), join(install, 'bin'), { recursive: true });
    cpSync(join(root, 'dist'), join(install, 'dist'), { recursive: true, filter: (source) => !source.includes(join('dist', 'parts')) });
    cpSync(join(root, 'package.json'), join(install, 'package.json'));
    const partless = join(install, 'bin', 'acrx.cjs');
    const args = ['repository', 'show-tags', '-n', registry.host, '--repository', 'hello'];
    const read = run(partless, args);
    expect({ status: read.status, stderr: read.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(read.stdout)).toEqual(['v1', 'v2']);

    const folder = mkdtempSync(join(scratch, 'folder-'));
    writeFileSync(join(folder, 'notes.txt'), 'packed as tar\n');
    const needs: Array<[part: string, args: string[], env: NodeJS.ProcessEnv, expected: (stdout: string) => void]> = [
      ['yaml', [...args, '-o', 'yaml'], {}, (stdout) => expect(stdout).toBe('- v1\n- v2\n')],
      ['jmespath', [...args, '--query', '[1]'], {}, (stdout) => expect(JSON.parse(stdout)).toBe('v2')],
      // undici's parser without SIMD, which UNDICI_NO_WASM_SIMD=1 chooses.
      ['llhttp-wasm', args, { UNDICI_NO_WASM_SIMD: '1' }, (stdout) => expect(JSON.parse(stdout)).toEqual(['v1', 'v2'])],
      // A folder goes up as a tar layer.
      ['tar', ['artifact', 'push', '-n', registry.host, 'folders:v1', folder], {}, (stdout) => expect(stdout).toContain('sha256:')],
    ];
    for (const [part, partArgs, env, expected] of needs) {
      const without = run(partless, partArgs, env);
      expect(without.status, part).not.toBe(0);
      expect(without.stderr, part).toContain(join('dist', 'parts', `${part}.cjs`));
      const whole = run(ACRX_BIN, partArgs, env);
      expect({ part, status: whole.status, stderr: whole.stderr }).toEqual({ part, status: 0, stderr: '' });
      expected(whole.stdout);
    }
  });

  it('nor does a manifest read, whose digest loads crypto only once it is computed', () => {
    const read = run(ACRX_BIN, ['repository', 'show-manifests', '-n', registry.host, '--repository', 'hello']);
    expect(read.status).toBe(0);
    expect(read.modules).toContain('NativeModule crypto');
    for (const name of NEVER_FOR_A_PLAIN_READ.filter((module) => module !== 'crypto')) expect(read.modules).not.toContain(`NativeModule ${name}`);
  });
});

/** Resolves once `condition` holds, checked every 10 ms; fails after 5 s. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited >= 5_000) throw new Error('the condition did not come to hold within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** An XDG_CONFIG_HOME whose helper store holds bob's credential for registry.local. */
function helperWithBob(): NodeJS.ProcessEnv {
  const env = { XDG_CONFIG_HOME: mkdtempSync(join(scratch, 'helper-')) };
  expect(run(HELPER_BIN, ['store'], env, JSON.stringify({ ServerURL: 'registry.local', Username: 'bob', Secret: 's3cret' })).status).toBe(0);
  return env;
}

/**
 * A perl program that sets O_NONBLOCK on one of its standard handles and becomes the command after it:
 * Node's own child processes always get blocking stdio, and perl is Essential on Debian and Ubuntu.
 */
function nonBlocking(handle: 'STDIN' | 'STDOUT'): string {
  return `use Fcntl; my $flags = fcntl(${handle}, F_GETFL, 0); fcntl(${handle}, F_SETFL, $flags | O_NONBLOCK) or die; exec @ARGV`;
}

describe('the credential helper answering get from its own store', () => {
  it("loads none of Node's HTTP, TLS, crypto or child-process modules (stdin, a pipe, is its only socket)", () => {
    const env = helperWithBob();
    const got = run(HELPER_BIN, ['get'], env, 'registry.local');
    expect(JSON.parse(got.stdout)).toMatchObject({ Username: 'bob', Secret: 's3cret' });
    for (const name of NEVER_FOR_A_PLAIN_READ) expect(got.modules).not.toContain(`NativeModule ${name}`);
  });
});

describe('the credential helper reading its payload', () => {
  it('reads a non-blocking stdin with nothing in it yet as a stream, as it comes', async () => {
    const env = helperWithBob();
    // The helper's first read of fd 0 finds EAGAIN: nothing is written for a while.
    const child = spawn('perl', ['-e', nonBlocking('STDIN'), process.execPath, HELPER_BIN, 'get'], { env: isolatedEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.stdin.end('registry.local\n');
    expect({ code: await exited, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout)).toMatchObject({ ServerURL: 'registry.local', Username: 'bob', Secret: 's3cret' });
  });
});

/**
 * A perl program that shrinks its stdout pipe to one page, fills it with `fill` bytes of 'x', makes it
 * non-blocking and becomes the command after it: the command's first write that does not fit finds EAGAIN.
 */
function fullNonBlockingStdout(fill: number): string {
  return `use Fcntl; fcntl(STDOUT, 1031, 4096) or die; syswrite(STDOUT, "x" x ${fill}) == ${fill} or die; my $flags = fcntl(STDOUT, F_GETFL, 0); fcntl(STDOUT, F_SETFL, $flags | O_NONBLOCK) or die; exec @ARGV`;
}

describe('acrx writing to a full pipe its reader left non-blocking', () => {
  it.each([
    ['a result (the zsh completion script)', ['completion', 'zsh']],
    ["a stored help text (bin/acrx.cjs's own write)", ['repository', '--help']],
  ])('finishes %s through a stream, whole', (_, args) => {
    const expected = run(ACRX_BIN, args).stdout;
    expect(expected.length).toBeGreaterThan(1_000);
    // The reader waits before reading, so the pipe stays full when acrx writes.
    const result = spawnSync('sh', ['-c', 'p="$1"; shift; perl -e "$p" "$@" | { sleep 0.5; cat; }', 'sh', fullNonBlockingStdout(4_000), process.execPath, ACRX_BIN, ...args], {
      env: isolatedEnv({}),
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toBe('x'.repeat(4_000) + expected);
  });
});

describe('acrx writing to a full disk', () => {
  it.each([
    ['a result', ['completion', 'bash']],
    ["a stored help text (bin/acrx.cjs's own write)", ['repository', '--help']],
    ['the version', ['--version']],
  ])('ends %s with exit 1 and a line saying so, not in silence', (_, args) => {
    // /dev/full takes no byte: every write fails with ENOSPC.
    const result = spawnSync('sh', ['-c', 'exec "$@" > /dev/full', 'sh', process.execPath, ACRX_BIN, ...args], { env: isolatedEnv({}), encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^ERROR: cannot write the output: ENOSPC: no space left on device/);
  });
});

describe('the credential helper writing its answer', () => {
  it('finishes an answer larger than a full non-blocking pipe through a stream, whole', () => {
    const home = mkdtempSync(join(scratch, 'helper-'));
    const servers = Object.fromEntries(Array.from({ length: 3_000 }, (_, index) => [`registry-${index}.example`, { Username: `user-${index}`, Secret: 's' }]));
    mkdirSync(join(home, 'acrx'), { recursive: true });
    writeFileSync(join(home, 'acrx', 'credentials.json'), JSON.stringify({ servers }));
    // The reader waits before reading, so the answer (~100 KB) fills the pipe (64 KB) and writing it at
    // once finds EAGAIN.
    const result = spawnSync('sh', ['-c', 'perl -e "$1" "$2" "$3" list | { sleep 0.5; cat; }', 'sh', nonBlocking('STDOUT'), process.execPath, HELPER_BIN], {
      env: isolatedEnv({ XDG_CONFIG_HOME: home }),
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    const listed = JSON.parse(result.stdout) as Record<string, string>;
    expect(Object.keys(listed)).toHaveLength(3_000);
    expect(listed['registry-2999.example']).toBe('user-2999');
  });
});

describe("V8's code cache of the bundle", () => {
  const cacheFiles = (cacheHome: string): string[] => {
    try {
      return readdirSync(join(cacheHome, 'acrx')).sort();
    } catch {
      return [];
    }
  };

  /** A cache home where `acrx configure` has made its cache: the file it made. */
  const cacheMadeByConfigure = (): { cacheHome: string; env: NodeJS.ProcessEnv; file: string } => {
    const cacheHome = mkdtempSync(join(scratch, 'cache-'));
    const env = { XDG_CACHE_HOME: cacheHome };
    expect(run(ACRX_BIN, ['configure'], env).status).toBe(0);
    const [made, ...others] = cacheFiles(cacheHome);
    expect(others).toEqual([]);
    return { cacheHome, env, file: join(cacheHome, 'acrx', made as string) };
  };

  it('is written by the first successful run of a command, taken by the next, and kept apart per command', () => {
    const cacheHome = mkdtempSync(join(scratch, 'cache-'));
    const env = { XDG_CACHE_HOME: cacheHome };
    expect(run(ACRX_BIN, ['configure'], env).status).toBe(0);
    const [made, ...others] = cacheFiles(cacheHome);
    expect(others).toEqual([]);
    expect(made).toMatch(new RegExp(`^acrx\\.configure\\.[0-9a-z]+\\.[0-9a-z]+\\.${process.version.replace(/\./g, '\\.')}\\.${process.arch}\\.v8cache$`));
    const first = statSync(join(cacheHome, 'acrx', made as string));
    expect(first.mode & 0o777).toBe(0o600);
    expect(statSync(join(cacheHome, 'acrx')).mode & 0o777).toBe(0o700);

    // Taken, not remade: the file stays as it was.
    expect(run(ACRX_BIN, ['configure'], env).status).toBe(0);
    expect(statSync(join(cacheHome, 'acrx', made as string)).mtimeMs).toBe(first.mtimeMs);

    expect(run(ACRX_BIN, ['login', '--help'], { ...env }).status).toBe(0); // stored help: no bundle, no cache
    expect(cacheFiles(cacheHome)).toEqual([made]);
  });

  it('that V8 rejects (another build, a damaged file) is made anew, and the run does not suffer', () => {
    const { cacheHome, env, file } = cacheMadeByConfigure();
    const good = readFileSync(file);
    writeFileSync(file, Buffer.alloc(good.length, 0x5a));
    const again = run(ACRX_BIN, ['configure'], env);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(run(ACRX_BIN, ['configure'], { NODE_DISABLE_COMPILE_CACHE: '1' }).stdout);
    expect(readFileSync(file).equals(Buffer.alloc(good.length, 0x5a))).toBe(false);
  });

  it('that others may write to is neither taken nor kept; in a directory others may write to, none is', () => {
    const { cacheHome, env, file } = cacheMadeByConfigure();
    // A good cache, but writable by anyone: were it read, V8 would take it and the file would stay as
    // it is; unread, the run writes one of its own in its place (a new file, mode 0600).
    chmodSync(file, 0o666);
    const planted = statSync(file).ino;
    expect(run(ACRX_BIN, ['configure'], env).status).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(file).ino).not.toBe(planted);

    rmSync(file);
    chmodSync(join(cacheHome, 'acrx'), 0o777);
    expect(run(ACRX_BIN, ['configure'], env).status).toBe(0);
    expect(cacheFiles(cacheHome)).toEqual([]);
  });

  it('is not written by a run that fails, nor with NODE_DISABLE_COMPILE_CACHE=1', () => {
    const cacheHome = mkdtempSync(join(scratch, 'cache-'));
    expect(run(ACRX_BIN, ['configure', '--defaults', 'nonsense'], { XDG_CACHE_HOME: cacheHome }).status).toBe(2);
    expect(run(ACRX_BIN, ['configure'], { XDG_CACHE_HOME: cacheHome, NODE_DISABLE_COMPILE_CACHE: '1' }).status).toBe(0);
    expect(cacheFiles(cacheHome)).toEqual([]);
  });
});
