// A directory layer back into a directory, refusing a hostile archive whole: every entry is checked
// before the first byte is written, the tree is built in a fresh directory beside the destination,
// and only a complete tree is moved into place.
import { createHash } from 'node:crypto';
import { mkdirSync, rmdirSync, rmSync } from 'node:fs';
import { AcrxError, ArchiveRefusal, UnsafeArtifactError } from '../errors.js';
import { canVerify } from '../util/digest.js';
import { checkDestination, prepareDestination, titleSegments } from './destination.js';
import { planEntries, type ArchiveEntry, type PlannedEntry } from './entry-plan.js';
import { extractPlan } from './extract.js';
import { placeDirectory, temporarySibling } from './placement.js';
import { readTarGzip } from './tar-reader.js';

export interface UnpackOptions {
  /** Replace what is at `DIR/<title>` (the whole directory) with the unpacked one. */
  overwrite?: boolean;
  /** The layer's `io.deis.oras.content.digest`: the uncompressed tar must match it. */
  contentDigest?: string;
  signal?: AbortSignal;
}

export interface UnpackedDirectory {
  /** The directory written: `DIR/<title>`. */
  path: string;
  files: number;
  directories: number;
  links: number;
}

/**
 * Unpacks the tar+gzip `archive` (a verified layer blob on disk) into `directory`/`title`, as oras
 * does: its entries must all lie under `title/`. Refused with UnsafeArtifactError, nothing written:
 * a title or entry that is absolute, climbs with `..`, has a drive letter, backslash or NUL, or lies
 * outside `title/`; a device, FIFO or unknown entry type; a name given twice; a path through a
 * symlink or file; a symlink or hard link that leads outside; a content digest mismatch; anything
 * that is not a valid tar+gzip. DestinationExistsError if `DIR/<title>` exists, unless `overwrite`.
 * A failure leaves nothing behind, not even the directories created for a title like `a/b`.
 */
export async function unpackDirectory(archive: string, directory: string, title: string, options: UnpackOptions = {}): Promise<UnpackedDirectory> {
  checkDestination(directory, titleSegments(title), 'directory', options.overwrite === true);
  return placeCheckedLayer(await checkDirectoryLayer(archive, title, options), directory, options);
}

/** A directory layer whose every entry was checked: it can be unpacked without a refusal. */
export interface CheckedLayer {
  archive: string;
  title: string;
  plan: PlannedEntry[];
}

/** The first half of unpackDirectory: refuses a hostile archive (UnsafeArtifactError) before anything is written. */
export async function checkDirectoryLayer(archive: string, title: string, options: UnpackOptions = {}): Promise<CheckedLayer> {
  return { archive, title, plan: await checkArchive(archive, title, titleSegments(title), options) };
}

/** The second half: the checked archive into `directory`/`title`, through a staging directory beside it. */
export async function placeCheckedLayer(layer: CheckedLayer, directory: string, options: UnpackOptions = {}): Promise<UnpackedDirectory> {
  const { archive, plan } = layer;
  const { path, created } = prepareDestination(directory, titleSegments(layer.title), 'directory', options.overwrite === true);
  const staging = temporarySibling(path);
  try {
    mkdirSync(staging, 0o755);
    await extractPlan(archive, plan, staging, options.signal);
    placeDirectory(staging, path, options.overwrite === true);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    for (const parent of created.reverse()) removeIfEmpty(parent);
    throw error;
  }
  return {
    path,
    files: plan.filter((entry) => entry.kind === 'file' || entry.kind === 'hardlink').length,
    directories: plan.filter((entry) => entry.kind === 'directory').length,
    links: plan.filter((entry) => entry.kind === 'symlink').length,
  };
}

/** The first pass: every entry's header (bodies are only hashed), checked as a whole. */
async function checkArchive(archive: string, title: string, root: readonly string[], options: UnpackOptions): Promise<PlannedEntry[]> {
  const entries: ArchiveEntry[] = [];
  const expected = options.contentDigest !== undefined && canVerify(options.contentDigest) ? options.contentDigest : undefined;
  const algorithm = expected?.split(':', 1)[0];
  const hash = algorithm === undefined ? undefined : createHash(algorithm);
  try {
    await readTarGzip(
      archive,
      (entry) => {
        entries.push({ path: entry.path, type: entry.header.type, linkpath: entry.linkpath, size: entry.size, mode: entry.mode });
        entry.resume();
      },
      { onTar: (chunk) => hash?.update(chunk), signal: options.signal },
    );
  } catch (error) {
    if (error instanceof AcrxError || options.signal?.aborted) throw error;
    if (error instanceof ArchiveRefusal) throw new UnsafeArtifactError(`refused to unpack "${title}": ${error.message}; nothing was written`);
    const reason = error instanceof Error ? error.message : String(error);
    throw new UnsafeArtifactError(`cannot unpack "${title}": the layer is not a valid tar+gzip archive (${reason}); nothing was written`, { cause: error });
  }
  if (hash !== undefined && `${algorithm}:${hash.digest('hex')}` !== expected) {
    throw new UnsafeArtifactError(`refused to unpack "${title}": its content does not match its digest annotation ${expected}; nothing was written`);
  }
  const checked = planEntries(root, entries);
  if ('problem' in checked) throw new UnsafeArtifactError(`refused to unpack "${title}": ${checked.problem}; nothing was written`);
  return checked.plan;
}

/** A directory made for the title goes again, unless something else has been put in it meanwhile. */
function removeIfEmpty(directory: string): void {
  try {
    rmdirSync(directory);
  } catch {
    // Not empty, or already gone: either way not ours to remove.
  }
}
