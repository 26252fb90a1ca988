// The manifest of an artifact, as oras writes it: an OCI image manifest with `artifactType` and the
// empty config (image-spec 1.1), or for registries that predate 1.1 (`--image-spec v1.0`) the artifact
// type carried as the config's media type. Serialised once, compactly, in a fixed key order: its bytes
// are what gets pushed and what the digest is of.
import type { ReferrerDescriptor } from '../registry/attributes.js';
import { digestOf } from '../util/digest.js';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const EMPTY_CONFIG_TYPE = 'application/vnd.oci.empty.v1+json';
/** The empty JSON object `{}` every 1.1 artifact without a config points at. */
export const EMPTY_CONFIG = Buffer.from('{}');
export const EMPTY_CONFIG_DIGEST = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';

/** What oras names an artifact whose type the user did not give (image-spec 1.1 requires one with the empty config). */
export const UNKNOWN_ARTIFACT_TYPE = 'application/vnd.unknown.artifact.v1';
/** The config type oras gives such an artifact in 1.0 mode. */
export const UNKNOWN_CONFIG_TYPE = 'application/vnd.unknown.config.v1+json';

export const CREATED_ANNOTATION = 'org.opencontainers.image.created';

export type ImageSpec = 'v1.1' | 'v1.0';

export interface BlobDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface ManifestPlan {
  imageSpec: ImageSpec;
  artifactType?: string;
  /** A config of the user's; without one, the empty config. */
  config?: BlobDescriptor;
  layers: BlobDescriptor[];
  /** The manifest this artifact refers to (attach). */
  subject?: Pick<ReferrerDescriptor, 'mediaType' | 'digest' | 'size'>;
  annotations: Record<string, string>;
}

export interface BuiltManifest {
  bytes: Buffer;
  mediaType: string;
  digest: string;
  /** The config the manifest names, for the push to upload when it is the empty one. */
  config: BlobDescriptor;
  artifactType?: string;
}

export function buildManifest(plan: ManifestPlan): BuiltManifest {
  const config = plan.config ?? emptyConfig(plan);
  // 1.1 carries the type in `artifactType`, required beside the empty config; 1.0 in the config's type.
  const artifactType = plan.imageSpec === 'v1.1' ? (plan.artifactType ?? (plan.config ? undefined : UNKNOWN_ARTIFACT_TYPE)) : undefined;
  const body = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    ...(artifactType ? { artifactType } : {}),
    config: descriptorJson(config),
    layers: plan.layers.map(descriptorJson),
    ...(plan.subject ? { subject: { mediaType: plan.subject.mediaType, digest: plan.subject.digest, size: plan.subject.size } } : {}),
    ...(Object.keys(plan.annotations).length > 0 ? { annotations: plan.annotations } : {}),
  };
  const bytes = Buffer.from(JSON.stringify(body));
  const type = artifactType ?? (plan.imageSpec === 'v1.0' ? config.mediaType : undefined);
  return { bytes, mediaType: OCI_MANIFEST, digest: digestOf(bytes), config, ...(type ? { artifactType: type } : {}) };
}

/** image-spec 1.1: the empty descriptor; 1.0: `{}` typed as the artifact (oras's compatibility mode). */
function emptyConfig(plan: ManifestPlan): BlobDescriptor {
  const mediaType = plan.imageSpec === 'v1.1' ? EMPTY_CONFIG_TYPE : (plan.artifactType ?? UNKNOWN_CONFIG_TYPE);
  return { mediaType, digest: EMPTY_CONFIG_DIGEST, size: EMPTY_CONFIG.length };
}

function descriptorJson(descriptor: BlobDescriptor): BlobDescriptor {
  return {
    mediaType: descriptor.mediaType,
    digest: descriptor.digest,
    size: descriptor.size,
    ...(descriptor.annotations && Object.keys(descriptor.annotations).length > 0 ? { annotations: descriptor.annotations } : {}),
  };
}
