// acrx artifact push: files (and directories) as an OCI artifact under one or more tags, as `oras
// push` does, streamed from disk.
import { checkDistinctTitles, parseAnnotations, parseFileInput, validateMediaType } from '../../artifact/inputs.js';
import type { ImageSpec } from '../../artifact/manifest.js';
import type { PushedArtifact, PushRequest } from '../../artifact/push.js';
import { UsageError } from '../../errors.js';
import { parseTaggedImage, validateRepositoryName, validateTag } from '../../reference/image.js';
import { quote } from '../../reference/quote.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { listValue, parseRegistryOptions, textValue, type OptionValues, type RegistryOptions } from '../options.js';
import { addArtifactFlags, addPushFlags, DEFAULT_TRANSFERS } from './flags.js';
import { exportManifestPath } from './paths.js';
import { requiredReference } from './references.js';

/** What the command line says of the artifact: the push request but for what the run adds. */
export type PushInputs = Pick<PushRequest, 'files' | 'config' | 'artifactType' | 'annotations' | 'imageSpec' | 'exportManifest'>;

export type PushOptions = PushInputs & {
  registry: RegistryOptions;
  repository: string;
  tags: string[];
  mountFrom?: string;
};

export async function runPush(options: PushOptions, context: CommandContext): Promise<PushedArtifact> {
  const { registry, repository, ...request } = options;
  const { service } = await context.openRegistry(registry);
  const { pushArtifact } = await import('../../artifact/push.js');
  return pushArtifact(service.artifacts(repository), service.loginServer, { ...request, ...pushSettings(registry, context) }, context.status);
}

/** What a push takes from the session rather than the artifact: transfers at once, the clock. */
export function pushSettings(registry: RegistryOptions, context: CommandContext): Pick<PushRequest, 'concurrency' | 'now'> {
  return { concurrency: registry.concurrency ?? DEFAULT_TRANSFERS, now: context.io.now ?? Date.now };
}

/** `REPO:TAG[,TAG2...]`: a push names its tags. */
function parseTags(reference: string): { repository: string; tags: string[] } {
  const [first, ...more] = reference.split(',');
  const image = parseTaggedImage(first ?? '', { requireTag: true });
  return { repository: image.repository, tags: [image.tag, ...more.map(validateTag)] };
}

/** The files and flags every pushing command shares (push, attach). */
export function parsePushInputs(values: OptionValues, files: readonly string[]): PushInputs {
  if (files.length === 0) throw new UsageError('name at least one file to push: FILE[:MEDIA_TYPE]...');
  const inputs = files.map(parseFileInput);
  checkDistinctTitles(inputs);
  const artifactType = textValue(values, 'artifactType');
  const config = textValue(values, 'config');
  const annotationFile = textValue(values, 'annotationFile');
  const exportManifest = textValue(values, 'exportManifest');
  const imageSpec = textValue(values, 'imageSpec') ?? 'v1.1';
  if (imageSpec !== 'v1.1' && imageSpec !== 'v1.0') throw new UsageError(`argument --image-spec: ${quote(imageSpec)} is not v1.1 or v1.0`);
  const configInput = config !== undefined ? parseFileInput(config) : undefined;
  if (configInput?.directory) throw new UsageError(`--config '${config}' is a directory; a config is one file`);
  return {
    files: inputs,
    ...(configInput ? { config: configInput } : {}),
    ...(artifactType !== undefined ? { artifactType: validateMediaType(artifactType, 'artifact type') } : {}),
    annotations: parseAnnotations(listValue(values, 'annotation') ?? [], annotationFile),
    imageSpec: imageSpec as ImageSpec,
    ...(exportManifest !== undefined ? { exportManifest: exportManifestPath(exportManifest) } : {}),
  };
}

export const pushCommand = defineCommand<PushOptions, PushedArtifact>({
  name: 'push',
  summary: 'Push files and directories as an OCI artifact (as oras push).',
  examples: [
    { summary: 'Push a file as an artifact of a type of your own.', command: 'acrx artifact push -n myregistry docs:v1 readme.md:text/markdown --artifact-type application/vnd.example.docs' },
    { summary: 'Push a directory under two tags to a local registry.', command: 'acrx artifact push localhost:5000/site:v2,latest ./public' },
  ],
  flags: (command) => {
    command.argument('<reference>', "where to push: 'repository:tag', or several tags as 'repository:tag1,tag2'");
    command.argument('<file...>', "the files and directories, each as FILE or FILE:MEDIA_TYPE");
    addPushFlags(addArtifactFlags(command));
    command.option('--from <repository>', 'a repository of the same registry that may hold the blobs already (mounted, not uploaded)');
  },
  parse: ({ values, args }) => {
    const { registry, reference } = requiredReference(args, parseRegistryOptions(values));
    const { repository, tags } = parseTags(reference);
    const from = textValue(values, 'from');
    const mountFrom = from === undefined ? undefined : validateRepositoryName(from);
    return {
      registry,
      repository,
      tags,
      ...parsePushInputs(values, args.slice(1)),
      ...(mountFrom !== undefined ? { mountFrom } : {}),
    };
  },
  run: runPush,
});
