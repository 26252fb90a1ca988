// `acrx configure` changes its config under the file's lock, on what the file holds once it has the
// lock: a run that waited for another writer keeps that writer's default.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { spawnCli } from '../support/cli.js';
import { killLockHolders, startLockHolder } from '../support/lock-holder.js';

// Long enough for a spawned acrx to start and reach the lock.
const WAITER_START_MS = 1_500;

let xdg: string;
beforeEach(() => {
  xdg = mkdtempSync(join(tmpdir(), 'acrx-configure-lock-'));
});
afterEach(async () => {
  await killLockHolders();
  rmSync(xdg, { recursive: true, force: true });
});

it('waits for the lock on its config, then keeps the default the holder wrote', async () => {
  const configFile = join(xdg, 'acrx', 'config.json');
  mkdirSync(join(xdg, 'acrx'));
  const holder = await startLockHolder(configFile, 'locked');
  let finished = false;
  const waiting = spawnCli(['configure', '--defaults', 'output=table'], { env: { XDG_CONFIG_HOME: xdg } }).finally(() => (finished = true));
  await new Promise((resolve) => setTimeout(resolve, WAITER_START_MS));
  expect(finished).toBe(false);
  writeFileSync(configFile, JSON.stringify({ defaults: { registry: 'written.while.locked' } }));
  await holder.signal('SIGKILL');
  expect(await waiting).toMatchObject({ code: 0 });
  expect(JSON.parse(readFileSync(configFile, 'utf8'))).toEqual({ defaults: { registry: 'written.while.locked', output: 'table' } });
});
