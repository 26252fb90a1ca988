// The typed OCI distribution client: catalog, tags, manifests, blobs and referrers of one registry.
import type { Readable } from 'node:stream';
import { ApiNotOfferedError, NotFoundError, RefusedError, RegistryError, type Remedy } from '../errors.js';
import { formatImage, isDigest, referenceOf, type ImageReference } from '../reference/image.js';
import { registryBaseUrl, type RegistryTarget } from '../reference/login-server.js';
import { describeOciErrors, errorFromEntries, errorFromResponse, readOciErrors } from '../transport/registry-errors.js';
import { BODY_LIMITS, isSuccess, type HttpRequest, type HttpResponse, type Transport } from '../transport/types.js';
import { mapLimit } from '../util/concurrency.js';
import { canVerify, digestOf } from '../util/digest.js';
import { isJsonObject, withFields, type JsonObject, type JsonValue, type ReferrerDescriptor } from './attributes.js';
import { fetchBlob, type BlobFetchOptions } from './blob-pull.js';
import type { BlobSource } from './blob-source.js';
import type { RegistryEndpoint } from './endpoint.js';
import { pushManifest, type ManifestPushOptions, type PushedManifest } from './manifest-push.js';
import { MANIFEST_ACCEPT } from './media-types.js';
import { listNames, listPaged } from './paging.js';
import { referrersTag } from './referrers.js';
import { CATALOG_SCOPE, repositoryScope } from './scope.js';
import { pushBlob, type BlobPushOptions, type BlobPushOutcome } from './upload.js';

export interface Descriptor {
  digest: string;
  mediaType: string;
  size: number;
}

export interface PlatformDescriptor extends Descriptor {
  platform?: { architecture?: string; os?: string; variant?: string };
}

/** The fields of an OCI/Docker manifest or index acrx reads. */
export interface ManifestBody {
  schemaVersion?: number;
  mediaType?: string;
  artifactType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: PlatformDescriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export interface ManifestDocument {
  descriptor: Descriptor;
  /** The fields acrx reads, typed. */
  body: ManifestBody;
  /** The whole manifest as JSON, every field as the registry sent it. */
  json: JsonObject;
  /** Exactly the bytes the registry sent: their digest is the manifest's digest. */
  bytes: Buffer;
  /** The registry's ETag for it, to push over it only if it is still the same (If-Match). */
  etag?: string;
}

export interface ClientOptions {
  /** Requests in flight for per-tag work. */
  concurrency: number;
  signal?: AbortSignal;
}

export const DEFAULT_CONCURRENCY = 8;

export class RegistryClient {
  readonly base: URL;
  private readonly endpoint: RegistryEndpoint;

  constructor(
    readonly target: RegistryTarget,
    private readonly transport: Transport,
    private readonly options: ClientOptions = { concurrency: DEFAULT_CONCURRENCY },
  ) {
    this.base = registryBaseUrl(target);
    this.endpoint = { base: this.base, host: this.host, signal: options.signal, send: (request) => this.send(request) };
  }

  get host(): string {
    return this.target.loginServer;
  }

  /** GET /v2/: proves the host is a registry and lets the auth layer learn its challenge. */
  async ping(): Promise<void> {
    const url = new URL('/v2/', this.base);
    const response = await this.send({ method: 'GET', url, headers: { accept: 'application/json' }, probe: true });
    await response.discard();
    const html = (response.headers['content-type'] ?? '').includes('text/html');
    const challenged = response.status === 401 && response.headers['www-authenticate'] !== undefined;
    if ((response.status === 200 && !html) || challenged) return;
    const httpsOnly = response.status === 400 && this.base.protocol === 'http:';
    throw new RegistryError(
      `${this.host} does not look like an OCI registry: GET /v2/ answered HTTP ${response.status}${html ? ' with an HTML page' : ''}`,
      httpsOnly ? { remedy: { kind: 'use-https' } } : {},
    );
  }

  /** GET /v2/ answering the challenge: proves the credentials are accepted. */
  async verifyAccess(): Promise<void> {
    const request: HttpRequest = { method: 'GET', url: new URL('/v2/', this.base), headers: { accept: 'application/json' } };
    const response = await this.send(request);
    if (!isSuccess(response.status)) throw await errorFromResponse(request, response, 'the registry API');
    await response.discard();
  }

