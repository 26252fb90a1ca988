// Hand-made layers and file-tree snapshots for the artifact tests: crafted archives hold exactly the
// headers given, however hostile, as an attacker's registry would serve them.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Header, Pax, type HeaderData } from 'tar';
import { afterEach } from 'vitest';

export interface CraftedEntry {
  path: string;
  type?: HeaderData['type'];
  body?: string;
  linkpath?: string;
  mode?: number;
  /** A pax header giving this path instead, as raw as it comes. */
  paxPath?: string;
  /** A GNU long-name entry (typeflag L) giving this path instead. */
  gnuLongPath?: string;
}

/** A tar+gzip of exactly these headers and bodies, in this order. */
export function craftTarGzip(entries: readonly CraftedEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    if (entry.paxPath !== undefined) blocks.push(new Pax({ path: entry.paxPath }).encode());
    if (entry.gnuLongPath !== undefined) blocks.push(...record({ path: '././@LongLink', type: 'NextFileHasLongPath' }, entry.gnuLongPath));
    const type = entry.type ?? (entry.path.endsWith('/') ? 'Directory' : 'File');
    const mode = entry.mode ?? (type === 'Directory' ? 0o755 : 0o644);
    blocks.push(...record({ path: entry.path, type, mode, ...(entry.linkpath === undefined ? {} : { linkpath: entry.linkpath }) }, entry.body ?? ''));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

function record(fields: HeaderData, body: string): Buffer[] {
  const bytes = Buffer.from(body, 'utf8');
  const header = Buffer.alloc(512);
  new Header({ uid: 0, gid: 0, mtime: new Date(0), ...fields, size: bytes.length }).encode(header);
  const padding = (512 - (bytes.length % 512)) % 512;
  return [header, bytes, Buffer.alloc(padding)];
}

/** What a tree holds, path by path: directories, files with their content and executable bit, links with their target. */
export function snapshot(root: string): Record<string, string> {
  const result: Record<string, string> = {};
  const visit = (directory: string, prefix: string): void => {
    for (const name of readdirSync(directory).sort()) {
      const path = join(directory, name);
      const key = prefix === '' ? name : `${prefix}/${name}`;
      const stats = lstatSync(path);
      if (stats.isSymbolicLink()) result[key] = `link -> ${readlinkSync(path)}`;
      else if (stats.isDirectory()) {
        result[key] = 'dir';
        visit(path, key);
      } else {
        const digest = createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
        result[key] = `file ${digest}${(stats.mode & 0o111) !== 0 ? ' executable' : ''}`;
      }
    }
  };
  visit(root, '');
  return result;
}

/** A fresh temporary directory per test, removed after it. */
export function useTemporaryDirectories(): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const directory of made.splice(0)) rmSync(directory, { recursive: true, force: true });
  });
  return () => {
    const directory = mkdtempSync(join(tmpdir(), 'acrx-artifact-test-'));
    made.push(directory);
    return directory;
  };
}

/** A sandbox for a pull: `out/` (the empty output directory), `outside/`, and a sentinel file beside them. */
export function pullSandbox(base: string): { out: string; outside: string; sentinel: string } {
  const out = join(base, 'out');
  const outside = join(base, 'outside');
  const sentinel = join(base, 'sentinel.txt');
  mkdirSync(out);
  mkdirSync(outside);
  writeFileSync(sentinel, 'untouched\n');
  return { out, outside, sentinel };
}
