import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DestinationExistsError, UnsafeArtifactError } from '../../../src/errors.js';
import { ANNOTATION_CONTENT_DIGEST, ANNOTATION_TITLE } from '../../../src/artifact/layer.js';
import { packDirectory } from '../../../src/artifact/pack.js';
import { unpackDirectory } from '../../../src/artifact/unpack.js';
import { craftTarGzip, pullSandbox, snapshot, useTemporaryDirectories, type CraftedEntry } from './fixtures.js';

const temporaryDirectory = useTemporaryDirectories();
const GOOD: CraftedEntry[] = [{ path: 't/' }, { path: 't/good.txt', body: 'fine\n' }];

function withLayer(entries: readonly CraftedEntry[]): { base: string; archive: string; out: string; outside: string; sentinel: string } {
  const base = temporaryDirectory();
  const archive = join(temporaryDirectory(), 'layer.tar.gz');
  writeFileSync(archive, craftTarGzip(entries));
  return { base, archive, ...pullSandbox(base) };
}

function gnuTar(): boolean {
  try {
    return execFileSync('tar', ['--version'], { encoding: 'utf8' }).includes('GNU tar');
  } catch {
    return false;
  }
}

/** A tree with everything a round trip must keep. */
function makeTree(root: string): void {
  mkdirSync(join(root, 'nested', 'deeper'), { recursive: true });
  mkdirSync(join(root, 'empty dir'));
  writeFileSync(join(root, 'file with spaces.txt'), 'spaces\n');
  writeFileSync(join(root, 'ünïcödé 名前.txt'), 'unicode\n');
  writeFileSync(join(root, 'empty.txt'), '');
  writeFileSync(join(root, 'nested', 'deeper', 'leaf.txt'), 'leaf\n');
  writeFileSync(join(root, 'run.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
  writeFileSync(join(root, `${'long-name-'.repeat(12)}.txt`), 'a name over 100 bytes\n');
  symlinkSync('nested/deeper', join(root, 'link to deeper'));
}

describe('unpackDirectory', () => {
  it('unpacks what packDirectory packed into an equal tree, symlinks and executable bits included', async () => {
    const source = join(temporaryDirectory(), 'tree');
    makeTree(source);
    const layer = await packDirectory(source);
    const { out } = pullSandbox(temporaryDirectory());
    const result = await unpackDirectory(layer.file, out, 'tree', { contentDigest: layer.annotations[ANNOTATION_CONTENT_DIGEST] ?? '' });
    await layer.discard();

    expect(result).toEqual({ path: join(out, 'tree'), files: 6, directories: 4, links: 1 });
    expect(snapshot(join(out, 'tree'))).toEqual(snapshot(source));
    expect(snapshot(join(out, 'tree'))['link to deeper']).toBe('link -> nested/deeper');
    expect(snapshot(join(out, 'tree'))['run.sh']).toMatch(/executable$/);
    expect(readdirSync(out)).toEqual(['tree']);
  });

  it.skipIf(!gnuTar())('unpacks a layer written by GNU tar, and GNU tar extracts what acrx packs to the same tree', async () => {
    const parent = temporaryDirectory();
    makeTree(join(parent, 'tree'));
    const gnuLayer = join(temporaryDirectory(), 'gnu.tar.gz');
    execFileSync('tar', ['-czf', gnuLayer, '-C', parent, 'tree']);
    const { out } = pullSandbox(temporaryDirectory());
    await unpackDirectory(gnuLayer, out, 'tree');
    expect(snapshot(join(out, 'tree'))).toEqual(snapshot(join(parent, 'tree')));

    const ours = await packDirectory(join(parent, 'tree'));
    const extracted = temporaryDirectory();
    execFileSync('tar', ['-xzf', ours.file, '-C', extracted]);
    await ours.discard();
    expect(snapshot(join(extracted, 'tree'))).toEqual(snapshot(join(parent, 'tree')));
  });

  it('unpacks a hard link to an earlier file as a second name of that file', async () => {
    const { archive, out } = withLayer([...GOOD, { path: 't/again.txt', type: 'Link', linkpath: 't/good.txt' }]);
    await unpackDirectory(archive, out, 't');
    expect(readFileSync(join(out, 't', 'again.txt'), 'utf8')).toBe('fine\n');
    expect(statSync(join(out, 't', 'again.txt')).ino).toBe(statSync(join(out, 't', 'good.txt')).ino);
  });

  it('unpacks a layer titled with subdirectories into those directories inside DIR', async () => {
    const { archive, out } = withLayer([{ path: 'a/b/' }, { path: 'a/b/c.txt', body: 'c' }]);
    const result = await unpackDirectory(archive, out, 'a/b');
    expect(result.path).toBe(join(out, 'a', 'b'));
    expect(readFileSync(join(out, 'a', 'b', 'c.txt'), 'utf8')).toBe('c');
  });

  const hostile: [string, CraftedEntry[], RegExp][] = [
    ['an absolute entry path', [...GOOD, { path: '/tmp/acrx-absolute-evil.txt', body: 'x' }], /entry "\/tmp\/acrx-absolute-evil.txt" is an absolute path/],
    ['an entry that climbs out with ..', [...GOOD, { path: 't/../../outside/dotdot.txt', body: 'x' }], /contains a '\.\.' segment/],
    ['an entry that starts with ..', [...GOOD, { path: '../outside/dotdot.txt', body: 'x' }], /contains a '\.\.' segment/],
    ['an entry with a drive letter', [...GOOD, { path: 'C:/evil.txt', body: 'x' }], /starts with a drive letter/],
    ['an entry with a drive-relative name', [...GOOD, { path: 'C:evil.txt', body: 'x' }], /starts with a drive letter/],
    ['an entry with backslashes', [...GOOD, { path: 't\\..\\..\\outside\\bs.txt', body: 'x' }], /contains a backslash/],
    ['a UNC entry path', [...GOOD, { path: '\\\\server\\share\\evil.txt', body: 'x' }], /contains a backslash/],
    ['a UNC entry path with slashes', [...GOOD, { path: '//server/share/evil.txt', body: 'x' }], /is an absolute path/],
    ['a pax path with a NUL in it', [...GOOD, { path: 't/innocent.txt', paxPath: 't/ok\u0000/../../outside/nul.txt', body: 'x' }], /NUL character/],
    ['a GNU long name with a NUL in it', [...GOOD, { path: 't/innocent.txt', gnuLongPath: `t/${'n'.repeat(120)}\u0000/../../outside/nul.txt`, body: 'x' }], /NUL character/],
    ['an entry outside the title', [...GOOD, { path: 'other/x.txt', body: 'x' }], /entry "other\/x.txt" is outside "t"/],
    [
      'an entry through a symlink the archive created earlier',
      [...GOOD, { path: 't/sub/' }, { path: 't/link', type: 'SymbolicLink', linkpath: 'sub' }, { path: 't/link/x.txt', body: 'x' }],
      /entry "t\/link\/x.txt" goes through the symbolic link "t\/link"/,
    ],
    [
      'an entry through a symlink the archive creates later',
      [...GOOD, { path: 't/later/x.txt', body: 'x' }, { path: 't/later', type: 'SymbolicLink', linkpath: 'sub' }, { path: 't/sub/' }],
      /goes through the symbolic link "t\/later"/,
    ],
    ['a symlink that leads outside', [...GOOD, { path: 't/escape', type: 'SymbolicLink', linkpath: '../outside' }], /entry "t\/escape" links to "\.\.\/outside", which leads outside "t"/],
    ['an absolute symlink', [...GOOD, { path: 't/etc', type: 'SymbolicLink', linkpath: '/etc' }], /links to "\/etc", which is an absolute path/],
    [
      'a symlink that leaves only through another symlink',
      [...GOOD, { path: 't/a/' }, { path: 't/a/up', type: 'SymbolicLink', linkpath: '..' }, { path: 't/b', type: 'SymbolicLink', linkpath: 'a/up/..' }],
      /entry "t\/b" links to "a\/up\/\.\.", which leads outside "t"/,
    ],
    ['symlinks that loop', [...GOOD, { path: 't/l1', type: 'SymbolicLink', linkpath: 'l2/x' }, { path: 't/l2', type: 'SymbolicLink', linkpath: 'l1/x' }], /loops through other links/],
    ['a hard link that climbs out', [...GOOD, { path: 't/h', type: 'Link', linkpath: 't/../../outside/secret' }], /entry "t\/h" links to "t\/\.\.\/\.\.\/outside\/secret", which contains a '\.\.' segment/],
    ['an absolute hard link', [...GOOD, { path: 't/h', type: 'Link', linkpath: '/etc/passwd' }], /links to "\/etc\/passwd", which is an absolute path/],
    ['a hard link to a file outside the title', [...GOOD, { path: 'other', type: 'Link', linkpath: 't/good.txt' }], /entry "other" is outside "t"/],
    ['a hard link to a later entry', [...GOOD, { path: 't/h', type: 'Link', linkpath: 't/later.txt' }, { path: 't/later.txt', body: 'x' }], /not an earlier file of the archive/],
    ['a hard link to a directory', [...GOOD, { path: 't/sub/' }, { path: 't/h', type: 'Link', linkpath: 't/sub' }], /not an earlier file of the archive/],
    ['a character device', [...GOOD, { path: 't/null', type: 'CharacterDevice' }], /entry "t\/null" is a character device/],
    ['a block device', [...GOOD, { path: 't/disk', type: 'BlockDevice' }], /is a block device/],
    ['a FIFO', [...GOOD, { path: 't/pipe', type: 'FIFO' }], /is a named pipe \(FIFO\)/],
    ['a type node-tar skips', [...GOOD, { path: 't/sparse', type: 'SparseFile', body: 'x' }], /is of type SparseFile/],
    ['the same file twice', [...GOOD, { path: 't/good.txt', body: 'replaced\n' }], /entry "t\/good.txt" names the same path as an earlier entry/],
    ['a directory over a file of the same name', [...GOOD, { path: 't/good.txt/' }], /names the same path as an earlier entry/],
    ['an entry under a file', [...GOOD, { path: 't/good.txt/x', body: 'x' }], /goes through the file "t\/good.txt"/],
    ['a root that is not a directory', [{ path: 't', body: 'x' }], /is the layer's root "t" but not a directory/],
  ];

  it.each(hostile)('refuses %s and writes nothing, inside DIR or outside it', async (_case, entries, message) => {
    const { base, archive, out, sentinel } = withLayer(entries);
    const before = snapshot(base);
    const unpacking = unpackDirectory(archive, out, 't');
    await expect(unpacking).rejects.toBeInstanceOf(UnsafeArtifactError);
    await expect(unpacking).rejects.toThrow(message);
    await expect(unpacking).rejects.toThrow(/nothing was written/);
    expect(readdirSync(out)).toEqual([]);
    expect(snapshot(base)).toEqual(before);
    expect(readFileSync(sentinel, 'utf8')).toBe('untouched\n');
    expect(existsSync('/tmp/acrx-absolute-evil.txt')).toBe(false);
  });

  it('refuses a title that goes through a symlink already in DIR', async () => {
    const { base, archive, out } = withLayer([{ path: 'link/t/' }, { path: 'link/t/x.txt', body: 'x' }]);
    symlinkSync('../outside', join(out, 'link'));
    const before = snapshot(base);
    await expect(unpackDirectory(archive, out, 'link/t')).rejects.toThrow(/refused the title "link\/t": .*link is a symbolic link/);
    expect(snapshot(base)).toEqual(before);
  });

  it.each([
    ['random bytes', Buffer.from('this is not gzip at all, not even close')],
    ['a gzip of something that is not tar', gzipSync(Buffer.from('plain text, no tar headers\n'.repeat(100)))],
    ['a truncated layer', craftTarGzip([...GOOD, { path: 't/big.txt', body: 'y'.repeat(5000) }]).subarray(0, 60)],
  ])('refuses %s as not a tar+gzip archive', async (_case, bytes) => {
    const { base, archive, out } = withLayer([]);
    writeFileSync(archive, bytes);
    const before = snapshot(base);
    await expect(unpackDirectory(archive, out, 't')).rejects.toThrow(/cannot unpack "t": the layer is not a valid tar\+gzip archive/);
    expect(snapshot(base)).toEqual(before);
  });

  it('refuses content that does not match the io.deis.oras.content.digest annotation', async () => {
    const { base, archive, out } = withLayer(GOOD);
    const before = snapshot(base);
    const wrong = `sha256:${'0'.repeat(64)}`;
    await expect(unpackDirectory(archive, out, 't', { contentDigest: wrong })).rejects.toThrow(/does not match its digest annotation/);
    expect(snapshot(base)).toEqual(before);
  });

  it('refuses to replace an existing directory unless told to, then replaces it whole', async () => {
    const { archive, out } = withLayer(GOOD);
    mkdirSync(join(out, 't'));
    writeFileSync(join(out, 't', 'old.txt'), 'old');
    const refusal = unpackDirectory(archive, out, 't');
    await expect(refusal).rejects.toBeInstanceOf(DestinationExistsError);
    await expect(refusal).rejects.toThrow(/t already exists; refused to overwrite it/);
    expect(readdirSync(join(out, 't'))).toEqual(['old.txt']);

    await unpackDirectory(archive, out, 't', { overwrite: true });
    expect(readdirSync(join(out, 't'))).toEqual(['good.txt']);
    expect(readdirSync(out)).toEqual(['t']);
  });

  it('overwrites a symlink at the destination itself, never the directory it points to', async () => {
    const { archive, out, outside } = withLayer(GOOD);
    symlinkSync('../outside', join(out, 't'));
    await unpackDirectory(archive, out, 't', { overwrite: true });
    expect(lstatSync(join(out, 't')).isDirectory()).toBe(true);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('unpacks what oras marks, reading the title oras writes', async () => {
    const source = join(temporaryDirectory(), 'oras-dir');
    makeTree(source);
    const layer = await packDirectory(source, { title: 'nested/oras-dir' });
    const { out } = pullSandbox(temporaryDirectory());
    await unpackDirectory(layer.file, out, layer.annotations[ANNOTATION_TITLE] ?? '');
    await layer.discard();
    expect(snapshot(join(out, 'nested', 'oras-dir'))).toEqual(snapshot(source));
  });
});
