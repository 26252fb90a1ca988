// The lock between acrx processes: a live holder is waited for (within a bound, then a clear error), a
// dead or frozen one is not waited for forever. Holders are real processes, killed or frozen mid-lock.
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigFileError, ExitCode } from '../../../src/errors.js';
import { lockPathOf, withFileLock } from '../../../src/util/file-lock.js';
import { killLockHolders, startLockHolder } from '../../support/lock-holder.js';

let dir: string;
let target: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'acrx-lock-'));
  target = join(dir, 'config.json');
});
afterEach(async () => {
  await killLockHolders();
  rmSync(dir, { recursive: true, force: true });
});

const NEVER_STALE = 600_000;

function writeForeignLock(owner: object | string, ageSeconds: number): void {
  writeFileSync(lockPathOf(target), typeof owner === 'string' ? owner : JSON.stringify(owner));
  const when = Date.now() / 1000 - ageSeconds;
  utimesSync(lockPathOf(target), when, when);
}

describe('withFileLock', () => {
  it('runs the work holding the lock, and removes the lock afterwards, also when the work throws', async () => {
    expect(await withFileLock(target, () => existsSync(lockPathOf(target)))).toBe(true);
    expect(existsSync(lockPathOf(target))).toBe(false);
    await expect(
      withFileLock(target, () => {
        throw new Error('change refused');
      }),
    ).rejects.toThrow('change refused');
    expect(existsSync(lockPathOf(target))).toBe(false);
  });

  it('waits for a live holder within a bound, then fails with an exit-1 error naming the file and its lock', async () => {
    const holder = await startLockHolder(target, 'locked');
    const failure = await withFileLock(target, () => 'ran', { staleMs: NEVER_STALE, waitMs: 300 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigFileError);
    expect((failure as ConfigFileError).exitCode).toBe(ExitCode.error);
    expect((failure as Error).message).toContain(`cannot update ${target}: it stayed locked by process ${holder.pid}`);
    expect((failure as Error).message).toContain(`remove ${lockPathOf(target)}`);
  });

  it('takes over at once the lock of a holder killed mid-lock, without waiting for it to go stale', async () => {
    const holder = await startLockHolder(target, 'locked');
    await holder.signal('SIGKILL');
    expect(await withFileLock(target, () => 'ran', { staleMs: NEVER_STALE, waitMs: 5_000 })).toBe('ran');
    expect(existsSync(lockPathOf(target))).toBe(false);
  });

  it('takes over the lock of a frozen holder once it is older than the stale time, not before', async () => {
    const holder = await startLockHolder(target, 'locked');
    await holder.signal('SIGSTOP');
    await expect(withFileLock(target, () => 'ran', { staleMs: NEVER_STALE, waitMs: 200 })).rejects.toThrow(/stayed locked/);
    const lockedAt = statSync(lockPathOf(target)).mtimeMs;
    expect(await withFileLock(target, () => 'ran', { staleMs: 1_000, waitMs: 10_000 })).toBe('ran');
    expect(Date.now() - lockedAt).toBeGreaterThanOrEqual(1_000);
  });

  it('judges a lock from another host by its age alone', async () => {
    const elsewhere = { pid: 1, host: 'another-host.invalid', pidNamespace: '', token: 'theirs' };
    writeForeignLock(elsewhere, 0);
    await expect(withFileLock(target, () => 'ran', { staleMs: 60_000, waitMs: 200 })).rejects.toThrow(/locked by process 1 on another-host\.invalid/);
    writeForeignLock(elsewhere, 120);
    expect(await withFileLock(target, () => 'ran', { staleMs: 60_000, waitMs: 2_000 })).toBe('ran');
  });

  it('does not take a dead-looking pid for dead when the lock comes from another pid namespace (a container) on this host', async () => {
    const missingPid = 2 ** 22 + 1;
    writeForeignLock({ pid: missingPid, host: hostname(), pidNamespace: 'pid:[1]', token: 'theirs' }, 0);
    await expect(withFileLock(target, () => 'ran', { staleMs: 60_000, waitMs: 200 })).rejects.toThrow(/stayed locked/);
    writeForeignLock({ pid: missingPid, host: hostname(), pidNamespace: readlinkSync('/proc/self/ns/pid'), token: 'theirs' }, 0);
    expect(await withFileLock(target, () => 'ran', { staleMs: 60_000, waitMs: 2_000 })).toBe('ran');
  });

  it('judges a lock without an owner (its writer killed before it said who it is) by its age', async () => {
    writeForeignLock('', 0);
    await expect(withFileLock(target, () => 'ran', { staleMs: 60_000, waitMs: 200 })).rejects.toThrow(/stayed locked for 0 s/);
    writeForeignLock('', 120);
    expect(await withFileLock(target, () => 'ran', { staleMs: 60_000, waitMs: 2_000 })).toBe('ran');
  });

  it('does not remove a lock that was taken over while the work ran', async () => {
    const someoneElse = JSON.stringify({ pid: 1, host: 'another-host.invalid', pidNamespace: '', token: 'theirs' });
    await withFileLock(target, () => writeFileSync(lockPathOf(target), someoneElse));
    expect(readFileSync(lockPathOf(target), 'utf8')).toBe(someoneElse);
  });

  it('says why it cannot lock a file in a directory that does not exist', async () => {
    await expect(withFileLock(join(dir, 'missing', 'config.json'), () => 'ran')).rejects.toThrow(/cannot lock .*missing\/config\.json: ENOENT/);
  });
});
