// acrx manifest: manifests and their metadata, as `az acr manifest` (the group az recommends over
// `repository show-manifests`), with az's own flags: -r/--registry for the registry, -n/--name for the
// repository or image, or az's positional fully qualified form.
import type { Command } from 'commander';
import { addGroup } from '../command.js';
import type { Io } from '../context.js';
import { deleteCommand } from './delete.js';
import { listMetadataCommand } from './list-metadata.js';
import { listReferrersCommand } from './list-referrers.js';
import { listCommand } from './list.js';
import { showMetadataCommand } from './show-metadata.js';
import { showCommand } from './show.js';
import { updateMetadataCommand } from './update-metadata.js';

export function addManifestGroup(program: Command, io: Io, only?: string): Command {
  return addGroup(
    program,
    'manifest',
    'Manage manifests and their metadata (az acr manifest).',
    [
      { summary: 'List the metadata of the manifests in a repository.', command: 'acrx manifest list-metadata -r myregistry -n hello-world' },
      { summary: 'Get the manifest of an image.', command: 'acrx manifest show -r myregistry -n hello-world:latest' },
    ],
    [listMetadataCommand, listCommand, showCommand, showMetadataCommand, updateMetadataCommand, deleteCommand, listReferrersCommand],
    io,
    only,
  );
}
