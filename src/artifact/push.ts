// Pushing an artifact (acrx artifact push, and attach with a subject): every file a layer (a directory
// one reproducible tar+gzip layer), blobs uploaded a few at a time and streamed from disk, then the
// manifest under each tag — or by digest with a subject, keeping the referrers tag schema index where
// the registry does not index subjects itself.
import { writeFile } from 'node:fs/promises';
import type { ReferrerDescriptor } from '../registry/attributes.js';
import { bytesBlobSource, fileBlobSource, knownFileBlobSource, type BlobSource } from '../registry/blob-source.js';
import type { ArtifactStore, Reporter } from '../registry/service/types.js';
import { mapLimit } from '../util/concurrency.js';
import type { Annotations, FileInput } from './inputs.js';
import { ANNOTATION_TITLE } from './layer.js';
import { buildManifest, CREATED_ANNOTATION, EMPTY_CONFIG, type BlobDescriptor, type BuiltManifest, type ImageSpec } from './manifest.js';
import { packDirectory, type PackedDirectory } from './pack.js';
import { addToReferrersIndex, indexStoreOf } from '../registry/referrers-index.js';

/** oras's media type for a file pushed without one. */
export const DEFAULT_FILE_TYPE = 'application/vnd.oci.image.layer.v1.tar';
/** oras's media type for a config given without one. */
export const DEFAULT_CONFIG_TYPE = 'application/vnd.unknown.config.v1+json';

export interface PushRequest {
  /** Tags to put the manifest under; none with a subject (attach pushes by digest). */
  tags: string[];
  files: FileInput[];
  config?: FileInput;
  artifactType?: string;
  annotations: Annotations;
  imageSpec: ImageSpec;
  concurrency: number;
  /** A repository of the same registry that may already hold the blobs (cross-repository mount). */
  mountFrom?: string;
  subject?: Pick<ReferrerDescriptor, 'mediaType' | 'digest' | 'size'>;
  exportManifest?: string;
  now: () => number;
}

/** What `artifact push` and `artifact attach` print. */
export interface PushedArtifact {
  digest: string;
  mediaType: string;
  artifactType?: string;
  size: number;
  reference: string;
  /** The manifest this one refers to (attach). */
  subject?: string;
}

export async function pushArtifact(store: ArtifactStore, loginServer: string, request: PushRequest, reporter: Reporter): Promise<PushedArtifact> {
  const packed: PackedDirectory[] = [];
  try {
    const layers = await mapLimit(request.files, request.concurrency, (file) => layerSource(file, request.annotations, packed));
    const config = request.config ? await fileBlobSource(request.config.path, request.config.mediaType ?? DEFAULT_CONFIG_TYPE) : undefined;
    const manifest = buildManifest({
      imageSpec: request.imageSpec,
      ...(request.artifactType ? { artifactType: request.artifactType } : {}),
      ...(config ? { config: withAnnotations(config, request.annotations.config) } : {}),
      layers: layers.map(({ descriptor }) => descriptor),
      ...(request.subject ? { subject: request.subject } : {}),
      annotations: { [CREATED_ANNOTATION]: new Date(request.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'), ...request.annotations.manifest },
    });
    const blobs: Array<{ source: BlobSource; label: string }> = [
      ...layers.map(({ source, label }) => ({ source, label })),
      { source: config ?? bytesBlobSource(EMPTY_CONFIG, manifest.config.mediaType), label: request.config?.title ?? 'config' },
    ];
    await mapLimit(blobs, request.concurrency, (blob) => pushOne(store, blob.source, blob.label, request.mountFrom, reporter));
    await pushManifestEverywhere(store, manifest, request, reporter);
    if (request.exportManifest !== undefined) await writeFile(request.exportManifest, manifest.bytes);
    const reference = request.subject || request.tags.length === 0 ? `${loginServer}/${store.repository}@${manifest.digest}` : `${loginServer}/${store.repository}:${request.tags[0]}`;
    return {
      digest: manifest.digest,
      mediaType: manifest.mediaType,
      ...(manifest.artifactType ? { artifactType: manifest.artifactType } : {}),
      size: manifest.bytes.length,
      reference,
      ...(request.subject ? { subject: request.subject.digest } : {}),
    };
  } finally {
    await Promise.all(packed.map((directory) => directory.discard()));
  }
}

interface LayerSource {
  source: BlobSource;
  descriptor: BlobDescriptor;
  label: string;
}

/** A file read (and hashed) from disk as it is; a directory packed first into a temporary archive. */
async function layerSource(file: FileInput, annotations: Annotations, packed: PackedDirectory[]): Promise<LayerSource> {
  const extra = annotations.files[file.title] ?? {};
  if (file.directory) {
    const directory = await packDirectory(file.path, { title: file.title });
    packed.push(directory);
    const mediaType = file.mediaType ?? directory.mediaType;
    const source = knownFileBlobSource(directory.file, { digest: directory.digest, size: directory.size, mediaType });
    return { source, descriptor: { mediaType, digest: directory.digest, size: directory.size, annotations: { ...directory.annotations, ...extra } }, label: file.title };
  }
  const source = await fileBlobSource(file.path, file.mediaType ?? DEFAULT_FILE_TYPE);
  return { source, descriptor: withAnnotations(source, { [ANNOTATION_TITLE]: file.title, ...extra }), label: file.title };
}

function withAnnotations(source: BlobSource, annotations: Record<string, string>): BlobDescriptor {
  return { mediaType: source.mediaType, digest: source.digest, size: source.size, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) };
}

async function pushOne(store: ArtifactStore, source: BlobSource, label: string, mountFrom: string | undefined, reporter: Reporter): Promise<void> {
  const transfer = reporter.transfer(label, source.size);
  let sent = 0;
  const outcome = await store.pushBlob(source, {
    ...(mountFrom ? { mountFrom } : {}),
    onProgress: (total) => {
      transfer.advance(total - sent);
      sent = total;
    },
  });
  transfer.done(outcome === 'uploaded' ? 'pushed' : outcome);
}

/** Under every tag (the same bytes each time), or by digest; then the subject's index where needed. */
async function pushManifestEverywhere(store: ArtifactStore, manifest: BuiltManifest, request: PushRequest, reporter: Reporter): Promise<void> {
  const body = { bytes: manifest.bytes, mediaType: manifest.mediaType };
  const references = request.tags.length > 0 ? request.tags : [manifest.digest];
  let indexed = false;
  for (const reference of references) indexed = (await store.pushManifest(reference, body)).subject !== undefined || indexed;
  if (!request.subject || indexed) return;
  // No OCI-Subject answer: the registry does not index referrers itself (distribution 2.8).
  reporter.info(`the registry did not index the subject; adding the referrer to its referrers tag index`);
  const entry: ReferrerDescriptor = {
    mediaType: manifest.mediaType,
    digest: manifest.digest,
    size: manifest.bytes.length,
    ...(manifest.artifactType ? { artifactType: manifest.artifactType } : {}),
    ...(hasAnnotations(manifest) ? { annotations: manifestAnnotations(manifest) } : {}),
  };
  await addToReferrersIndex(indexStoreOf(store), request.subject.digest, entry);
}

function manifestAnnotations(manifest: BuiltManifest): Record<string, string> {
  return (JSON.parse(manifest.bytes.toString('utf8')) as { annotations?: Record<string, string> }).annotations ?? {};
}

function hasAnnotations(manifest: BuiltManifest): boolean {
  return Object.keys(manifestAnnotations(manifest)).length > 0;
}