  async listRepositories(limit?: number, onProgress?: (count: number) => void): Promise<string[]> {
    try {
      return await listNames({
        transport: this.transport,
        url: new URL('/v2/_catalog', this.base),
        itemsKey: 'repositories',
        scopes: [CATALOG_SCOPE],
        subject: 'the repository catalog',
        ...this.signal(),
        ...(limit !== undefined ? { limit } : {}),
        ...(onProgress ? { onPage: onProgress } : {}),
      });
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw new RefusedError(`${this.host} does not offer the repository catalog (GET /v2/_catalog answered 404)`);
      }
      throw error;
    }
  }

  async listTags(repository: string, onProgress?: (count: number) => void): Promise<string[]> {
    return listNames({
      transport: this.transport,
      url: new URL(`/v2/${repository}/tags/list`, this.base),
      itemsKey: 'tags',
      scopes: [repositoryScope(repository, ['pull'])],
      subject: `repository '${repository}'`,
      ...this.signal(),
      ...(onProgress ? { onPage: onProgress } : {}),
    });
  }

  /** HEAD a manifest: digest, media type and size without the body. */
  async resolveManifest(image: ImageReference): Promise<Descriptor> {
    const response = await this.manifestRequest('HEAD', image);
    await response.discard();
    const digest = response.headers['docker-content-digest'];
    const length = Number(response.headers['content-length']);
    if (!digest || !isDigest(digest) || !Number.isFinite(length)) {
      // Registries may leave the digest off HEAD answers; the body then tells.
      return (await this.fetchManifest(image)).descriptor;
    }
    return { digest, mediaType: mediaTypeOf(response), size: length };
  }

  /** GET a manifest and verify its bytes against the digest asked for and the one the registry names. */
  async fetchManifest(image: ImageReference): Promise<ManifestDocument> {
    const response = await this.manifestRequest('GET', image);
    const bytes = await response.bytes(BODY_LIMITS.manifest);
    const claimed = response.headers['docker-content-digest'];
    const expected = image.digest ?? (claimed && isDigest(claimed) ? claimed : undefined);
    const digest = digestOf(bytes, expected);
    if (expected && canVerify(expected) && digest !== expected) {
      throw new RegistryError(`${this.host} sent a manifest for ${formatImage(image)} whose content does not match its digest ${expected} (got ${digest})`);
    }
    let json: JsonValue;
    try {
      json = JSON.parse(bytes.toString('utf8')) as JsonValue;
    } catch {
      throw new RegistryError(`${this.host} sent a manifest for ${formatImage(image)} that is not JSON`);
    }
    if (!isJsonObject(json)) {
      throw new RegistryError(`${this.host} sent a manifest for ${formatImage(image)} that is not a JSON object`);
    }
    const body = json as ManifestBody;
    const mediaType = typeof body.mediaType === 'string' ? body.mediaType : mediaTypeOf(response);
    const etag = response.headers['etag'];
    return { descriptor: { digest: expected ?? digest, mediaType, size: bytes.length }, body, json, bytes, ...(etag ? { etag } : {}) };
  }

  /**
   * PUT a manifest's exact bytes under a tag or its digest; answers its digest (checked against the
   * bytes and the registry's Docker-Content-Digest) and the registry's OCI-Subject, if it sent one.
   * Refusals (MANIFEST_INVALID, 413, 415, DENIED, ...) are RefusedErrors with the registry's words; a
   * failed If-Match is a ManifestChangedError.
   */
  pushManifest(repository: string, reference: string, manifest: { bytes: Buffer; mediaType: string }, options?: ManifestPushOptions): Promise<PushedManifest> {
    return pushManifest(this.endpoint, repository, reference, manifest, options);
  }

  /**
   * Puts a blob into a repository: nothing when it is there (HEAD), a mount when `mountFrom` has it,
   * otherwise an upload streamed from `source` (one PUT up to 16 MiB, 64 MiB PATCH chunks above),
   * recovering from dropped connections and 5xx by resuming or starting over. Refusals are
   * RefusedErrors with the registry's words.
   */
  pushBlob(repository: string, source: BlobSource, options?: BlobPushOptions): Promise<BlobPushOutcome> {
    return pushBlob(this.endpoint, repository, source, options);
  }

