// A short tour of acrx against a throw-away local registry: `npm run demo`.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRegistry, type RunningRegistry } from '../test/support/registry.js';
import { seedSmallSample } from '../test/support/seed.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const acrxEntry = path.join(repoRoot, 'bin', 'acrx.cjs');

function tour(host: string): string[][] {
  return [
    ['repository', 'list', '-n', host, '-o', 'table'],
    ['repository', 'show-tags', '-n', host, '--repository', 'hello'],
    ['repository', 'show-tags', '-n', host, '--repository', 'hello', '--orderby', 'time_desc', '--detail', '-o', 'table'],
    ['repository', 'show-manifests', '-n', host, '--repository', 'hello'],
    ['repository', 'show', '-n', host, '--image', 'hello:latest'],
    ['repository', 'show', '-n', host, '--repository', 'multi', '-o', 'yaml'],
    ['repository', 'show-manifests', '-n', host, '--repository', 'hello', '--query', "[?contains(tags, 'latest')].digest", '-o', 'tsv'],
    // az's manifest group, with az's flags: -r for the registry, -n for the repository or image.
    ['manifest', 'list-metadata', '-r', host, '-n', 'hello', '--orderby', 'time_asc', '--query', "[?createdTime < '2024-01-01'].digest", '-o', 'tsv'],
    ['manifest', 'show', '-r', host, '-n', 'multi:latest', '-o', 'yaml'],
    ['manifest', 'show-metadata', `${host}/hello:v1`, '--query', '{digest: digest, tags: tags}'],
    // Artifacts, as oras pushes them: a file and a directory, a signature attached, the graph, a pull.
    ['artifact', 'push', '-n', host, 'bundle:v1,latest', 'notes.md', 'config', '--artifact-type', 'application/vnd.example.bundle.v1', '-a', 'org.example.team=platform'],
    ['artifact', 'attach', '-n', host, 'bundle:v1', 'bundle.sig', '--artifact-type', 'application/vnd.example.signature.v1'],
    ['artifact', 'discover', '-n', host, 'bundle:v1', '-o', 'tree'],
    ['artifact', 'pull', '-n', host, 'bundle:latest', '--output-dir', 'pulled', '-o', 'table'],
  ];
}

/** The files the artifact part of the tour pushes, in a directory of their own (the tour's cwd). */
function artifactFiles(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'acrx-demo-'));
  writeFileSync(path.join(dir, 'notes.md'), '# Release notes\n\nFirst bundle.\n');
  mkdirSync(path.join(dir, 'config', 'env'), { recursive: true });
  writeFileSync(path.join(dir, 'config', 'app.yaml'), 'replicas: 3\n');
  writeFileSync(path.join(dir, 'config', 'env', 'prod.yaml'), 'region: westeurope\n');
  writeFileSync(path.join(dir, 'bundle.sig'), 'signed by the demo\n');
  return dir;
}

/** Quotes an argument the way a reader would type it into a POSIX shell. */
function shellQuote(argument: string): string {
  if (/^[\w@%+=:,./-]+$/.test(argument)) return argument;
  if (!/["$`\\!]/.test(argument)) return `"${argument}"`;
  return `'${argument.replaceAll("'", "'\\''")}'`;
}

function runAcrx(args: string[], cwd: string): Promise<number> {
  process.stdout.write(`\n$ acrx ${args.map(shellQuote).join(' ')}\n`);
  // Loopback must never go through a proxy the user's shell may have configured.
  const noProxy = ['127.0.0.1', 'localhost', '::1', process.env.NO_PROXY].filter(Boolean).join(',');
  const child = spawn(process.execPath, [acrxEntry, ...args], {
    cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NO_PROXY: noProxy, no_proxy: noProxy },
  });
  return new Promise((resolve) => {
    child.once('error', (error) => {
      process.stderr.write(`could not run ${acrxEntry}: ${error.message}\n`);
      resolve(1);
    });
    child.once('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 1)));
  });
}

let registry: RunningRegistry | undefined;
let stopping: Promise<void> | undefined;
const stopRegistry = (): Promise<void> => (stopping ??= registry?.stop() ?? Promise.resolve());

// `on`, not `once`: npm and tsx relay the same Ctrl-C again, which must not kill us mid-cleanup.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void stopRegistry().finally(() => process.exit(130));
  });
}

async function demo(): Promise<number> {
  registry = await startRegistry();
  const workDir = artifactFiles();
  try {
    process.stdout.write(`A throw-away registry is listening on ${registry.host}; seeding a few images...\n`);
    await seedSmallSample(registry.url);
    for (const args of tour(registry.host)) {
      const exitCode = await runAcrx(args, workDir);
      if (exitCode !== 0) {
        process.stderr.write(`\ndemo stopped: \`acrx ${args.map(shellQuote).join(' ')}\` exited with ${exitCode}\n`);
        return exitCode;
      }
    }
    return 0;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    await stopRegistry();
  }
}

process.exitCode = await demo().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
});
