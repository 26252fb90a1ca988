// Property-based: for every flag and argument that takes a reference, a name or a number, a value the
// oracle calls invalid makes acrx exit 2 with exactly one stderr line, no stack trace, and not a
// single connection — to the registry or, through the proxy settings, to any other host. Many runs
// go through main() in-process; a few hundred through the built binary, as a user runs it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli, type CliResult } from '../../support/cli.js';
import { startConnectionCounter, type ConnectionCounter } from './connection-counter.js';
import { usageCall, type Where } from './usage-cases.js';

let counter: ConnectionCounter;
let where: Where;
let directory: string;

beforeAll(async () => {
  counter = await startConnectionCounter();
  directory = mkdtempSync(join(tmpdir(), 'acrx-usage-'));
  const file = join(directory, 'payload.txt');
  writeFileSync(file, 'payload\n');
  where = { registry: counter.host, file };
});
afterAll(async () => {
  await counter.stop();
  rmSync(directory, { recursive: true, force: true });
});

function expectUsageError(args: string[], result: CliResult, connectionsBefore: number): void {
  const shown = JSON.stringify(args);
  expect(result.code, `exit code of ${shown}: ${result.stderr}`).toBe(2);
  expect(result.stdout, `stdout of ${shown}`).toBe('');
  expect(result.stderr, `stderr of ${shown}`).toMatch(/^ERROR: [^\n]+\n$/);
  expect(result.stderr, `stderr of ${shown}`).not.toMatch(/\bat .+:\d+:\d+|node:internal|TypeError|RangeError/);
  expect(counter.connections(), `connections made by ${shown}`).toBe(connectionsBefore);
}

describe('the connection counter sees a command that does connect', () => {
  it.each([
    ['in-process', runCli],
    ['spawned', (args: string[], env: NodeJS.ProcessEnv) => spawnCli(args, { env })],
  ] as const)('%s: a valid command reaches it, through the proxy settings, even for another host', async (_how, run) => {
    const before = counter.connections();
    const loopback = await run(['repository', 'show-tags', '--repository', 'hello', '-n', where.registry], counter.proxyEnv);
    const elsewhere = await run(['repository', 'list', '-n', 'registry.invalid'], counter.proxyEnv);
    expect(loopback.code).not.toBe(2);
    expect(elsewhere.code).not.toBe(2);
    expect(counter.connections()).toBeGreaterThanOrEqual(before + 2);
  });
});

describe('invalid values are usage errors, before any connection', () => {
  it('in-process, through main()', async () => {
    await fc.assert(
      fc.asyncProperty(usageCall, async ({ usage, value }) => {
        const args = usage.args(value, where);
        const before = counter.connections();
        expectUsageError(args, await runCli(args, counter.proxyEnv), before);
      }),
      { numRuns: 800, interruptAfterTimeLimit: 60_000, markInterruptAsFailure: true },
    );
  }, 120_000);

  // 25 runs of 8 processes side by side: 200 starts of the real binary (~0.3 s of CPU each).
  it('spawned, through bin/acrx.cjs', async () => {
    const argvSafe = usageCall.filter(({ value }) => !value.includes('\u0000'));
    await fc.assert(
      fc.asyncProperty(fc.array(argvSafe, { minLength: 8, maxLength: 8 }), async (calls) => {
        const before = counter.connections();
        const runs = calls.map(({ usage, value }) => usage.args(value, where));
        const results = await Promise.all(runs.map((args) => spawnCli(args, { env: counter.proxyEnv })));
        runs.forEach((args, index) => expectUsageError(args, results[index] as CliResult, before));
      }),
      { numRuns: 25, endOnFailure: true },
    );
  }, 180_000);
});

describe('the cases the fault fuzzer reported as exit 1', () => {
  it.each([
    [['repository', 'show', '--image', '😀:1.0.0'], "ERROR: invalid repository name '😀': '😀' is not allowed"],
    [['repository', 'show', '--repository', 'a*b'], "ERROR: invalid repository name 'a*b': '*' is not allowed"],
    [['repository', 'show', '--image', ':1.0.0'], "ERROR: invalid image ':1.0.0': the repository name before ':' is empty"],
    [['repository', 'show', '--repository', ' '], "ERROR: invalid repository name ' ': ' ' is not allowed"],
  ])('%j', async (args, message) => {
    const before = counter.connections();
    const result = await spawnCli([...args, '-n', where.registry], { env: counter.proxyEnv });
    expectUsageError(args, result, before);
    expect(result.stderr).toContain(message);
  });
});

describe('the command line is checked before anything else is read', () => {
  it('a bad value is exit 2 even when the settings file is broken (which alone is exit 1)', async () => {
    const home = join(directory, 'broken-config');
    mkdirSync(join(home, 'acrx'), { recursive: true });
    writeFileSync(join(home, 'acrx', 'config.json'), '{"defaults": ');
    const env = { ...counter.proxyEnv, XDG_CONFIG_HOME: home };
    const before = counter.connections();
    const valid = await runCli(['repository', 'show', '--image', 'hello:v1', '-n', where.registry], env);
    expect(valid.code).toBe(1);
    expect(valid.stderr).toMatch(/config\.json/);
    const args = ['repository', 'show', '--image', '😀:1.0.0', '-n', where.registry];
    expectUsageError(args, await runCli(args, env), before);
  });

  it.each([
    ['--output-dir naming a file', () => ['artifact', 'pull', 'hello:v1', '--output-dir', where.file, '-n', where.registry], /--output-dir: '.*payload\.txt' is a file/],
    ['an empty --output-dir', () => ['artifact', 'pull', 'hello:v1', '--output-dir', '', '-n', where.registry], /--output-dir: give the directory/],
    ['--export-manifest naming a directory', () => ['artifact', 'push', 'hello:v1', where.file, '--export-manifest', directory, '-n', where.registry], /is a directory; name a file/],
    ['--export-manifest in a missing directory', () => ['artifact', 'push', 'hello:v1', where.file, '--export-manifest', join(directory, 'missing', 'm.json'), '-n', where.registry], /does not exist/],
  ])('%s: refused before the transfer', async (_name, args, message) => {
    const before = counter.connections();
    const result = await runCli(args(), counter.proxyEnv);
    expectUsageError(args(), result, before);
    expect(result.stderr).toMatch(message);
  });
});
