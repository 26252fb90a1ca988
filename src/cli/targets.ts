// --repository / --image: exactly one of them, each checked against the OCI grammar.
import { UsageError } from '../errors.js';
import { parseImage, validateRepositoryName, type ImageReference } from '../registry/reference.js';

export type Target = { image: ImageReference; repository?: undefined } | { image?: undefined; repository: string };

export function exactlyOneTarget(options: { repository?: string; image?: string }, parsing: { allowDigest: boolean }): Target {
  if ((options.repository === undefined) === (options.image === undefined)) {
    throw new UsageError('usage error: --image IMAGE | --repository REPOSITORY');
  }
  if (options.image !== undefined) return { image: parseImage(options.image, parsing) };
  return { repository: validateRepositoryName(options.repository ?? '') };
}

/** untag needs an explicit tag: a bare name is not taken to mean :latest here. */
export function taggedImage(text: string): ImageReference & { tag: string } {
  const image = parseImage(text, { allowDigest: false });
  if (!text.slice(text.lastIndexOf('/') + 1).includes(':') || !image.tag) {
    throw new UsageError(`--image '${text}' needs a tag: give it as 'name:tag'`);
  }
  return { ...image, tag: image.tag };
}