  /** A blob's bytes as they arrive, verified on the way: the stream fails with a BlobMismatchError. */
  fetchBlob(repository: string, blob: { digest: string; size: number }, options?: BlobFetchOptions): Promise<Readable> {
    return fetchBlob(this.endpoint, repository, blob, options);
  }

  /** GET a small JSON blob (an image config), verified against its digest. */
  async fetchJsonBlob(repository: string, descriptor: Descriptor): Promise<unknown> {
    const url = new URL(`/v2/${repository}/blobs/${descriptor.digest}`, this.base);
    const request: HttpRequest = { method: 'GET', url, headers: { accept: descriptor.mediaType }, scopes: [repositoryScope(repository, ['pull'])] };
    const response = await this.send(request);
    if (!isSuccess(response.status)) throw await errorFromResponse(request, response, `blob '${repository}@${descriptor.digest}'`);
    const bytes = await response.bytes(BODY_LIMITS.jsonBlob);
    if (canVerify(descriptor.digest) && digestOf(bytes, descriptor.digest) !== descriptor.digest) {
      throw new RegistryError(`${this.host} sent blob ${descriptor.digest} of ${repository} with content that does not match its digest`);
    }
    try {
      return JSON.parse(bytes.toString('utf8')) as unknown;
    } catch {
      throw new RegistryError(`blob ${descriptor.digest} of ${repository} is not JSON`);
    }
  }

  /** DELETE /v2/R/manifests/DIGEST: the manifest and every tag on it. */
  async deleteManifest(repository: string, digest: string): Promise<void> {
    await this.delete(repository, digest, `manifest '${repository}@${digest}'`, (said) =>
      `${this.host} has deletes disabled (${said}); nothing was deleted`,
    );
  }

  /** The OCI tag delete (DELETE /v2/R/manifests/TAG); registries may refuse it. */
  async deleteTag(repository: string, tag: string): Promise<void> {
    await this.delete(
      repository,
      tag,
      `image '${repository}:${tag}'`,
      (said) => `${this.host} cannot remove a single tag: it refused DELETE of '${repository}:${tag}' (${said}). Nothing was deleted`,
      { kind: 'delete-whole-image', image: `${repository}:${tag}` },
    );
  }

  /**
   * The manifests that refer to `digest` (OCI referrers API, Link-paged). A registry without the API is
   * read through the referrers tag schema instead: an index under the tag `sha256-<hex>`, as oras
   * writes it there. Without the API means, as oras decides it: a 404 that is not about the repository
   * (distribution 2.8 answers a plain-text 404), or an answer that is not an image index.
   */
  async listReferrers(repository: string, digest: string, artifactType?: string): Promise<ReferrerDescriptor[]> {
    const url = new URL(`/v2/${repository}/referrers/${digest}`, this.base);
    if (artifactType !== undefined) url.searchParams.set('artifactType', artifactType);
    try {
      return await listPaged({
        transport: this.transport,
        url,
        itemsKey: 'manifests',
        parseItem: referrerOf,
        keyOf: (referrer) => referrer.digest,
        scopes: [repositoryScope(repository, ['pull'])],
        subject: `referrers of '${repository}@${digest}'`,
        sizedPages: false,
        probeWithoutLink: false,
        notOffered: async (response) => {
          if (isSuccess(response.status)) return !/^application\/(?:vnd\.oci\.image\.index\.v1\+)?json\b/.test(response.headers['content-type'] ?? '');
          if (response.status !== 404) return false;
          const entries = await readOciErrors(response);
          if (entries.some((entry) => entry.code === 'NAME_UNKNOWN')) throw errorFromEntries({ method: 'GET', url }, 404, entries, `repository '${repository}'`);
          return true;
        },
        ...this.signal(),
      });
    } catch (error) {
      if (!(error instanceof ApiNotOfferedError)) throw error;
    }
    let index: ManifestDocument;
    try {
      index = await this.fetchManifest({ repository, tag: referrersTag(digest) });
    } catch (error) {
      if (error instanceof NotFoundError) return [];
      throw error;
    }
    const entries = index.json.manifests;
    return Array.isArray(entries) ? entries.flatMap((entry) => referrerOf(entry) ?? []) : [];
  }

