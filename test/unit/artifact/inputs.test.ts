import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDistinctTitles, parseAnnotations, parseFileInput, validateMediaType } from '../../../src/artifact/inputs.js';
import { UsageError } from '../../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'acrx-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content = 'x') => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('files named for a push', () => {
  it('takes FILE and FILE:MEDIA_TYPE, and a colon without a slash after it is part of the name', () => {
    const plain = file('a.txt', 'abc');
    expect(parseFileInput(plain)).toMatchObject({ path: plain, title: 'a.txt', directory: false, size: 3 });
    expect(parseFileInput(`${plain}:application/vnd.example+json`)).toMatchObject({ path: plain, mediaType: 'application/vnd.example+json' });
    const colon = file('b:c.txt');
    expect(parseFileInput(colon)).toMatchObject({ path: colon, title: 'b:c.txt' });
  });

  it('takes a directory under its own name', () => {
    mkdirSync(join(dir, 'bundle'), { recursive: true });
    expect(parseFileInput(`${join(dir, 'bundle')}/`)).toMatchObject({ title: 'bundle', directory: true });
  });

  it('refuses a missing file, a media type that is not type/subtype, and two files of one name', () => {
    expect(() => parseFileInput(join(dir, 'nope'))).toThrow(/no such file or directory/);
    expect(() => parseFileInput(`${file('d.txt')}:not a/type`)).toThrow(UsageError);
    // A suffix without a slash names no file; when the part before it is a file, the media type is the mistake.
    expect(() => parseFileInput(`${file('e.txt')}:sbom`)).toThrow(/invalid media type 'sbom' for '.*e\.txt'/);
    expect(() => validateMediaType('text', 'media type')).toThrow(/type\/subtype/);
    mkdirSync(join(dir, 'other'), { recursive: true });
    writeFileSync(join(dir, 'other', 'a.txt'), 'y');
    expect(() => checkDistinctTitles([parseFileInput(join(dir, 'a.txt')), parseFileInput(join(dir, 'other', 'a.txt'))])).toThrow(/would both be stored as 'a.txt'/);
  });
});

describe('annotations', () => {
  it('reads KEY=VALUE for the manifest and oras\'s annotation file for manifest, config and files', () => {
    const path = file('annotations.json', JSON.stringify({ $manifest: { a: '1' }, $config: { c: '2' }, 'a.txt': { f: '3' } }));
    expect(parseAnnotations(['b=x=y'], path)).toEqual({ manifest: { a: '1', b: 'x=y' }, config: { c: '2' }, files: { 'a.txt': { f: '3' } } });
  });
  it('refuses a pair without =, and a file that is not a map of string maps', () => {
    expect(() => parseAnnotations(['novalue'], undefined)).toThrow(/KEY=VALUE/);
    expect(() => parseAnnotations([], file('bad.json', '{"$manifest": {"a": 1}}'))).toThrow(UsageError);
  });
});
