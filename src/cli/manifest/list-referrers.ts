// acrx manifest list-referrers: the artifacts that refer to a manifest (signatures, SBOMs, ...), through
// the OCI referrers API, or its tag schema on registries without it. --recursive follows referrers of
// referrers to every depth, as az does.
import { validateMediaType } from '../../artifact/inputs.js';
import type { TableRows } from '../../output/render.js';
import { transformerCell, valueAt } from '../../output/table-cell.js';
import type { ImageReference } from '../../reference/image.js';
import type { ReferrerDescriptor } from '../../registry/attributes.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { flagValue, textValue, type RegistryOptions } from '../options.js';
import { addManifestTarget, parseManifestTarget } from './target.js';

export interface ListReferrersOptions {
  registry: RegistryOptions;
  image: ImageReference;
  artifactType?: string;
  recursive: boolean;
}

/** az's answer: every page's descriptors under `manifests`, as the referrers API names them. */
export interface ReferrerList {
  manifests: ReferrerDescriptor[];
}

export async function runListReferrers(options: ListReferrersOptions, context: CommandContext): Promise<ReferrerList> {
  const { service } = await context.openRegistry(options.registry);
  const digest = await service.resolveDigest(options.image);
  const manifests = await service.listReferrers(options.image.repository, digest, {
    ...(options.artifactType !== undefined ? { artifactType: options.artifactType } : {}),
    recursive: options.recursive,
  });
  return { manifests };
}

/** az's list_referrers_output_format. */
export function referrersTable(result: ReferrerList): TableRows {
  return result.manifests.map((referrer) => ({
    Digest: transformerCell(valueAt(referrer, 'digest')),
    ArtifactType: transformerCell(valueAt(referrer, 'artifactType')),
    MediaType: transformerCell(valueAt(referrer, 'mediaType')),
    Size: transformerCell(valueAt(referrer, 'size')),
  }));
}

export const listReferrersCommand = defineCommand<ListReferrersOptions, ReferrerList>({
  name: 'list-referrers',
  summary: 'List the artifacts that refer to a manifest.',
  examples: [
    { summary: 'List the artifacts that refer to hello-world:v1.', command: 'acrx manifest list-referrers -r myregistry -n hello-world:v1' },
    { summary: 'List only its signatures, and what refers to them.', command: 'acrx manifest list-referrers -r myregistry -n hello-world:v1 --artifact-type application/vnd.cncf.notary.signature --recursive' },
  ],
  flags: (command) =>
    addManifestTarget(command)
      .option('--artifact-type <type>', 'only referrers of this artifact type')
      .option('--recursive', 'also list referrers of referrers, to every depth'),
  parse: (input) => {
    const artifactType = textValue(input.values, 'artifactType');
    return {
      ...parseManifestTarget(input),
      ...(artifactType !== undefined ? { artifactType: validateMediaType(artifactType, 'artifact type') } : {}),
      recursive: flagValue(input.values, 'recursive'),
    };
  },
  run: runListReferrers,
  table: referrersTable,
});