  private async delete(repository: string, reference: string, subject: string, refusal: (said: string) => string, remedy?: Remedy): Promise<void> {
    const url = new URL(`/v2/${repository}/manifests/${reference}`, this.base);
    const request: HttpRequest = { method: 'DELETE', url, headers: { accept: 'application/json' }, scopes: [repositoryScope(repository, ['delete'])] };
    // A lost or busy answer is not answered by a blind repeat: gone already means done.
    const alreadyDone = async (): Promise<boolean> => {
      try {
        await this.resolveManifest(isDigest(reference) ? { repository, digest: reference } : { repository, tag: reference });
        return false;
      } catch (error) {
        if (error instanceof NotFoundError) return true;
        throw error;
      }
    };
    const response = await this.send({ ...request, alreadyDone });
    if (isSuccess(response.status)) return response.discard();
    const entries = await readOciErrors(response);
    const codes = new Set(entries.map((entry) => entry.code));
    // Locks (ACR) are the registry's own message; 405/UNSUPPORTED, or a 400 for a tag, is delete not offered.
    const locked = codes.has('REGISTRY_DISALLOWED_OPERATION') || codes.has('DENIED');
    const unsupported = response.status === 405 || codes.has('UNSUPPORTED') || (response.status === 400 && !isDigest(reference));
    if (!locked && unsupported) throw new RefusedError(refusal(describeOciErrors(entries) || `HTTP ${response.status}`), remedy ? { remedy } : {});
    throw errorFromEntries(request, response.status, entries, subject);
  }

  /**
   * Reads the manifest of every tag, a bounded number of GETs at a time: one kept-alive request per tag
   * answers both the digest and what the manifest says (a HEAD would close the connection in undici, and
   * the manifest would still have to be fetched). Each document goes to `onManifest` as it arrives; only
   * descriptors are kept. A tag gone by the time it is asked for (deleted while listing) is left out and
   * reported to `onVanished`.
   */
  async resolveTags(
    repository: string,
    tags: readonly string[],
    hooks: { onProgress?: (done: number) => void; onVanished?: (tag: string) => void; onManifest?: (tag: string, document: ManifestDocument) => void } = {},
  ): Promise<Map<string, Descriptor>> {
    let done = 0;
    const descriptors = await this.mapConcurrent(tags, async (tag) => {
      try {
        const document = await this.fetchManifest({ repository, tag });
        hooks.onManifest?.(tag, document);
        return document.descriptor;
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        hooks.onVanished?.(tag);
        return undefined;
      } finally {
        hooks.onProgress?.(++done);
      }
    });
    return new Map(tags.flatMap((tag, index) => (descriptors[index] ? [[tag, descriptors[index]] as const] : [])));
  }

  mapConcurrent<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
    return mapLimit(items, this.options.concurrency, fn);
  }

  private async manifestRequest(method: 'GET' | 'HEAD', image: ImageReference): Promise<HttpResponse> {
    const url = new URL(`/v2/${image.repository}/manifests/${referenceOf(image)}`, this.base);
    const request: HttpRequest = { method, url, headers: { accept: MANIFEST_ACCEPT }, scopes: [repositoryScope(image.repository, ['pull'])] };
    const response = await this.send(request);
    if (!isSuccess(response.status)) {
      const subject = image.digest ? `manifest '${formatImage(image)}'` : `image '${formatImage(image)}'`;
      throw await errorFromResponse(request, response, subject);
    }
    return response;
  }

  private send(request: HttpRequest): Promise<HttpResponse> {
    return this.transport({ ...request, ...this.signal() });
  }

  private signal(): { signal?: AbortSignal } {
    return this.options.signal ? { signal: this.options.signal } : {};
  }
}

function referrerOf(value: JsonValue): ReferrerDescriptor | undefined {
  return withFields<ReferrerDescriptor>(value, ['mediaType', 'digest'], ['size']);
}

function mediaTypeOf(response: HttpResponse): string {
  return (response.headers['content-type'] ?? '').split(';', 1)[0]?.trim() ?? '';
}
