// acrx artifact discover: the referrers graph of a manifest (signatures, SBOMs, their signatures...),
// drawn as a tree on a terminal like `oras discover`, JSON for scripts, a row per referrer in a table.
import type { DiscoverOptions } from '../../artifact/discover.js';
import { drawReferrerTree, type ReferrerNode } from '../../artifact/referrer-tree.js';
import { validateMediaType } from '../../artifact/inputs.js';
import type { TableRows } from '../../output/render.js';
import { parseImage, type ImageReference } from '../../reference/image.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { addRegistryOptions, parseRegistryOptions, parseWholeNumber, textValue, type RegistryOptions } from '../options.js';
import { requiredReference } from './references.js';

export interface DiscoverCommandOptions {
  registry: RegistryOptions;
  image: ImageReference;
  discover: DiscoverOptions;
}

export async function runDiscover(options: DiscoverCommandOptions, context: CommandContext): Promise<ReferrerNode> {
  const { service } = await context.openRegistry(options.registry);
  const { discoverReferrers } = await import('../../artifact/discover.js');
  return discoverReferrers(service, options.image, options.discover);
}

export const discoverCommand = defineCommand<DiscoverCommandOptions, ReferrerNode>({
  name: 'discover',
  summary: 'Show the artifacts that refer to a manifest, and theirs, as a tree (JSON for scripts).',
  examples: [
    { summary: 'Show what refers to an image, as a tree.', command: 'acrx artifact discover -n myregistry hello-world:v1 -o tree' },
    { summary: 'Show only the signatures, one level deep, as JSON.', command: 'acrx artifact discover localhost:5000/hello-world:v1 --artifact-type application/vnd.cncf.notary.signature --depth 1 -o json' },
  ],
  flags: (command) => {
    command.argument('<reference>', "the subject: 'repository:tag' or 'repository@digest'");
    addRegistryOptions(command, 'name', { extraFormats: ['tree'] })
      .option('--artifact-type <type>', 'only referrers of this artifact type')
      .option('--depth <n>', 'levels of referrers to follow (default: all)');
  },
  parse: ({ values, args }) => {
    const artifactType = textValue(values, 'artifactType');
    const depth = textValue(values, 'depth');
    const { registry, reference } = requiredReference(args, parseRegistryOptions(values));
    return {
      registry,
      image: parseImage(reference),
      discover: {
        ...(artifactType !== undefined ? { artifactType: validateMediaType(artifactType, 'artifact type') } : {}),
        ...(depth !== undefined ? { depth: parseWholeNumber('--depth', depth) } : {}),
      },
    };
  },
  run: runDiscover,
  table: referrerRows,
  tree: drawReferrerTree,
});

function referrerRows(root: ReferrerNode): TableRows {
  const rows: TableRows = [];
  const walk = (nodes: ReferrerNode[], depth: number): void => {
    for (const node of nodes) {
      rows.push({ Depth: String(depth), Digest: node.digest, ArtifactType: node.artifactType ?? ' ', MediaType: node.mediaType, Size: String(node.size) });
      walk(node.manifests, depth + 1);
    }
  };
  walk(root.manifests, 1);
  return rows;
}
