// Pulling an artifact (acrx artifact pull): every titled layer into the output directory, each blob
// verified while it streams and written through a temporary file, directory layers unpacked. Every
// destination is checked before the first byte is written, so a refusal writes nothing.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DestinationExistsError, NotFoundError, RegistryError, UnsafeArtifactError } from '../errors.js';
import type { ImageReference } from '../reference/image.js';
import { formatImage } from '../reference/image.js';
import type { Descriptor, ManifestDocument } from '../registry/client.js';
import { INDEX_TYPES } from '../registry/media-types.js';
import type { ArtifactStore, Reporter } from '../registry/service/types.js';
import { mapLimit } from '../util/concurrency.js';
import { checkDestination, prepareDestination, titleSegments, type DestinationKind } from './destination.js';
import { ANNOTATION_CONTENT_DIGEST, ANNOTATION_TITLE, isDirectoryLayer } from './layer.js';
import { placeFile } from './placement.js';
import { checkDirectoryLayer, placeCheckedLayer, type CheckedLayer } from './unpack.js';
import { writeThroughTemp } from './write-file.js';

export interface PullRequest {
  directory: string;
  /** Only layers of these media types (all when empty). */
  mediaTypes: string[];
  /** The artifact must be of this type. */
  artifactType?: string;
  concurrency: number;
  /** Leave files already there as they are (and skip their layers) instead of refusing. */
  keepOldFiles: boolean;
  /** Replace files already there. */
  overwrite: boolean;
}

export interface PulledFile {
  /** Relative to the output directory. */
  path: string;
  digest: string;
  size: number;
  mediaType: string;
  /** `written`, `unpacked` (a directory layer), or `kept` (it was there and --keep-old-files). */
  outcome: 'written' | 'unpacked' | 'kept';
}

/** What `artifact pull` prints. */
export interface PulledArtifact {
  reference: string;
  digest: string;
  artifactType?: string;
  files: PulledFile[];
}

interface Layer extends Descriptor {
  annotations?: Record<string, string>;
}

interface Planned {
  layer: Layer;
  title: string;
  segments: string[];
  kind: DestinationKind;
  keep: boolean;
}

export async function pullArtifact(store: ArtifactStore, loginServer: string, image: ImageReference, request: PullRequest, reporter: Reporter): Promise<PulledArtifact> {
  const document = await store.fetchManifest(image);
  const name = `${loginServer}/${formatImage(image)}`;
  if (INDEX_TYPES.has(document.descriptor.mediaType)) {
    // Known only once the manifest is read, so not a usage error (those are raised before any request).
    throw new RegistryError(`${name} is a multi-platform index, not an artifact; pull one of its manifests by digest`);
  }
  const artifactType = artifactTypeOf(document);
  if (request.artifactType !== undefined && artifactType !== request.artifactType) {
    throw new NotFoundError(`${name} is ${artifactType ? `an artifact of type '${artifactType}'` : 'not a typed artifact'}, not '${request.artifactType}'`);
  }
  const planned = plan(document, request, reporter);
  mkdirSync(request.directory, { recursive: true });
  // All or nothing: every blob is downloaded and verified, and every directory layer checked, into a
  // hidden staging directory first; only then does anything take its place in the output directory.
  const staging = join(request.directory, `.acrx-pull-${randomBytes(6).toString('hex')}`);
  mkdirSync(staging);
  try {
    const staged = await mapLimit(planned, request.concurrency, (item, index) => stageLayer(store, item, join(staging, String(index)), reporter));
    const files: PulledFile[] = [];
    for (const item of staged) files.push(await placeLayer(item, request));
    return { reference: name, digest: document.descriptor.digest, ...(artifactType ? { artifactType } : {}), files };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Which layers go where; every title and destination checked now, nothing written yet. */
function plan(document: ManifestDocument, request: PullRequest, reporter: Reporter): Planned[] {
  const layers = (document.body.layers ?? []) as Layer[];
  const planned: Planned[] = [];
  const titles = new Set<string>();
  for (const layer of layers) {
    if (request.mediaTypes.length > 0 && !request.mediaTypes.includes(layer.mediaType)) continue;
    const title = layer.annotations?.[ANNOTATION_TITLE];
    if (!title) {
      reporter.warn(`layer ${layer.digest} has no file name (${ANNOTATION_TITLE}); it is not pulled`);
      continue;
    }
    if (titles.has(title)) throw new UnsafeArtifactError(`the artifact has two layers named '${title}'; nothing was written`);
    titles.add(title);
    const segments = titleSegments(title);
    const kind: DestinationKind = isDirectoryLayer(layer.annotations) ? 'directory' : 'file';
    let keep = false;
    try {
      checkDestination(request.directory, segments, kind, request.overwrite);
    } catch (error) {
      if (!(error instanceof DestinationExistsError) || !request.keepOldFiles) throw error;
      keep = true;
    }
    planned.push({ layer, title, segments, kind, keep });
  }
  return planned;
}

interface Staged extends Planned {
  /** The verified blob in the staging directory (none for a file kept as it is). */
  file?: string;
  /** A directory layer's archive, every entry checked. */
  checked?: CheckedLayer;
}

/** Downloads one layer into `file`, verified; a directory layer's archive is checked whole. */
async function stageLayer(store: ArtifactStore, item: Planned, file: string, reporter: Reporter): Promise<Staged> {
  if (item.keep) return item;
  const { layer } = item;
  const transfer = reporter.transfer(item.title, layer.size);
  let received = 0;
  const blob = await store.fetchBlob(layer, (total) => {
    transfer.advance(total - received);
    received = total;
  });
  await writeThroughTemp(blob, file);
  transfer.done('pulled');
  if (item.kind === 'file') return { ...item, file };
  const contentDigest = layer.annotations?.[ANNOTATION_CONTENT_DIGEST];
  return { ...item, file, checked: await checkDirectoryLayer(file, item.title, contentDigest ? { contentDigest } : {}) };
}

/** Moves a staged layer into the output directory (a file by rename, a directory unpacked). */
async function placeLayer(item: Staged, request: PullRequest): Promise<PulledFile> {
  const { layer } = item;
  const described = { digest: layer.digest, size: layer.size, mediaType: layer.mediaType };
  if (item.checked) {
    const unpacked = await placeCheckedLayer(item.checked, request.directory, { overwrite: request.overwrite });
    return { path: relative(request.directory, unpacked.path), ...described, outcome: 'unpacked' };
  }
  if (item.file === undefined) return { path: item.title, ...described, outcome: 'kept' };
  const destination = prepareDestination(request.directory, item.segments, 'file', request.overwrite).path;
  placeFile(item.file, destination, request.overwrite);
  return { path: relative(request.directory, destination), ...described, outcome: 'written' };
}

/** The artifact's type: `artifactType`, else (image-spec 1.0 artifacts) the config's media type. */
function artifactTypeOf(document: ManifestDocument): string | undefined {
  const { body } = document;
  if (typeof body.artifactType === 'string') return body.artifactType;
  const configType = body.config?.mediaType;
  return configType && configType !== 'application/vnd.oci.image.config.v1+json' && configType !== 'application/vnd.oci.empty.v1+json' ? configType : undefined;
}
