// --repository / --image: exactly one of them, each checked against the OCI grammar.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { parseImage, parseTaggedImage, validateRepositoryName, type TaggedImage } from '../reference/image.js';
import type { AttributeTarget } from '../registry/service/types.js';
import { textValue, type OptionValues } from './options.js';

export function addTargetOptions(command: Command, imageHelp: string): Command {
  return command.option('--repository <repository>', 'the name of the repository').option('-t, --image <image>', imageHelp);
}

export function exactlyOneTarget(values: OptionValues): AttributeTarget {
  const repository = textValue(values, 'repository');
  const image = textValue(values, 'image');
  if ((repository === undefined) === (image === undefined)) {
    throw new UsageError('usage error: --image IMAGE | --repository REPOSITORY');
  }
  if (image !== undefined) return { image: parseImage(image) };
  return { repository: validateRepositoryName(repository ?? '') };
}

export function requiredRepository(values: OptionValues, flag = 'repository'): string {
  const repository = textValue(values, flag);
  if (repository === undefined) throw new UsageError(`the following arguments are required: --${flag}`);
  return validateRepositoryName(repository);
}

/** --image as `name:tag`; with `requireTag` a bare name is not taken to mean :latest (untag). */
export function taggedImage(values: OptionValues, options: { requireTag?: boolean } = {}): TaggedImage {
  const text = textValue(values, 'image');
  if (text === undefined) throw new UsageError('the following arguments are required: --image');
  return parseTaggedImage(text, options);
}
