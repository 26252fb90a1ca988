// What users of docker, az, skopeo, crane and oras type out of habit, against a real loopback
// registry: the registry as login's argument, full references in --image / -n / the artifact
// reference, the password asked for on a terminal (a real pseudo-terminal through script(1)), and
// docker's warning for -p.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACRX_BIN, isolatedEnv, parseAzJson, runCli } from '../support/cli.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { pushImage, type PushedManifest } from '../support/seed.js';
import { missingToolMessage, requireBinary } from '../support/tools.js';

let registry: RunningRegistry;
let other: RunningRegistry;
let hello: PushedManifest;
let scratch: string;

beforeAll(async () => {
  [registry, other] = await Promise.all([startRegistry(), startRegistry()]);
  hello = await pushImage(registry.url, 'hello', { tags: ['latest', 'v1'] });
  scratch = mkdtempSync(join(tmpdir(), 'acrx-habits-'));
});
afterAll(async () => {
  await Promise.all([registry?.stop(), other?.stop()]);
  rmSync(scratch, { recursive: true, force: true });
});

function freshDockerConfig(): { env: NodeJS.ProcessEnv; configPath: string } {
  const dir = mkdtempSync(join(scratch, 'docker-'));
  return { env: { DOCKER_CONFIG: dir }, configPath: join(dir, 'config.json') };
}

function storedAuth(configPath: string, host: string): string {
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as { auths: Record<string, { auth: string }> };
  return Buffer.from(config.auths[host]?.auth ?? '', 'base64').toString();
}

describe('full references, registry in front', () => {
  it('--image names the registry when -n is not given', async () => {
    const shown = parseAzJson(await runCli(['repository', 'show', '--image', `${registry.host}/hello:v1`])) as { digest: string };
    expect(shown.digest).toBe(hello.descriptor.digest);
  });

  it('--image may repeat the registry -n names', async () => {
    const shown = parseAzJson(await runCli(['repository', 'show', '-n', registry.host, '--image', `${registry.host}/hello:latest`])) as { digest: string };
    expect(shown.digest).toBe(hello.descriptor.digest);
  });

  it('--image naming another registry than -n is a usage error', async () => {
    const result = await runCli(['repository', 'show', '-n', other.host, '--image', `${registry.host}/hello:latest`]);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `ERROR: --image '${registry.host}/hello:latest' names the registry '${registry.host}', but -n names '${other.host}': give the registry once, or the same in both\n`,
    });
  });

  it('--image naming the -n registry in another cloud than the configured one is a usage error, before any request', async () => {
    const result = await runCli(['repository', 'show', '-n', 'myreg', '--image', 'myreg.azurecr.io/hello:1'], { ACRX_LOGIN_SERVER_SUFFIX: '.azurecr.cn' });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: "ERROR: --image 'myreg.azurecr.io/hello:1' names the registry 'myreg.azurecr.io', but -n names 'myreg': give the registry once, or the same in both\n",
    });
  });

  it('--suffix with a login server in --image, and no -n, is a usage error', async () => {
    const result = await runCli(['repository', 'show', '--suffix', 'eu', '--image', `${registry.host}/hello:v1`]);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `ERROR: --suffix applies only to a registry name, not to the login server in --image '${registry.host}/hello:v1'\n` });
  });

  it('the registry in --image wins over the configured default, which it stands in for', async () => {
    const shown = parseAzJson(await runCli(['repository', 'show', '--image', `${registry.host}/hello:v1`], { ACRX_REGISTRY: other.host })) as { digest: string };
    expect(shown.digest).toBe(hello.descriptor.digest);
  });

  it('manifest -n takes a full reference, -r then optional or equal', async () => {
    const alone = parseAzJson(await runCli(['manifest', 'show-metadata', '-n', `${registry.host}/hello:v1`])) as { digest: string };
    expect(alone.digest).toBe(hello.descriptor.digest);
    const both = parseAzJson(await runCli(['manifest', 'show-metadata', '-r', registry.host, '-n', `${registry.host}/hello@${hello.descriptor.digest}`])) as { digest: string };
    expect(both.digest).toBe(hello.descriptor.digest);
    const clash = await runCli(['manifest', 'show-metadata', '-r', other.host, '-n', `${registry.host}/hello:v1`]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain(`but -r names '${other.host}'`);
  });

  it('the artifact reference may carry its registry, as oras takes it', async () => {
    const file = join(scratch, 'notes.txt');
    writeFileSync(file, 'notes\n');
    const pushed = await runCli(['artifact', 'push', `${registry.host}/notes:v1`, `${file}:text/plain`, '--artifact-type', 'application/vnd.example.notes']);
    expect(pushed.code, pushed.stderr).toBe(0);
    const directory = join(scratch, 'pulled');
    const pulled = await runCli(['artifact', 'pull', `${registry.host}/notes:v1`, '--output-dir', directory, '-n', registry.host]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(readFileSync(join(directory, 'notes.txt'), 'utf8')).toBe('notes\n');
    expect((await runCli(['artifact', 'discover', `${registry.host}/notes:v1`, '-n', other.host])).code).toBe(2);
  });
});

