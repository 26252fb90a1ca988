// Updating a JSON file the way acrx updates docker's config.json, its own config and its credential
// store: through symbolic links, keeping the file's mode, and never leaving a half-written file.
import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJsonObject, updateJsonObject, type JsonFileUpdate } from '../../../src/util/json-file.js';
import { killLockHolders, startLockHolder } from '../../support/lock-holder.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'acrx-json-file-'));
  file = join(dir, 'config.json');
});
afterEach(async () => {
  await killLockHolders();
  rmSync(dir, { recursive: true, force: true });
});

type Entries = Record<string, string>;
const SECRET: JsonFileUpdate = { advice: 'fix it', secret: true };
const PLAIN: JsonFileUpdate = { advice: 'fix it', secret: false };
const add = (key: string, value: string) => (current: Entries | undefined) => ({ ...current, [key]: value });
const modeOf = (path: string) => statSync(path).mode & 0o777;
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as unknown;

describe('updateJsonObject', () => {
  it('creates the file and its directory, private, and adds to what is there', async () => {
    const nested = join(dir, 'acrx', 'credentials.json');
    await updateJsonObject<Entries>(nested, SECRET, add('a', '1'));
    await updateJsonObject<Entries>(nested, SECRET, add('b', '2'));
    expect(read(nested)).toEqual({ a: '1', b: '2' });
    expect(modeOf(nested)).toBe(0o600);
    expect(statSync(join(dir, 'acrx')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(dir, 'acrx'))).toEqual(['credentials.json']);
  });

  it('keeps the mode of a file without secrets, and takes group and other rights from one with secrets', async () => {
    writeFileSync(file, '{}');
    chmodSync(file, 0o640);
    await updateJsonObject<Entries>(file, PLAIN, add('a', '1'));
    expect(modeOf(file)).toBe(0o640);
    chmodSync(file, 0o644);
    await updateJsonObject<Entries>(file, SECRET, add('b', '2'));
    expect(modeOf(file)).toBe(0o600);
    chmodSync(file, 0o400);
    await updateJsonObject<Entries>(file, SECRET, add('c', '3'));
    expect(modeOf(file)).toBe(0o400);
    expect(read(file)).toEqual({ a: '1', b: '2', c: '3' });
  });

  it('writes through a symlinked file, which stays a link, and locks beside the real file', async () => {
    const realDir = join(dir, 'dotfiles');
    mkdirSync(realDir);
    const real = join(realDir, 'docker-config.json');
    writeFileSync(real, JSON.stringify({ kept: 'yes' }));
    chmodSync(real, 0o600);
    symlinkSync(real, file);
    let lockSeen = false;
    await updateJsonObject<Entries>(file, SECRET, (current) => {
      lockSeen = existsSync(`${real}.lock`);
      return { ...current, a: '1' };
    });
    expect(lockSeen).toBe(true);
    expect(lstatSync(file).isSymbolicLink()).toBe(true);
    expect(readlinkSync(file)).toBe(real);
    expect(read(real)).toEqual({ kept: 'yes', a: '1' });
    expect(readdirSync(realDir)).toEqual(['docker-config.json']);
  });

  it('follows a chain of relative links, even to a file that is not there yet', async () => {
    mkdirSync(join(dir, 'a'));
    symlinkSync('a/middle.json', file);
    symlinkSync('../final.json', join(dir, 'a', 'middle.json'));
    await updateJsonObject<Entries>(file, SECRET, add('a', '1'));
    expect(lstatSync(file).isSymbolicLink()).toBe(true);
    expect(read(join(dir, 'final.json'))).toEqual({ a: '1' });
  });

  it('replaces the file instead of rewriting it: a reader that opened it before still reads the old content whole', async () => {
    const old = JSON.stringify({ a: 'old'.repeat(1000) });
    writeFileSync(file, old);
    const reader = openSync(file, 'r');
    try {
      await updateJsonObject<Entries>(file, SECRET, () => ({ a: 'new' }));
      expect(readFileSync(reader, 'utf8')).toBe(old);
    } finally {
      closeSync(reader);
    }
    expect(read(file)).toEqual({ a: 'new' });
  });

  it('leaves the file untouched when the change says so', async () => {
    writeFileSync(file, '{"a":"1"}');
    const before = statSync(file);
    await updateJsonObject<Entries>(file, SECRET, () => undefined);
    expect(statSync(file).ino).toBe(before.ino);
    expect(readFileSync(file, 'utf8')).toBe('{"a":"1"}');
  });

  it('never overwrites a file that is not a JSON object, and says what to do', async () => {
    writeFileSync(file, '{"a": ');
    await expect(updateJsonObject<Entries>(file, { advice: 'fix it by hand', secret: true }, add('a', '1'))).rejects.toThrow(`${file} is not valid JSON; fix it by hand`);
    expect(readFileSync(file, 'utf8')).toBe('{"a": ');
  });

  it('keeps the old file whole when a writer is killed between writing its temporary file and the rename', async () => {
    writeFileSync(file, JSON.stringify({ before: 'crash' }));
    const holder = await startLockHolder(file, 'temporary-written', JSON.stringify({ half: 'done' }));
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toHaveLength(1);
    await holder.signal('SIGKILL');
    expect(readJsonObject(file, 'fix it')).toEqual({ before: 'crash' });
    await updateJsonObject<Entries>(file, SECRET, add('after', 'crash'));
    expect(read(file)).toEqual({ before: 'crash', after: 'crash' });
    expect(readdirSync(dir)).toEqual(['config.json']);
  });
});
