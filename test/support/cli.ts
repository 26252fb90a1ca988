// Runs acrx the two ways tests need: in-process through main() (fast, same code path as the binary),
// and as a real child process of bin/acrx.cjs (for what only a process shows: exit codes, signals, stdin).
import { spawn } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Io } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

class Capture {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

// The isolated config locations vitest.config.ts set up, so no developer file is read or written.
const ISOLATION = ['DOCKER_CONFIG', 'REGISTRY_AUTH_FILE', 'XDG_CONFIG_HOME', 'ACRX_AZURE_IDENTITY', 'HOME'] as const;

export function isolatedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
  for (const name of ISOLATION) if (process.env[name] !== undefined) env[name] = process.env[name];
  return { ...env, ...extra };
}

export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}, stdin?: string, io: Pick<Io, 'exitsAfterRun'> = {}): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const { Readable } = await import('node:stream');
  const signal = new AbortController().signal;
  setMaxListeners(0, signal);
  const code = await main(args, {
    stdout,
    stderr,
    env: isolatedEnv(env),
    signal,
    ...(stdin !== undefined ? { stdin: Readable.from([Buffer.from(stdin)]) } : {}),
    ...io,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

export const ACRX_BIN = fileURLToPath(new URL('../../bin/acrx.cjs', import.meta.url));

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Run as this user (only root may): root reads every file, so a test of an unreadable one needs another user. */
  user?: { uid: number; gid: number };
}

export function spawnCli(args: string[], options: SpawnOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ACRX_BIN, ...args], {
      env: isolatedEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      ...options.user,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Parses stdout as JSON after checking it is az's exact layout: sorted keys, 2-space indent, final newline. */
export function parseAzJson(result: CliResult): unknown {
  if (result.code !== 0) throw new Error(`acrx exited ${result.code}: ${result.stderr}`);
  const value = JSON.parse(result.stdout) as unknown;
  const expected = `${JSON.stringify(sortKeys(value), null, 2)}\n`;
  if (result.stdout !== expected) throw new Error(`output is not az-formatted JSON:\n${result.stdout}`);
  return value;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
  }
  return value;
}