describe('login and logout, docker style', () => {
  it('takes the registry as its argument, warns about -p as docker does, and logout takes it too', async () => {
    const { env, configPath } = freshDockerConfig();
    const login = await runCli(['login', registry.host, '-u', 'bob', '-p', 'builder'], env);
    expect(login).toEqual({ code: 0, stdout: '', stderr: 'WARNING! Using --password via the CLI is insecure. Use --password-stdin.\nLogin Succeeded\n' });
    expect(storedAuth(configPath, registry.host)).toBe('bob:builder');
    expect(await runCli(['logout', registry.host], env)).toEqual({ code: 0, stdout: '', stderr: `Removing login credentials for ${registry.host}\n` });
  });

  it('gives no warning for --password-stdin', async () => {
    const { env } = freshDockerConfig();
    expect(await runCli(['login', registry.host, '-u', 'bob', '--password-stdin'], env, 'builder\n')).toEqual({ code: 0, stdout: '', stderr: 'Login Succeeded\n' });
  });

  it.each([
    [['login', 'localhost:5000', '-n', 'localhost:5001']],
    [['logout', 'localhost:5000', '-n', 'localhost:5000']],
  ])('%j, the registry given twice, is a usage error', async (args) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^ERROR: the registry is given twice, as the argument 'localhost:5000' and with -n 'localhost:500[01]': give it once\n$/);
  });

  it('-t asks for a token as --expose-token does (this registry, without token auth, has none: exit 5)', async () => {
    const { env } = freshDockerConfig();
    const result = await runCli(['login', registry.host, '-u', 'bob', '--password-stdin', '-t'], env, 'builder\n');
    expect(result.code).toBe(5);
  });

  it('without a terminal, -u alone is still a usage error', async () => {
    const { env } = freshDockerConfig();
    const result = await runCli(['login', registry.host, '-u', 'bob'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Please also specify password');
  });
});

const hasScript = requireBinary('script') !== undefined;
if (!hasScript && process.env.CI === 'true') throw new Error(missingToolMessage('script'));

/** Runs acrx on a pseudo-terminal (script(1)); `answer` is typed once the prompt appears. */
function onTerminal(args: string[], env: NodeJS.ProcessEnv, answer: string): Promise<{ code: number; transcript: string }> {
  const quoted = [process.execPath, ACRX_BIN, ...args].map((word) => `'${word.replace(/'/g, "'\\''")}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', quoted, '/dev/null'], { env: isolatedEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let transcript = '';
    let answered = false;
    child.stdout.on('data', (chunk: Buffer) => {
      transcript += chunk.toString('utf8');
      if (!answered && transcript.includes('Password: ')) {
        answered = true;
        child.stdin.write(answer);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, transcript }));
  });
}

describe.skipIf(!hasScript)('the password prompt on a terminal', () => {
  it('asks for the password of -u, without echoing what is typed, and stores it', async () => {
    const { env, configPath } = freshDockerConfig();
    const { code, transcript } = await onTerminal(['login', registry.host, '-u', 'bob'], env, 'typed-secret\r');
    expect(code, transcript).toBe(0);
    expect(transcript).toContain('Password: ');
    expect(transcript).toContain('Login Succeeded');
    expect(transcript).not.toContain('typed-secret');
    expect(storedAuth(configPath, registry.host)).toBe('bob:typed-secret');
  });

  it('takes back a character on backspace', async () => {
    const { env, configPath } = freshDockerConfig();
    const { code } = await onTerminal(['login', registry.host, '-u', 'bob'], env, 'secrex\u007ft\r');
    expect(code).toBe(0);
    expect(storedAuth(configPath, registry.host)).toBe('bob:secret');
  });

  it('refuses an empty answer with exit 2, storing nothing', async () => {
    const { env, configPath } = freshDockerConfig();
    const { code, transcript } = await onTerminal(['login', registry.host, '-u', 'bob'], env, '\r');
    expect(code, transcript).toBe(2);
    expect(transcript).toContain('no password was typed: a username needs its password');
    expect(() => readFileSync(configPath)).toThrow();
  });

  it('stops with exit 130 on Ctrl-C at the prompt, storing nothing', async () => {
    const { env, configPath } = freshDockerConfig();
    const { code } = await onTerminal(['login', registry.host, '-u', 'bob'], env, '\u0003');
    expect(code).toBe(130);
    expect(() => readFileSync(configPath)).toThrow();
  });
});
