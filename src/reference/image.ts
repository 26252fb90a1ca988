// Repository names, tags, digests and image references, as grammar.ts defines them. Everything a user
// types is checked here before any request; a refusal is a UsageError saying which part is wrong.
import { UsageError } from '../errors.js';
import {
  DIGEST_HEX_LENGTHS,
  DIGEST_PATTERN,
  NAME_MAX_LENGTH,
  PATH_COMPONENT_PATTERN,
  REMOTE_NAME_PATTERN,
  TAG_MAX_LENGTH,
  TAG_PATTERN,
} from './grammar.js';
import { quote } from './quote.js';

function isRepositoryName(name: string): boolean {
  return name.length <= NAME_MAX_LENGTH && REMOTE_NAME_PATTERN.test(name);
}

export function validateRepositoryName(name: string): string {
  if (!isRepositoryName(name)) throw new UsageError(`invalid repository name ${quote(name)}: ${repositoryNameProblem(name)}`);
  return name;
}

function isTag(tag: string): boolean {
  return TAG_PATTERN.test(tag);
}

export function validateTag(tag: string): string {
  if (!isTag(tag)) throw new UsageError(`invalid tag ${quote(tag)}: ${tagProblem(tag)}`);
  return tag;
}

export function isDigest(text: string): boolean {
  const match = DIGEST_PATTERN.exec(text);
  return match !== null && match[2]?.length === DIGEST_HEX_LENGTHS.get(match[1] ?? '');
}

export function validateDigest(digest: string): string {
  if (!isDigest(digest)) throw new UsageError(`invalid digest ${quote(digest)}: ${digestProblem(digest)}`);
  return digest;
}

/** A manifest named by tag or by digest (never both). */
export type ImageReference = TaggedImage | DigestImage;
export interface TaggedImage {
  repository: string;
  tag: string;
  digest?: undefined;
}
export interface DigestImage {
  repository: string;
  digest: string;
  tag?: undefined;
}

/** `R:TAG` or `R@DIGEST`; a bare `R` means `R:latest` (as az does). */
export function parseImage(text: string): ImageReference {
  const at = text.indexOf('@');
  if (at < 0) return parseTaggedImage(text);
  const repository = text.slice(0, at);
  const digest = text.slice(at + 1);
  if (repository.includes(':', repository.lastIndexOf('/') + 1)) {
    throw new UsageError(`invalid image ${quote(text)}: give either ':tag' or '@digest', not both`);
  }
  if (repository === '') throw new UsageError(`invalid image ${quote(text)}: the repository name before '@' is empty`);
  if (digest === '') throw new UsageError(`invalid image ${quote(text)}: the digest after '@' is empty`);
  return { repository: validateRepositoryName(repository), digest: validateDigest(digest) };
}

/** `R:TAG`, never a digest; a bare `R` means `R:latest` unless the tag is required. */
export function parseTaggedImage(text: string, options: { requireTag?: boolean } = {}): TaggedImage {
  if (text.includes('@')) throw new UsageError(`invalid image ${quote(text)}: this command takes 'name:tag', not a digest`);
  const colon = text.lastIndexOf(':');
  if (colon > text.lastIndexOf('/')) {
    const repository = text.slice(0, colon);
    const tag = text.slice(colon + 1);
    if (repository === '') throw new UsageError(`invalid image ${quote(text)}: the repository name before ':' is empty`);
    if (tag === '') throw new UsageError(`invalid image ${quote(text)}: the tag after ':' is empty`);
    return { repository: validateRepositoryName(repository), tag: validateTag(tag) };
  }
  if (text === '') throw new UsageError("invalid image '': give it as 'name:tag'");
  if (options.requireTag) throw new UsageError(`invalid image ${quote(text)}: it needs a tag: give it as 'name:tag'`);
  return { repository: validateRepositoryName(text), tag: 'latest' };
}

/** What a registry's manifest endpoints take: the digest, else the tag. */
export function referenceOf(image: ImageReference): string {
  return image.digest ?? image.tag;
}

export function formatImage(image: ImageReference): string {
  return image.digest ? `${image.repository}@${image.digest}` : `${image.repository}:${image.tag}`;
}

// ---- why a part was refused: the first problem found, in the user's terms --------------------

function repositoryNameProblem(name: string): string {
  if (name === '') return 'it is empty';
  if (name.length > NAME_MAX_LENGTH) return `it is ${name.length} characters long; the limit is ${NAME_MAX_LENGTH}`;
  const stray = /[^a-z0-9._\/-]/u.exec(name)?.[0];
  if (stray !== undefined && /[A-Z]/.test(stray)) return `upper case ${quote(stray)} is not allowed: repository names are lower case`;
  if (stray !== undefined) return `${quote(stray)} is not allowed: use lowercase letters, digits, separators (. _ __ -) and '/'`;
  const components = name.split('/');
  if (components.includes('')) return "a path component is empty: no leading, trailing or double '/'";
  const bad = components.find((component) => !PATH_COMPONENT_PATTERN.test(component)) ?? name;
  if (/^[._-]|[._-]$/.test(bad)) return `the component ${quote(bad)} starts or ends with a separator`;
  return `the component ${quote(bad)} joins its parts with something other than one separator (. _ __ or dashes)`;
}

function tagProblem(tag: string): string {
  if (tag === '') return 'it is empty';
  if (tag.length > TAG_MAX_LENGTH) return `it is ${tag.length} characters long; the limit is ${TAG_MAX_LENGTH}`;
  const stray = /[^\w.-]/u.exec(tag)?.[0];
  if (stray !== undefined) return `${quote(stray)} is not allowed: use letters, digits, '_', '.' and '-'`;
  return "a tag cannot start with '.' or '-'";
}

function digestProblem(digest: string): string {
  const colon = digest.indexOf(':');
  if (colon < 0) return 'expected ALGORITHM:HEX, e.g. sha256: followed by 64 lowercase hex digits';
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const length = DIGEST_HEX_LENGTHS.get(algorithm);
  if (length === undefined) return `unsupported algorithm ${quote(algorithm)}: use ${[...DIGEST_HEX_LENGTHS.keys()].join(', ')}`;
  return `${algorithm} takes exactly ${length} lowercase hex digits (0-9, a-f), not ${quote(hex)}`;
}
