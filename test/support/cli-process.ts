// acrx as a child process the test can signal while it runs (spawnCli only hands back the end result).
import { spawn, type ChildProcess } from 'node:child_process';
import { ACRX_BIN, isolatedEnv, type CliResult } from './cli.js';

export interface RunningCli {
  child: ChildProcess;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited and its output is closed. */
  done: Promise<CliResult>;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): RunningCli {
  const child = spawn(process.execPath, [ACRX_BIN, ...args], { env: isolatedEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    // Killed by a signal it did not handle: no exit code, so -1 (never mistaken for acrx's own 130).
    child.on('close', (code, signal) => resolve({ code: code ?? -1, stdout, stderr: signal ? `${stderr}[killed by ${signal}]\n` : stderr }));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}
