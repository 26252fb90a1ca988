import { createHash } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { ANNOTATION_CONTENT_DIGEST, ANNOTATION_TITLE, ANNOTATION_UNPACK, DIRECTORY_LAYER_MEDIA_TYPE } from '../../../src/artifact/layer.js';
import { packDirectory } from '../../../src/artifact/pack.js';
import { useTemporaryDirectories } from './fixtures.js';

const temporaryDirectory = useTemporaryDirectories();
const isRoot = process.getuid?.() === 0;

function makeTree(root: string): void {
  mkdirSync(join(root, 'b', 'c'), { recursive: true });
  mkdirSync(join(root, 'a-dir'));
  writeFileSync(join(root, 'b', 'c', 'leaf.txt'), 'leaf\n');
  writeFileSync(join(root, 'Z upper.txt'), 'upper\n');
  writeFileSync(join(root, 'é.txt'), 'accent\n');
  writeFileSync(join(root, 'one.txt'), 'same bytes\n');
  writeFileSync(join(root, 'two.txt'), 'same bytes\n');
  writeFileSync(join(root, 'tool'), '#!/bin/sh\n', { mode: 0o755 });
  symlinkSync('b/c', join(root, 'shortcut'));
}

/** Every entry's header, in archive order, as another reader sees it. */
function headersOf(file: string): { path: string; type: string; mode?: number; uid?: number; gid?: number; uname?: string; gname?: string; mtime?: number; linkpath?: string }[] {
  const headers: ReturnType<typeof headersOf> = [];
  const parser = new Parser({ strict: true });
  parser.on('entry', (entry: ReadEntry) => {
    headers.push({
      path: entry.path,
      type: entry.type,
      mode: entry.mode,
      uid: entry.uid,
      gid: entry.gid,
      uname: entry.uname,
      gname: entry.gname,
      mtime: entry.mtime?.getTime(),
      ...(entry.linkpath ? { linkpath: entry.linkpath } : {}),
    });
    entry.resume();
  });
  parser.end(gunzipSync(readFileSync(file)));
  return headers;
}

