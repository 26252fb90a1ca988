// --repository / --image: exactly one of them, each checked against the OCI grammar.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { parseImage, parseTaggedImage, validateRepositoryName, type TaggedImage } from '../reference/image.js';
import type { AttributeTarget } from '../registry/service/types.js';
import { textValue, type OptionValues, type RegistryOptions } from './options.js';
import { registryFromReference } from './registry-in-reference.js';

export function addTargetOptions(command: Command, imageHelp: string): Command {
  return command.option('--repository <repository>', 'the name of the repository').option('-t, --image <image>', imageHelp);
}

/** --image or --repository; an --image with its registry in front may name the registry (see registry-in-reference.ts). */
export function exactlyOneTarget(values: OptionValues, registry: RegistryOptions): { registry: RegistryOptions; target: AttributeTarget } {
  const repository = textValue(values, 'repository');
  const image = textValue(values, 'image');
  if ((repository === undefined) === (image === undefined)) {
    throw new UsageError('usage error: --image IMAGE | --repository REPOSITORY');
  }
  if (image === undefined) return { registry, target: { repository: validateRepositoryName(repository ?? '') } };
  const qualified = registryFromReference(image, registry, '--image');
  return { registry: qualified.registry, target: { image: parseImage(qualified.reference) } };
}

export function requiredRepository(values: OptionValues, flag = 'repository'): string {
  const repository = textValue(values, flag);
  if (repository === undefined) throw new UsageError(`the following arguments are required: --${flag}`);
  return validateRepositoryName(repository);
}

/** --image as `name:tag`; with `requireTag` a bare name is not taken to mean :latest (untag). */
export function taggedImage(values: OptionValues, registry: RegistryOptions, options: { requireTag?: boolean } = {}): { registry: RegistryOptions; image: TaggedImage } {
  const text = textValue(values, 'image');
  if (text === undefined) throw new UsageError('the following arguments are required: --image');
  const qualified = registryFromReference(text, registry, '--image');
  return { registry: qualified.registry, image: parseTaggedImage(qualified.reference, options) };
}
