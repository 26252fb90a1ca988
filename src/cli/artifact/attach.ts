// acrx artifact attach: an artifact that refers to an existing manifest (a signature, an SBOM), as
// `oras attach` does; on registries without the referrers API the referrers tag index is kept too.
import type { PushedArtifact } from '../../artifact/push.js';
import { UsageError } from '../../errors.js';
import { parseImage, type ImageReference } from '../../reference/image.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { parseRegistryOptions, type RegistryOptions } from '../options.js';
import { addArtifactFlags, addPushFlags } from './flags.js';
import { parsePushInputs, pushSettings, type PushInputs } from './push.js';
import { requiredReference } from './references.js';

export type AttachOptions = Omit<PushInputs, 'artifactType'> & {
  registry: RegistryOptions;
  subject: ImageReference;
  artifactType: string;
};

export async function runAttach(options: AttachOptions, context: CommandContext): Promise<PushedArtifact> {
  const { registry, subject: image, ...inputs } = options;
  const { service } = await context.openRegistry(registry);
  const store = service.artifacts(image.repository);
  const subject = (await store.fetchManifest(image)).descriptor;
  const { pushArtifact } = await import('../../artifact/push.js');
  return pushArtifact(
    store,
    service.loginServer,
    { ...inputs, tags: [], subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size }, ...pushSettings(registry, context) },
    context.status,
  );
}

export const attachCommand = defineCommand<AttachOptions, PushedArtifact>({
  name: 'attach',
  summary: 'Attach files as an artifact that refers to a manifest (as oras attach).',
  examples: [
    { summary: 'Attach an SBOM to an image.', command: 'acrx artifact attach -n myregistry hello-world:v1 sbom.json:application/spdx+json --artifact-type application/spdx+json' },
  ],
  flags: (command) => {
    command.argument('<reference>', "the subject: 'repository:tag' or 'repository@digest'");
    command.argument('<file...>', 'the files and directories, each as FILE or FILE:MEDIA_TYPE');
    addPushFlags(addArtifactFlags(command));
  },
  parse: ({ values, args }) => {
    const { registry, reference } = requiredReference(args, parseRegistryOptions(values));
    const subject = parseImage(reference);
    const inputs = parsePushInputs(values, args.slice(1));
    if (inputs.artifactType === undefined) throw new UsageError('--artifact-type is required: name what the attached artifact is (e.g. application/vnd.example.signature.v1+json)');
    return { registry, subject, ...inputs, artifactType: inputs.artifactType };
  },
  run: runAttach,
});
