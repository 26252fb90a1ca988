// What one manifest is, in az's field names, from what any OCI registry can tell: the manifest itself
// and, for images, their config. Fields the registry cannot provide are left out, never invented.
import { NotFoundError } from '../errors.js';
import type { ManifestAttributes, PlatformReference } from './attributes.js';
import type { Descriptor, ManifestDocument, RegistryClient } from './client.js';
import { IMAGE_CONFIG_TYPES } from './media-types.js';

const CREATED_ANNOTATION = 'org.opencontainers.image.created';
const EMPTY_CONFIG = 'application/vnd.oci.empty.v1+json';

/** Reads an image config blob (as JSON); listings share one that reads each config once. */
export type ConfigReader = (config: Descriptor) => Promise<unknown>;

/** `warn` hears of what could not be read (a config blob gone from the registry); the rest is still described. */
export async function describeManifest(
  client: RegistryClient,
  repository: string,
  document: ManifestDocument,
  warn: (message: string) => void,
  readConfig: ConfigReader = (config) => client.fetchJsonBlob(repository, config),
): Promise<ManifestAttributes> {
  const { descriptor, body } = document;
  const detail: ManifestAttributes = { digest: descriptor.digest, mediaType: descriptor.mediaType, size: descriptor.size };
  const annotated = body.annotations?.[CREATED_ANNOTATION];

  if (Array.isArray(body.manifests)) {
    detail.references = body.manifests.filter(isDescriptor).map((child) => ({
      digest: child.digest,
      ...(child.mediaType ? { mediaType: child.mediaType } : {}),
      ...(child.platform?.architecture ? { architecture: child.platform.architecture } : {}),
      ...(child.platform?.os ? { os: child.platform.os } : {}),
      ...(child.platform?.variant ? { variant: child.platform.variant } : {}),
    }));
  }

  if (isDescriptor(body.config)) {
    const config = body.config;
    detail.configMediaType = config.mediaType;
    const layers = Array.isArray(body.layers) ? body.layers.filter(isDescriptor) : [];
    detail.imageSize = descriptor.size + config.size + layers.reduce((sum, layer) => sum + layer.size, 0);
    const artifactType = body.artifactType ?? (IMAGE_CONFIG_TYPES.has(config.mediaType) || config.mediaType === EMPTY_CONFIG ? undefined : config.mediaType);
    if (artifactType) detail.artifactType = artifactType;
    if (IMAGE_CONFIG_TYPES.has(config.mediaType)) Object.assign(detail, await readImageConfig(readConfig, repository, config, detail.digest, warn));
  } else if (body.artifactType) {
    detail.artifactType = body.artifactType;
  }

  if (!detail.createdTime && annotated) detail.createdTime = annotated;
  if (isDescriptor(body.subject)) detail.subject = body.subject.digest;
  return detail;
}

async function readImageConfig(
  readConfig: ConfigReader,
  repository: string,
  config: Descriptor,
  manifest: string,
  warn: (message: string) => void,
): Promise<Partial<ManifestAttributes>> {
  let parsed: unknown;
  try {
    parsed = await readConfig(config);
  } catch (error) {
    // One broken image must not hide the rest of a listing, least of all from a clean-up.
    if (!(error instanceof NotFoundError)) throw error;
    warn(`the image config ${config.digest} of '${repository}@${manifest}' is missing from the registry; its created time and platform are left out`);
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const fields = parsed as Record<string, unknown>;
  const text = (key: string): Partial<Record<string, string>> =>
    typeof fields[key] === 'string' && fields[key] ? { [key]: fields[key] as string } : {};
  const created = text('created').created;
  return {
    ...(created ? { createdTime: created } : {}),
    ...text('architecture'),
    ...text('os'),
    ...text('variant'),
  };
}

function isDescriptor(value: unknown): value is Descriptor & { platform?: PlatformReference } {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Descriptor>;
  return typeof candidate.digest === 'string' && typeof candidate.mediaType === 'string' && typeof candidate.size === 'number';
}
