// What a directory layer may contain, decided from the entry list alone before anything is written:
// the unpack refuses a hostile archive whole, and the pack refuses to push what acrx would not pull.
import type { Header } from 'tar';
import { parseRelativeName } from './names.js';

/** A tar entry as the archive declares it; `type` is node-tar's name for the typeflag. */
export interface ArchiveEntry {
  path: string;
  type: Header['type'];
  linkpath: string | undefined;
  size: number;
  mode: number | undefined;
}

/** `path` is inside the unpacked root, '/'-separated, '' for the root itself. */
export type PlannedEntry = { entry: ArchiveEntry; path: string } & (
  | { kind: 'directory' }
  | { kind: 'file'; executable: boolean }
  | { kind: 'symlink'; target: string }
  | { kind: 'hardlink'; target: string }
);
type Kind = PlannedEntry['kind'];

const KINDS: Partial<Readonly<Record<Header['type'], Kind>>> = {
  File: 'file',
  OldFile: 'file',
  ContiguousFile: 'file',
  Directory: 'directory',
  SymbolicLink: 'symlink',
  Link: 'hardlink',
};
const DESCRIPTIONS: Partial<Readonly<Record<Header['type'], string>>> = {
  CharacterDevice: 'a character device',
  BlockDevice: 'a block device',
  FIFO: 'a named pipe (FIFO)',
};
// As many links as Linux follows in one path before ELOOP.
const MAX_LINK_HOPS = 40;

/**
 * The entries of a layer whose entries all live under `root` (the title's segments, as oras writes
 * them), or the first reason to refuse it: a type other than file, directory or link; a name that
 * is absolute, climbs with `..`, or lies outside `root`; a name given twice; a path through a
 * symlink or a file; a symlink that resolves outside `root` (also through other symlinks of the
 * archive); a hard link to anything but an earlier file of the archive.
 */
export function planEntries(root: readonly string[], entries: readonly ArchiveEntry[]): { plan: PlannedEntry[] } | { problem: string } {
  const rootName = root.join('/');
  const plan: PlannedEntry[] = [];
  const byPath = new Map<string, { kind: Kind; index: number; target?: string }>();
  for (const [index, entry] of entries.entries()) {
    const refuse = (why: string): { problem: string } => ({ problem: `entry "${entry.path}" ${why}` });
    const kind = KINDS[entry.type];
    if (kind === undefined) {
      return refuse(`is ${DESCRIPTIONS[entry.type] ?? `of type ${entry.type}`}; only files, directories and links are unpacked`);
    }
    const inside = insideRoot(root, entry.path);
    if ('problem' in inside) return refuse(inside.problem);
    const path = inside.segments.join('/');
    if (path === '' && kind !== 'directory') return refuse(`is the layer's root "${rootName}" but not a directory`);
    if (byPath.has(path)) return refuse('names the same path as an earlier entry');
    if (kind === 'symlink' || kind === 'hardlink') {
      const target = entry.linkpath ?? '';
      const parsed = kind === 'symlink' ? parseRelativeName(target, true) : insideRoot(root, target);
      if ('problem' in parsed) return refuse(`links to "${target}", which ${parsed.problem}`);
      const resolved = parsed.segments.join('/');
      byPath.set(path, { kind, index, target: resolved });
      plan.push({ entry, path, kind, target: kind === 'symlink' ? target : resolved });
    } else {
      byPath.set(path, { kind, index });
      plan.push(kind === 'file' ? { entry, path, kind, executable: ((entry.mode ?? 0) & 0o111) !== 0 } : { entry, path, kind });
    }
  }

  for (const [index, planned] of plan.entries()) {
    const refuse = (why: string): { problem: string } => ({ problem: `entry "${planned.entry.path}" ${why}` });
    const segments = planned.path === '' ? [] : planned.path.split('/');
    for (let depth = 1; depth < segments.length; depth += 1) {
      const ancestor = segments.slice(0, depth).join('/');
      const kind = byPath.get(ancestor)?.kind;
      if (kind === 'symlink') return refuse(`goes through the symbolic link "${rootName}/${ancestor}"`);
      if (kind === 'file' || kind === 'hardlink') return refuse(`goes through the file "${rootName}/${ancestor}"`);
    }
    if (planned.kind === 'symlink') {
      const escape = resolveLink(segments.slice(0, -1), planned.target, byPath);
      if (escape === 'outside') return refuse(`links to "${planned.target}", which leads outside "${rootName}"`);
      if (escape === 'loop') return refuse(`links to "${planned.target}", which loops through other links`);
    }
    if (planned.kind === 'hardlink') {
      const target = byPath.get(planned.target);
      if (target?.kind !== 'file' || target.index >= index) {
        return refuse(`is a hard link to "${planned.entry.linkpath ?? ''}", which is not an earlier file of the archive`);
      }
    }
  }
  return { plan };
}

/** The name's segments below `root`, which the name must start with. */
function insideRoot(root: readonly string[], name: string): { segments: string[] } | { problem: string } {
  const parsed = parseRelativeName(name);
  if ('problem' in parsed) return parsed;
  const { segments } = parsed;
  if (segments.length < root.length || root.some((segment, i) => segments[i] !== segment)) {
    return { problem: `is outside "${root.join('/')}"` };
  }
  return { segments: segments.slice(root.length) };
}

/**
 * Resolves a symlink's target the way the file system will once every entry exists: segment by
 * segment from the link's directory, replacing each symlink of the archive by its own target, so
 * that `b -> a/s/..` with `a/s -> ..` is seen to leave the root. Undefined if it stays inside.
 */
function resolveLink(from: readonly string[], target: string, byPath: ReadonlyMap<string, { kind: Kind; target?: string }>): 'outside' | 'loop' | undefined {
  const position = [...from];
  const pending = target.split('/');
  let hops = 0;
  for (let segment = pending.shift(); segment !== undefined; segment = pending.shift()) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (position.length === 0) return 'outside';
      position.pop();
      continue;
    }
    position.push(segment);
    const link = byPath.get(position.join('/'));
    if (link?.kind === 'symlink') {
      hops += 1;
      if (hops > MAX_LINK_HOPS) return 'loop';
      position.pop();
      pending.unshift(...(link.target ?? '').split('/'));
    }
  }
  return undefined;
}