describe('packDirectory', () => {
  it('packs the same directory to the same digest every time', async () => {
    const tree = join(temporaryDirectory(), 'tree');
    makeTree(tree);
    const first = await packDirectory(tree);
    const second = await packDirectory(tree);
    expect(second.digest).toBe(first.digest);
    expect(second.annotations).toEqual(first.annotations);
    writeFileSync(join(tree, 'one.txt'), 'other bytes\n');
    const changed = await packDirectory(tree);
    expect(changed.digest).not.toBe(first.digest);
    await Promise.all([first.discard(), second.discard(), changed.discard()]);
  });

  it('packs a copy with other times, modes, owners and hard links to the same digest', async () => {
    const original = join(temporaryDirectory(), 'tree');
    makeTree(original);
    const copy = join(temporaryDirectory(), 'tree');
    cpSync(original, copy, { recursive: true, verbatimSymlinks: true });
    const past = new Date('2001-02-03T04:05:06Z');
    for (const path of ['one.txt', 'b/c/leaf.txt', 'b', 'tool', '']) utimesSync(join(copy, path), past, past);
    chmodSync(join(copy, 'one.txt'), 0o600);
    chmodSync(join(copy, 'Z upper.txt'), 0o664);
    chmodSync(join(copy, 'tool'), 0o700);
    chmodSync(join(copy, 'b'), 0o700);
    rmSync(join(copy, 'two.txt'));
    linkSync(join(copy, 'one.txt'), join(copy, 'two.txt'));
    if (isRoot) chownSync(join(copy, 'one.txt'), 1234, 5678);

    const packedOriginal = await packDirectory(original);
    const packedCopy = await packDirectory(copy);
    expect(packedCopy.digest).toBe(packedOriginal.digest);
    expect(packedCopy.size).toBe(packedOriginal.size);
    await Promise.all([packedOriginal.discard(), packedCopy.discard()]);
  });

  it('writes entries under the title, sorted by name, with owner 0, no names, epoch times and normalised modes', async () => {
    const tree = join(temporaryDirectory(), 'tree');
    makeTree(tree);
    chmodSync(join(tree, 'one.txt'), 0o600);
    const layer = await packDirectory(tree);
    const headers = headersOf(layer.file);
    await layer.discard();

    expect(headers.map((header) => header.path)).toEqual([
      'tree/',
      'tree/Z upper.txt',
      'tree/a-dir/',
      'tree/b/',
      'tree/b/c/',
      'tree/b/c/leaf.txt',
      'tree/one.txt',
      'tree/shortcut',
      'tree/tool',
      'tree/two.txt',
      'tree/é.txt',
    ]);
    for (const header of headers) {
      expect(header).toMatchObject({ uid: 0, gid: 0, uname: '', gname: '', mtime: 0 });
      const expectedMode = header.type === 'Directory' || header.path === 'tree/tool' ? 0o755 : header.type === 'SymbolicLink' ? 0o777 : 0o644;
      expect([header.path, header.mode]).toEqual([header.path, expectedMode]);
    }
    expect(headers.find((header) => header.path === 'tree/shortcut')).toMatchObject({ type: 'SymbolicLink', linkpath: 'b/c' });
  });

  it('describes the layer as oras does, with digest and size of the file and the digest of the tar inside', async () => {
    const tree = join(temporaryDirectory(), 'tree');
    makeTree(tree);
    const layer = await packDirectory(tree);
    const bytes = readFileSync(layer.file);
    expect(layer.mediaType).toBe(DIRECTORY_LAYER_MEDIA_TYPE);
    expect(layer.digest).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
    expect(layer.size).toBe(bytes.length);
    expect(layer.annotations).toEqual({
      [ANNOTATION_TITLE]: 'tree',
      [ANNOTATION_UNPACK]: 'true',
      [ANNOTATION_CONTENT_DIGEST]: `sha256:${createHash('sha256').update(gunzipSync(bytes)).digest('hex')}`,
    });
    // The gzip header holds no time and no operating system, as Go's gzip (oras) writes it.
    expect([...bytes.subarray(4, 10)]).toEqual([0, 0, 0, 0, 0, 255]);
    await layer.discard();
    expect(existsSync(layer.file)).toBe(false);
  });

  it('refuses a named pipe inside the directory, naming it, and leaves no temporary file', async () => {
    const tree = join(temporaryDirectory(), 'tree');
    mkdirSync(join(tree, 'sub'), { recursive: true });
    execFileSync('mkfifo', [join(tree, 'sub', 'pipe')]);
    const scratch = temporaryDirectory();
    const packing = packDirectory(tree, { temporaryDirectory: scratch });
    await expect(packing).rejects.toBeInstanceOf(UsageError);
    await expect(packing).rejects.toThrow(`cannot pack ${join(tree, 'sub', 'pipe')}: it is a named pipe (FIFO)`);
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('refuses a socket inside the directory, naming it', async () => {
    const tree = join(temporaryDirectory(), 'tree');
    mkdirSync(tree);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(tree, 'socket'), resolve));
    try {
      await expect(packDirectory(tree)).rejects.toThrow(`cannot pack ${join(tree, 'socket')}: it is a socket`);
    } finally {
      server.close();
    }
  });

  it('refuses a symlink that leads outside the directory, which no puller would unpack', async () => {
    const tree = join(temporaryDirectory(), 'tree');
    mkdirSync(tree);
    symlinkSync('../../etc', join(tree, 'escape'));
    await expect(packDirectory(tree)).rejects.toThrow(/cannot pack .*tree: entry "tree\/escape" links to "\.\.\/\.\.\/etc", which leads outside "tree"/);
  });

  it('refuses a title that is absolute or climbs', async () => {
    const tree = join(temporaryDirectory(), 'tree');
    mkdirSync(tree);
    await expect(packDirectory(tree, { title: '/abs' })).rejects.toThrow(/cannot use "\/abs" as the title .*: it is an absolute path/);
    await expect(packDirectory(tree, { title: 'a/../..' })).rejects.toThrow(/contains a '\.\.' segment/);
  });

  it('refuses a path that does not exist or is not a directory', async () => {
    const base = temporaryDirectory();
    writeFileSync(join(base, 'file.txt'), 'x');
    await expect(packDirectory(join(base, 'missing'))).rejects.toThrow(`${join(base, 'missing')} does not exist`);
    await expect(packDirectory(join(base, 'file.txt'))).rejects.toThrow('is not a directory');
  });

  it(
    'packs a 1 GiB sparse file with flat memory',
    async () => {
      const tree = join(temporaryDirectory(), 'big');
      mkdirSync(tree);
      writeFileSync(join(tree, 'sparse.bin'), '');
      truncateSync(join(tree, 'sparse.bin'), 1024 ** 3);
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 10);
      try {
        const layer = await packDirectory(tree, { temporaryDirectory: tmpdir() });
        expect(layer.size).toBe(readFileSync(layer.file).length);
        await layer.discard();
      } finally {
        clearInterval(sampler);
      }
      expect(peak - before).toBeLessThan(64 * 1024 * 1024);
    },
    60_000,
  );
});
