// A directory pushed as one layer: a reproducible tar+gzip written to a temporary file while its
// digest and size are computed, since the push needs both before the upload starts.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { UsageError } from '../errors.js';
import { planEntries } from './entry-plan.js';
import { ANNOTATION_CONTENT_DIGEST, ANNOTATION_TITLE, ANNOTATION_UNPACK, DIRECTORY_LAYER_MEDIA_TYPE } from './layer.js';
import { parseRelativeName } from './names.js';
import { archiveEntryOf, tarEntries } from './tar-writer.js';
import { walkDirectory } from './walk.js';

export interface PackOptions {
  /** The layer's title and the top directory of every entry; the directory's own name by default. */
  title?: string;
  /** Where the temporary tar+gzip goes; the system's temporary directory by default. */
  temporaryDirectory?: string;
  signal?: AbortSignal;
}

export interface PackedDirectory {
  /** The tar+gzip to upload; `discard()` removes it. */
  file: string;
  mediaType: typeof DIRECTORY_LAYER_MEDIA_TYPE;
  digest: string;
  size: number;
  /** The title, the unpack mark and the uncompressed tar's digest, as oras sets them. */
  annotations: Record<string, string>;
  discard(): Promise<void>;
}

// Go's compress/gzip (oras) writes 255, "unknown", where zlib writes the OS it was built for.
const GZIP_OS_OFFSET = 9;
const GZIP_OS_UNKNOWN = 255;

/**
 * Packs `directory` as oras does, under its title, reproducibly: the same tree gives the same digest
 * whatever its files' times, owners, umask-dependent modes or hard links. Refused with a UsageError
 * (nothing uploaded yet): special files, names that are not UTF-8, and anything acrx would refuse
 * to unpack, such as a symlink that leads outside the directory.
 */
export async function packDirectory(directory: string, options: PackOptions = {}): Promise<PackedDirectory> {
  const title = options.title ?? basename(resolve(directory));
  const parsedTitle = parseRelativeName(title);
  if ('problem' in parsedTitle || parsedTitle.segments.length === 0) {
    throw new UsageError(`cannot use "${title}" as the title of ${directory}: it ${'problem' in parsedTitle ? parsedTitle.problem : 'names no file'}`);
  }
  const prefix = parsedTitle.segments.join('/');
  const temporary = await mkdtemp(join(options.temporaryDirectory ?? tmpdir(), 'acrx-pack-'));
  const discard = (): Promise<void> => rm(temporary, { recursive: true, force: true });
  try {
    const entries = await walkDirectory(directory, await stat(temporary));
    const checked = planEntries(parsedTitle.segments, entries.map((entry) => archiveEntryOf(entry, prefix)));
    if ('problem' in checked) throw new UsageError(`cannot pack ${directory}: ${checked.problem}`);

    const file = join(temporary, 'layer.tar.gz');
    const tarHash = createHash('sha256');
    const gzipHash = createHash('sha256');
    let size = 0;
    const hashTar = async function* (chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
      for await (const chunk of chunks) {
        tarHash.update(chunk);
        yield chunk;
      }
    };
    const normaliseAndHashGzip = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        if (size <= GZIP_OS_OFFSET && GZIP_OS_OFFSET < size + chunk.length) chunk[GZIP_OS_OFFSET - size] = GZIP_OS_UNKNOWN;
        size += chunk.length;
        gzipHash.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(
      // Bytes, not objects: the buffering between stages is counted in bytes, so memory stays flat.
      Readable.from(tarEntries(entries, prefix, options.signal), { objectMode: false }),
      hashTar,
      // A fixed level: the compressed bytes, and so the digest, depend on it.
      createGzip({ level: 6 }),
      normaliseAndHashGzip,
      createWriteStream(file, { flags: 'wx', mode: 0o600 }),
      { signal: options.signal },
    );
    return {
      file,
      mediaType: DIRECTORY_LAYER_MEDIA_TYPE,
      digest: `sha256:${gzipHash.digest('hex')}`,
      size,
      annotations: {
        [ANNOTATION_TITLE]: prefix,
        [ANNOTATION_CONTENT_DIGEST]: `sha256:${tarHash.digest('hex')}`,
        [ANNOTATION_UNPACK]: 'true',
      },
      discard,
    };
  } catch (error) {
    await discard();
    throw error;
  }
}
