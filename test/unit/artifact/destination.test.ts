import { mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { safeDestination } from '../../../src/artifact/destination.js';
import { DestinationExistsError, UnsafeArtifactError } from '../../../src/errors.js';
import { pullSandbox, snapshot, useTemporaryDirectories } from './fixtures.js';

const temporaryDirectory = useTemporaryDirectories();

describe('safeDestination', () => {
  it('places a plain title directly in DIR, creating DIR when it is missing', () => {
    const base = temporaryDirectory();
    expect(safeDestination(join(base, 'new'), 'report.txt')).toBe(join(base, 'new', 'report.txt'));
    expect(statSync(join(base, 'new')).isDirectory()).toBe(true);
    expect(readdirSync(join(base, 'new'))).toEqual([]);
  });

  it('creates the directories of a title like a/b/c.txt inside DIR, and only those', () => {
    const { out } = pullSandbox(temporaryDirectory());
    expect(safeDestination(out, 'a/b/c.txt')).toBe(join(out, 'a', 'b', 'c.txt'));
    expect(snapshot(out)).toEqual({ a: 'dir', 'a/b': 'dir' });
  });

  it('reads ./ and doubled slashes in a title as the plain name they mean', () => {
    const { out } = pullSandbox(temporaryDirectory());
    expect(safeDestination(out, './a//b.txt')).toBe(join(out, 'a', 'b.txt'));
  });

  it.each([
    ['/etc/passwd', /is an absolute path/],
    ['../escape.txt', /contains a '\.\.' segment/],
    ['a/../../escape.txt', /contains a '\.\.' segment/],
    ['C:\\Windows\\evil.dll', /contains a backslash/],
    ['C:evil.txt', /starts with a drive letter/],
    ['\\\\server\\share\\evil.txt', /contains a backslash/],
    ['a\u0000b.txt', /contains a NUL character/],
    ['', /is empty/],
    ['.', /names no file/],
  ])('refuses the title %j and creates nothing', (title, message) => {
    const base = temporaryDirectory();
    const { out } = pullSandbox(base);
    const before = snapshot(base);
    expect(() => safeDestination(out, title)).toThrow(UnsafeArtifactError);
    expect(() => safeDestination(out, title)).toThrow(message);
    expect(snapshot(base)).toEqual(before);
  });

  it('refuses a title whose directory in DIR is a symlink, even one that points inside DIR', () => {
    const base = temporaryDirectory();
    const { out } = pullSandbox(base);
    symlinkSync('../outside', join(out, 'away'));
    mkdirSync(join(out, 'real'));
    symlinkSync('real', join(out, 'alias'));
    const before = snapshot(base);
    expect(() => safeDestination(out, 'away/x.txt')).toThrow(/refused the title "away\/x.txt": .*away is a symbolic link/);
    expect(() => safeDestination(out, 'alias/x.txt')).toThrow(UnsafeArtifactError);
    expect(snapshot(base)).toEqual(before);
  });

  it('refuses an existing file unless overwriting is allowed', () => {
    const { out } = pullSandbox(temporaryDirectory());
    writeFileSync(join(out, 'old.txt'), 'old');
    expect(() => safeDestination(out, 'old.txt')).toThrow(DestinationExistsError);
    expect(() => safeDestination(out, 'old.txt')).toThrow(`${join(out, 'old.txt')} already exists; refused to overwrite it`);
    expect(safeDestination(out, 'old.txt', { overwrite: true })).toBe(join(out, 'old.txt'));
  });

  it('never replaces a directory with a file, even when overwriting', () => {
    const { out } = pullSandbox(temporaryDirectory());
    mkdirSync(join(out, 'data'));
    expect(() => safeDestination(out, 'data', { overwrite: true })).toThrow(/data is a directory; refused to replace it with the file "data"/);
  });

  it('refuses a title whose directory is a file in DIR', () => {
    const { out } = pullSandbox(temporaryDirectory());
    writeFileSync(join(out, 'a'), 'a file');
    expect(() => safeDestination(out, 'a/b.txt', { overwrite: true })).toThrow(/cannot write "a\/b.txt": .*a is a file, not a directory/);
  });
});
