// A lock between processes on one file (docker's config.json, acrx's config and credential store),
// so that two writers' read-modify-write never interleave and one's update is never lost.
//
// Node has no flock(), so the lock is a file created with O_EXCL beside the target (`NAME.lock`),
// holding who took it: pid, host, pid namespace and a random token. The work done under it is synchronous and
// short (read, change, write a small file), so a lock is never held for long, and:
//   - its owner is dead (same host and pid namespace, no such process): it is stale at once;
//   - it is older than `staleMs` (the owner is frozen, on another host, or its pid was reused): stale.
// A stale lock is removed only by whoever holds `NAME.lock.break`, after judging it stale again
// there, so two waiters can never both remove it and one of them take a fresh lock's place.
// The wait is bounded by `waitMs`; then the error names the lock file to look at.
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, readlinkSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { ConfigFileError } from '../errors.js';

export interface LockTimings {
  /** A lock older than this is abandoned, whoever holds it. */
  staleMs: number;
  /** How long to wait for a lock before giving up with an error. */
  waitMs: number;
}

// Holding takes milliseconds; ten seconds is far beyond any live writer, and the wait allows for
// one stale lock to age out and some queueing behind other writers after it.
export const DEFAULT_LOCK_TIMINGS: LockTimings = { staleMs: 10_000, waitMs: 30_000 };

const FIRST_PAUSE_MS = 2;
const LONGEST_PAUSE_MS = 100;

interface LockOwner {
  pid: number;
  host: string;
  /** Containers can share a host name and a directory while each has its own process numbers. */
  pidNamespace: string;
  token: string;
}

/** The lock file of `target`: beside it, so every path to the same directory finds the same lock. */
export function lockPathOf(target: string): string {
  return `${target}.lock`;
}

/**
 * Runs `work` holding the lock on `target` (a path with symbolic links already followed). The work
 * must be synchronous: the lock is released when it returns, and is never held across I/O waits.
 */
export async function withFileLock<T>(target: string, work: () => T, timings: LockTimings = DEFAULT_LOCK_TIMINGS): Promise<T> {
  const lockPath = lockPathOf(target);
  const owner = await acquire(target, lockPath, timings);
  try {
    return work();
  } finally {
    release(lockPath, owner);
  }
}

async function acquire(target: string, lockPath: string, timings: LockTimings): Promise<LockOwner> {
  const owner: LockOwner = { pid: process.pid, host: hostname(), pidNamespace: pidNamespace(), token: randomBytes(12).toString('hex') };
  const deadline = Date.now() + timings.waitMs;
  let pause = FIRST_PAUSE_MS;
  for (;;) {
    if (tryCreate(target, lockPath, owner)) return owner;
    if (isStale(lockPath, timings.staleMs, owner) && breakStaleLock(target, lockPath, owner, timings.staleMs)) continue;
    if (Date.now() >= deadline) throw timedOut(target, lockPath, timings.waitMs);
    // Jitter, so that waiters woken together do not collide again in step.
    await new Promise((resolve) => setTimeout(resolve, pause * (0.5 + Math.random())));
    pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
  }
}

/** Creates the lock file; false when it exists already. */
function tryCreate(target: string, path: string, owner: LockOwner): boolean {
  let descriptor: number;
  try {
    // Readable by all: a waiter of another user (sudo) can then see who holds it.
    descriptor = openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new ConfigFileError(`cannot lock ${target}: ${errorCode(error)}`, { cause: error });
  }
  try {
    writeFileSync(descriptor, JSON.stringify(owner));
  } catch (error) {
    closeSync(descriptor);
    // An ownerless lock would stand until it went stale.
    removeIfPresent(path);
    throw new ConfigFileError(`cannot lock ${target}: ${errorCode(error)}`, { cause: error });
  }
  closeSync(descriptor);
  return true;
}

function release(lockPath: string, owner: LockOwner): void {
  // A lock judged stale and taken over belongs to someone else now: leave it to them.
  if (readOwner(lockPath)?.token === owner.token) removeIfPresent(lockPath);
}

/** Stale: left by a process of this host and process namespace (`self`'s) that is gone, or not touched for `staleMs`. */
function isStale(path: string, staleMs: number, self: LockOwner): boolean {
  let modified: number;
  try {
    modified = statSync(path).mtimeMs;
  } catch {
    // Gone (or unreadable, which creating it again will report): not something to remove.
    return false;
  }
  const owner = readOwner(path);
  if (owner && owner.host === self.host && owner.pidNamespace === self.pidNamespace && !isRunning(owner.pid)) return true;
  return Date.now() - modified > staleMs;
}

/** True when it removed the stale lock; false when another waiter is at it (or already was). */
function breakStaleLock(target: string, lockPath: string, owner: LockOwner, staleMs: number): boolean {
  const breaker = `${lockPath}.break`;
  if (!tryCreate(target, breaker, owner)) {
    // Its holder was killed in the microseconds it holds it.
    if (isStale(breaker, staleMs, owner)) removeIfPresent(breaker);
    return false;
  }
  try {
    // Judged again while no one else can remove it: it may have been replaced by a live lock meanwhile.
    if (!isStale(lockPath, staleMs, owner)) return false;
    removeIfPresent(lockPath);
    return true;
  } finally {
    removeIfPresent(breaker);
  }
}

/** Who holds the lock; undefined while its holder is still writing it, or when it is not ours to read. */
function readOwner(path: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    const { pid, host, pidNamespace, token } = parsed;
    if (typeof pid === 'number' && typeof host === 'string' && typeof pidNamespace === 'string' && typeof token === 'string') return { pid, host, pidNamespace, token };
  } catch {
    // Judged by its age alone.
  }
  return undefined;
}

/** Where process numbers mean something: "pid:[4026531836]" on Linux, empty where there is no such thing. */
function pidNamespace(): string {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return '';
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return true;
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigFileError(`cannot remove the lock ${path}: ${errorCode(error)}`, { cause: error });
  }
}

function timedOut(target: string, lockPath: string, waitMs: number): ConfigFileError {
  const owner = readOwner(lockPath);
  const holder = owner ? ` by process ${owner.pid} on ${owner.host}` : '';
  return new ConfigFileError(
    `cannot update ${target}: it stayed locked${holder} for ${Math.round(waitMs / 1000)} s; if no acrx or docker-credential-acrx is running, remove ${lockPath}`,
  );
}

function errorCode(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return code ?? message;
}
