// acrx artifact pull: an artifact's files into a directory, as `oras pull` does, each blob verified
// while it streams; never outside the directory, never over a file already there unless told to.
import type { PulledArtifact } from '../../artifact/pull.js';
import { validateMediaType } from '../../artifact/inputs.js';
import { UsageError } from '../../errors.js';
import { parseImage, type ImageReference } from '../../reference/image.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { flagValue, listValue, parseRegistryOptions, repeatable, textValue, type RegistryOptions } from '../options.js';
import { addArtifactFlags, DEFAULT_TRANSFERS } from './flags.js';
import { outputDirectory } from './paths.js';
import { requiredReference } from './references.js';

export interface PullOptions {
  registry: RegistryOptions;
  image: ImageReference;
  directory: string;
  mediaTypes: string[];
  artifactType?: string;
  keepOldFiles: boolean;
  overwrite: boolean;
}

export async function runPull(options: PullOptions, context: CommandContext): Promise<PulledArtifact> {
  const { service } = await context.openRegistry(options.registry);
  const { pullArtifact } = await import('../../artifact/pull.js');
  return pullArtifact(
    service.artifacts(options.image.repository),
    service.loginServer,
    options.image,
    {
      directory: options.directory,
      mediaTypes: options.mediaTypes,
      ...(options.artifactType !== undefined ? { artifactType: options.artifactType } : {}),
      concurrency: options.registry.concurrency ?? DEFAULT_TRANSFERS,
      keepOldFiles: options.keepOldFiles,
      overwrite: options.overwrite,
    },
    context.status,
  );
}

export const pullCommand = defineCommand<PullOptions, PulledArtifact>({
  name: 'pull',
  summary: "Pull an artifact's files into a directory (as oras pull).",
  examples: [
    { summary: 'Pull an artifact\'s files into the directory out.', command: 'acrx artifact pull -n myregistry docs:v1 --output-dir out' },
    { summary: 'Pull only the markdown files, named by the full reference.', command: 'acrx artifact pull localhost:5000/docs:v1 --output-dir out --media-type text/markdown' },
  ],
  flags: (command) => {
    command.argument('<reference>', "the artifact: 'repository:tag' or 'repository@digest'");
    addArtifactFlags(command)
      .requiredOption('--output-dir <dir>', 'the directory to write into (created if missing)')
      .option('--media-type <type>', 'only layers of this media type (repeatable, or comma-separated)', repeatable)
      .option('--artifact-type <type>', 'refuse an artifact of another type')
      .option('--keep-old-files', 'leave files already in the directory as they are, and skip their layers')
      .option('--overwrite', 'replace files already in the directory');
  },
  parse: ({ values, args }) => {
    const keepOldFiles = flagValue(values, 'keepOldFiles');
    const overwrite = flagValue(values, 'overwrite');
    if (keepOldFiles && overwrite) throw new UsageError('--keep-old-files and --overwrite are mutually exclusive');
    const artifactType = textValue(values, 'artifactType');
    const { registry, reference } = requiredReference(args, parseRegistryOptions(values));
    return {
      registry,
      image: parseImage(reference),
      directory: outputDirectory(textValue(values, 'outputDir')),
      mediaTypes: (listValue(values, 'mediaType') ?? []).flatMap((types) => types.split(',')).map((type) => validateMediaType(type, 'media type')),
      ...(artifactType !== undefined ? { artifactType: validateMediaType(artifactType, 'artifact type') } : {}),
      keepOldFiles,
      overwrite,
    };
  },
  run: runPull,
  table: (result) => result.files.map((file) => ({ Path: file.path, Outcome: file.outcome, Size: String(file.size), Digest: file.digest, MediaType: file.mediaType })),
});
