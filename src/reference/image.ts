// The OCI grammar for repository names, tags and digests (distribution-spec), and image references.
// Everything a user types is checked here before any request is made.
import { UsageError } from '../errors.js';

const PATH_COMPONENT = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
const REPOSITORY_NAME = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[A-Za-z0-9=_-]+$/;
const KNOWN_DIGEST_LENGTHS: Record<string, number> = { sha256: 64, sha512: 128, blake3: 64 };
const MAX_NAME_LENGTH = 255;

export function validateRepositoryName(name: string): string {
  if (!REPOSITORY_NAME.test(name) || name.length > MAX_NAME_LENGTH) {
    throw new UsageError(
      `invalid repository name '${name}': use lowercase letters, digits and separators (. _ __ -), components joined by '/'`,
    );
  }
  return name;
}

export function validateTag(tag: string): string {
  if (!TAG.test(tag)) {
    throw new UsageError(
      `invalid tag '${tag}': a tag is 1-128 characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'`,
    );
  }
  return tag;
}

export function isDigest(text: string): boolean {
  if (!DIGEST.test(text)) return false;
  const [algorithm, encoded] = text.split(':', 2) as [string, string];
  const length = KNOWN_DIGEST_LENGTHS[algorithm];
  return length === undefined || (encoded.length === length && /^[a-f0-9]+$/.test(encoded));
}

export function validateDigest(digest: string): string {
  if (!isDigest(digest)) {
    throw new UsageError(`invalid digest '${digest}': expected ALGORITHM:HEX, e.g. sha256: followed by 64 lowercase hex digits`);
  }
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
  if (repository.includes(':', repository.lastIndexOf('/') + 1)) {
    throw new UsageError(`invalid image '${text}': give either ':tag' or '@digest', not both`);
  }
  return { repository: validateRepositoryName(repository), digest: validateDigest(text.slice(at + 1)) };
}

/** `R:TAG`, never a digest; a bare `R` means `R:latest` unless the tag is required. */
export function parseTaggedImage(text: string, options: { requireTag?: boolean } = {}): TaggedImage {
  if (text.includes('@')) throw new UsageError(`invalid image '${text}': this command takes 'name:tag', not a digest`);
  const colon = text.lastIndexOf(':');
  if (colon > text.lastIndexOf('/')) {
    return { repository: validateRepositoryName(text.slice(0, colon)), tag: validateTag(text.slice(colon + 1)) };
  }
  if (options.requireTag) throw new UsageError(`invalid image '${text}': it needs a tag: give it as 'name:tag'`);
  return { repository: validateRepositoryName(text), tag: 'latest' };
}

/** What a registry's manifest endpoints take: the digest, else the tag. */
export function referenceOf(image: ImageReference): string {
  return image.digest ?? image.tag;
}

export function formatImage(image: ImageReference): string {
  return image.digest ? `${image.repository}@${image.digest}` : `${image.repository}:${image.tag}`;
}
