// Flags the artifact commands share.
import type { Command } from 'commander';
import { addRegistryOptions, repeatable } from '../options.js';

/** Blobs in flight at once, as oras's default. */
export const DEFAULT_TRANSFERS = 5;

export function addArtifactFlags(command: Command): Command {
  return addRegistryOptions(command, 'name', { concurrencyHelp: `blobs transferred at once (default ${DEFAULT_TRANSFERS})` });
}

/** What describes a pushed artifact (push and attach). */
export function addPushFlags(command: Command): Command {
  return command
    .option('--artifact-type <type>', 'the artifact type, a media type (e.g. application/vnd.example.sbom.v1+json)')
    .option('-a, --annotation <key=value>', 'an annotation of the manifest (repeatable)', repeatable)
    .option('--annotation-file <file>', 'annotations as oras reads them: {"$manifest": {...}, "$config": {...}, "<file name>": {...}}')
    .option('--config <file>', 'a config blob, as FILE or FILE:MEDIA_TYPE (default: the empty config)')
    .option('--export-manifest <file>', 'also write the pushed manifest to this file')
    .option('--image-spec <version>', 'v1.1 (artifactType and the empty config) or v1.0 (the type in the config), default v1.1');
}
