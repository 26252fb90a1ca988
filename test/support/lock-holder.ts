// A real process that takes a file's lock through acrx's own code and then stops dead inside it, so a
// test can kill it (SIGKILL: a crash) or freeze it (SIGSTOP: a suspended machine) mid-lock, either
// right after locking or after writing the new content to its temporary file, before the rename.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolveWriteTarget, writeTemporaryBeside } from '../../src/util/atomic-write.js';
import { withFileLock } from '../../src/util/file-lock.js';

export type HolderStage = 'locked' | 'temporary-written';

export interface LockHolder {
  pid: number;
  /** Sends the signal; for one that ends the process, resolves once it has exited (and is reaped). */
  signal(signal: 'SIGKILL' | 'SIGSTOP' | 'SIGCONT'): Promise<void>;
}

const SCRIPT = fileURLToPath(import.meta.url);
const READY = 'ready\n';
const START_TIMEOUT_MS = 20_000;
const live = new Set<ChildProcess>();

/** Starts a holder of `path`'s lock and resolves once it is at `stage`. */
export function startLockHolder(path: string, stage: HolderStage, text = '{"written":"by the killed writer"}\n'): Promise<LockHolder> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, path, stage, text], { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => live.delete(child));
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`lock holder not ready after ${START_TIMEOUT_MS} ms: ${stderr}`)), START_TIMEOUT_MS);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (stdout !== READY) return;
      clearTimeout(timer);
      resolve({
        pid: child.pid ?? -1,
        signal: async (signal) => {
          child.kill(signal);
          if (signal === 'SIGKILL') await exited;
        },
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`lock holder exited ${code} before it was ready: ${stderr}`));
    });
  });
}

/** Kills every holder still running (thawing frozen ones first); for afterEach. */
export async function killLockHolders(): Promise<void> {
  await Promise.all(
    [...live].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGCONT');
          child.kill('SIGKILL');
        }),
    ),
  );
}

async function holdLock(path: string, stage: HolderStage, text: string): Promise<void> {
  const target = resolveWriteTarget(path);
  await withFileLock(target, () => {
    if (stage === 'temporary-written') writeTemporaryBeside(target, text, { secret: true });
    writeSync(1, READY);
    // Blocks this thread for good: the lock stays held until the process is killed.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  });
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const [path, stage, text] = process.argv.slice(2) as [string, HolderStage, string];
  await holdLock(path, stage, text);
}
