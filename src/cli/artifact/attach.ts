// acrx artifact attach: an artifact that refers to an existing manifest (a signature, an SBOM), as
// `oras attach` does; on registries without the referrers API the referrers tag index is kept too.
import type { PushedArtifact } from '../../artifact/push.js';
import { UsageError } from '../../errors.js';
import { parseImage, type ImageReference } from '../../reference/image.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { parseRegistryOptions, type RegistryOptions } from '../options.js';
import { addArtifactFlags, addPushFlags, DEFAULT_TRANSFERS } from './flags.js';
import { parsePushInputs, type PushOptions } from './push.js';
import { requiredReference } from './references.js';

export type AttachOptions = Omit<PushOptions, 'repository' | 'tags' | 'mountFrom' | 'artifactType'> & {
  registry: RegistryOptions;
  subject: ImageReference;
  artifactType: string;
};

export async function runAttach(options: AttachOptions, context: CommandContext): Promise<PushedArtifact> {
  const { service } = await context.openRegistry(options.registry);
  const store = service.artifacts(options.subject.repository);
  const subject = (await store.fetchManifest(options.subject)).descriptor;
  const { pushArtifact } = await import('../../artifact/push.js');
  return pushArtifact(
    store,
    service.loginServer,
    {
      tags: [],
      files: options.files,
      ...(options.config ? { config: options.config } : {}),
      artifactType: options.artifactType,
      annotations: options.annotations,
      imageSpec: options.imageSpec,
      concurrency: options.registry.concurrency ?? DEFAULT_TRANSFERS,
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
      ...(options.exportManifest ? { exportManifest: options.exportManifest } : {}),
      now: context.io.now ?? Date.now,
    },
    context.status,
  );
}

export const attachCommand = defineCommand<AttachOptions, PushedArtifact>({
  name: 'attach',
  summary: 'Attach files as an artifact that refers to a manifest (as oras attach).',
  flags: (command) => {
    command.argument('<reference>', "the subject: 'repository:tag' or 'repository@digest'");
    command.argument('<file...>', 'the files and directories, each as FILE or FILE:MEDIA_TYPE');
    addPushFlags(addArtifactFlags(command));
  },
  parse: ({ values, args }) => {
    const subject = parseImage(requiredReference(args));
    const inputs = parsePushInputs(values, args.slice(1));
    if (inputs.artifactType === undefined) throw new UsageError('--artifact-type is required: name what the attached artifact is (e.g. application/vnd.example.signature.v1+json)');
    return { registry: parseRegistryOptions(values), subject, ...inputs, artifactType: inputs.artifactType };
  },
  run: runAttach,
});
