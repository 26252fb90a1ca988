// What a registry says about repositories, tags and manifests, in ACR's field names (the swagger's
// RepositoryAttributes, TagAttributesBase, ManifestAttributesBase). ACR's answers pass through with
// every field the service sent; other registries fill in what the OCI API can tell and leave the rest out.

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
/** A JSON object; a property that is undefined is absent (as JSON.stringify and the renderer drop it). */
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

/** Fields beyond the known ones pass through untouched (ACR adds some the swagger does not declare). */
type PassThrough = JsonObject;

/** The four booleans of changeableAttributes a PATCH may set. */
export interface ChangeableAttributes {
  deleteEnabled?: boolean;
  writeEnabled?: boolean;
  readEnabled?: boolean;
  listEnabled?: boolean;
}

export interface RepositoryAttributes extends PassThrough {
  registry?: string;
  imageName?: string;
  createdTime?: string;
  lastUpdateTime?: string;
  manifestCount?: number;
  tagCount?: number;
  changeableAttributes?: JsonObject;
}

export interface TagAttributes extends PassThrough {
  name: string;
  digest?: string;
  createdTime?: string;
  lastUpdateTime?: string;
  signed?: boolean;
  changeableAttributes?: JsonObject;
}

export interface PlatformReference extends PassThrough {
  digest: string;
  mediaType?: string;
  architecture?: string;
  os?: string;
  variant?: string;
}

export interface ManifestAttributes extends PassThrough {
  digest: string;
  mediaType?: string;
  /** Bytes of the manifest itself (other registries; ACR reports imageSize only). */
  size?: number;
  /** Manifest, config and layers together. */
  imageSize?: number;
  createdTime?: string;
  lastUpdateTime?: string;
  architecture?: string;
  os?: string;
  variant?: string;
  configMediaType?: string;
  artifactType?: string;
  /** Digest of the manifest this one refers to (signatures, SBOMs). */
  subject?: string;
  /** Absent for untagged manifests, as ACR sends them. */
  tags?: string[];
  references?: PlatformReference[];
  changeableAttributes?: JsonObject;
}

/** What `repository show --image` and `manifest show-metadata` print: a tag's or a manifest's attributes. */
export type ImageAttributes = TagAttributes | ManifestAttributes;

/** ACR's answer to a repository delete. */
export interface DeletedRepository extends PassThrough {
  manifestsDeleted: string[];
  tagsDeleted: string[];
}

/** One entry of a referrers list: a descriptor as the registry sent it. */
export interface ReferrerDescriptor extends PassThrough {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: JsonObject;
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringList(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The object as `T` when it carries T's key fields with the right types; undefined otherwise. */
export function withFields<T extends PassThrough>(value: JsonValue | undefined, strings: readonly string[], numbers: readonly string[] = []): T | undefined {
  if (!isJsonObject(value)) return undefined;
  if (!strings.every((key) => typeof value[key] === 'string')) return undefined;
  if (!numbers.every((key) => typeof value[key] === 'number')) return undefined;
  return value as T;
}
