// What the user names on the command line for a push: files with an optional media type, annotations
// (repeated KEY=VALUE, or oras's annotation file), all checked before any request.
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { UsageError } from '../errors.js';

// RFC 6838 type/subtype, as registries and the image spec accept media types.
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

export function validateMediaType(text: string, what: string): string {
  if (!MEDIA_TYPE.test(text)) throw new UsageError(`invalid ${what} '${text}': a media type is type/subtype, e.g. application/vnd.example.sbom.v1+json`);
  return text;
}

export interface FileInput {
  /** As given, for messages. */
  path: string;
  /** The name it is stored under (org.opencontainers.image.title): the file's or directory's own name. */
  title: string;
  /** Given after a colon, else undefined (the push picks oras's defaults). */
  mediaType?: string;
  directory: boolean;
  size: number;
}

/**
 * `FILE[:MEDIA_TYPE]`. A colon starts a media type only when what follows has a slash, so a file
 * named `a:b.txt` is still a file; what follows a colon and has a slash must be a valid media type.
 */
export function parseFileInput(text: string): FileInput {
  const colon = text.lastIndexOf(':');
  const suffix = colon > 0 ? text.slice(colon + 1) : '';
  const typed = suffix.includes('/');
  const path = typed ? text.slice(0, colon) : text;
  if (typed && !MEDIA_TYPE.test(suffix)) throw badFileMediaType(suffix, path);
  const mediaType = typed ? suffix : undefined;
  let stats;
  try {
    stats = statSync(path);
    accessSync(path, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // `file.txt:sbom` names no file; if `file.txt` is one, the mistake is the media type.
    if (code === 'ENOENT' && colon > 0 && !typed && existsSync(text.slice(0, colon))) throw badFileMediaType(suffix, text.slice(0, colon));
    if (code === 'ENOENT') throw new UsageError(`no such file or directory: '${path}'`);
    throw new UsageError(`cannot read '${path}': ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? String(error))}`);
  }
  if (!stats.isFile() && !stats.isDirectory()) throw new UsageError(`'${path}' is neither a file nor a directory`);
  const title = basename(path.replace(/\/+$/, ''));
  if (!title || title === '.' || title === '..') throw new UsageError(`'${path}' has no name to store it under; name the file or directory itself`);
  return { path, title, ...(mediaType ? { mediaType } : {}), directory: stats.isDirectory(), size: stats.isFile() ? stats.size : 0 };
}

function badFileMediaType(mediaType: string, path: string): UsageError {
  return new UsageError(`invalid media type '${mediaType}' for '${path}': a media type is type/subtype, e.g. application/vnd.example.sbom.v1+json`);
}

/** Every title once: two files of the same name would overwrite each other on pull. */
export function checkDistinctTitles(inputs: readonly FileInput[]): void {
  const seen = new Map<string, string>();
  for (const input of inputs) {
    const earlier = seen.get(input.title);
    if (earlier !== undefined) throw new UsageError(`'${earlier}' and '${input.path}' would both be stored as '${input.title}'`);
    seen.set(input.title, input.path);
  }
}

/** The annotations of a push: the manifest's, the config's, and each file's (by title). */
export interface Annotations {
  manifest: Record<string, string>;
  config: Record<string, string>;
  files: Record<string, Record<string, string>>;
}

/** `--annotation KEY=VALUE` (repeatable) for the manifest, and `--annotation-file` in oras's format. */
export function parseAnnotations(pairs: readonly string[], file: string | undefined): Annotations {
  const annotations: Annotations = { manifest: {}, config: {}, files: {} };
  if (file !== undefined) Object.assign(annotations, readAnnotationFile(file));
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals < 1) throw new UsageError(`invalid annotation '${pair}': expected KEY=VALUE`);
    annotations.manifest[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return annotations;
}

/** `{"$manifest": {...}, "$config": {...}, "<file title>": {...}}`, every value a string. */
function readAnnotationFile(path: string): Annotations {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code ? `cannot read the annotation file '${path}': ${code}` : `the annotation file '${path}' is not JSON`);
  }
  if (!isStringMapOfMaps(parsed)) {
    throw new UsageError(`the annotation file '${path}' must map "$manifest", "$config" or file names to objects of string values`);
  }
  const { $manifest, $config, ...files } = parsed;
  return { manifest: { ...$manifest }, config: { ...$config }, files };
}

function isStringMapOfMaps(value: unknown): value is Record<string, Record<string, string>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every(
    (inner) => typeof inner === 'object' && inner !== null && !Array.isArray(inner) && Object.values(inner).every((item) => typeof item === 'string'),
  );
}
