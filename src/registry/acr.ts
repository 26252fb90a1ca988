// ACR's metadata API (/acr/v1, api-version 2021-07-01): one paged stream of tags or manifests with
// digests, times and locks, instead of a request per tag. Objects are passed through as the service
// sends them, so acrx prints what az prints.
import { RegistryError } from '../errors.js';
import { errorFromResponse } from '../transport/registry-errors.js';
import { isSuccess, type HttpRequest, type Transport } from '../transport/types.js';
import {
  isJsonObject,
  stringList,
  withFields,
  type ChangeableAttributes,
  type DeletedRepository,
  type JsonObject,
  type JsonValue,
  type ManifestAttributes,
  type RepositoryAttributes,
  type TagAttributes,
} from './attributes.js';
import type { TimeOrder } from './ordering.js';
import { listPaged } from './paging.js';
import { repositoryScope } from './scope.js';

const ORDERBY: Record<TimeOrder, string> = { time_asc: 'timeasc', time_desc: 'timedesc' };

export interface AcrListOptions {
  limit?: number;
  orderby?: TimeOrder;
  onPage?: (count: number) => void;
}

const READ = ['metadata_read'];
const WRITE = ['metadata_write', 'metadata_read'];

export class AcrClient {
  constructor(
    private readonly transport: Transport,
    private readonly base: URL,
    private readonly signal?: AbortSignal,
  ) {}

  listTags(repository: string, options: AcrListOptions = {}): Promise<TagAttributes[]> {
    return this.list(repository, '_tags', 'tags', listedTagOf, (tag) => tag.name, options);
  }

  listManifests(repository: string, options: AcrListOptions = {}): Promise<ManifestAttributes[]> {
    return this.list(repository, '_manifests', 'manifests', manifestOf, (manifest) => manifest.digest, options);
  }

  async getRepository(repository: string): Promise<RepositoryAttributes> {
    return repositoryOf(await this.call('GET', repository, '', READ, `repository '${repository}'`));
  }

  async getTag(repository: string, tag: string): Promise<TagAttributes> {
    return this.tagOf(await this.call('GET', repository, `/_tags/${tag}`, READ, `image '${repository}:${tag}'`), `${repository}:${tag}`);
  }

  async getManifest(repository: string, digest: string): Promise<ManifestAttributes> {
    return this.manifestOf(await this.call('GET', repository, `/_manifests/${digest}`, READ, `manifest '${repository}@${digest}'`), `${repository}@${digest}`);
  }

  async updateRepository(repository: string, attributes: ChangeableAttributes): Promise<RepositoryAttributes> {
    return repositoryOf(await this.call('PATCH', repository, '', WRITE, `repository '${repository}'`, attributes));
  }

  async updateTag(repository: string, tag: string, attributes: ChangeableAttributes): Promise<TagAttributes> {
    return this.tagOf(await this.call('PATCH', repository, `/_tags/${tag}`, WRITE, `image '${repository}:${tag}'`, attributes), `${repository}:${tag}`);
  }

  async updateManifest(repository: string, digest: string, attributes: ChangeableAttributes): Promise<ManifestAttributes> {
    const body = await this.call('PATCH', repository, `/_manifests/${digest}`, WRITE, `manifest '${repository}@${digest}'`, attributes);
    return this.manifestOf(body, `${repository}@${digest}`);
  }

  /** DELETE /acr/v1/R: the service's `{manifestsDeleted, tagsDeleted}`, or undefined for an empty 202. */
  async deleteRepository(repository: string): Promise<DeletedRepository | undefined> {
    const body = await this.call('DELETE', repository, '', ['delete'], `repository '${repository}'`);
    if (Object.keys(body).length === 0) return undefined;
    return { ...body, manifestsDeleted: stringList(body.manifestsDeleted), tagsDeleted: stringList(body.tagsDeleted) };
  }

  /** Untag: removes exactly this tag; the manifest and its other tags stay. */
  async deleteTag(repository: string, tag: string): Promise<void> {
    await this.call('DELETE', repository, `/_tags/${tag}`, ['delete'], `image '${repository}:${tag}'`);
  }

  private list<T>(
    repository: string,
    path: string,
    itemsKey: string,
    parseItem: (value: JsonValue) => T | undefined,
    keyOf: (item: T) => string,
    options: AcrListOptions,
  ): Promise<T[]> {
    const url = new URL(`/acr/v1/${repository}/${path}`, this.base);
    if (options.orderby) url.searchParams.set('orderby', ORDERBY[options.orderby]);
    return listPaged<T>({
      transport: this.transport,
      url,
      itemsKey,
      parseItem,
      keyOf,
      scopes: [repositoryScope(repository, READ)],
      subject: `${itemsKey} of repository '${repository}'`,
      probeWithoutLink: false,
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
      ...(options.onPage ? { onPage: options.onPage } : {}),
      ...(this.signal ? { signal: this.signal } : {}),
    });
  }

  // GET and PATCH of a tag or manifest answer `{registry, imageName, tag|manifest: {...}}`; az prints the inner object.
  private tagOf(body: JsonObject, name: string): TagAttributes {
    return withFields<TagAttributes>(body.tag, ['name']) ?? withFields<TagAttributes>(body, ['name']) ?? this.malformed(`the tag ${name}`);
  }

  private manifestOf(body: JsonObject, name: string): ManifestAttributes {
    return manifestOf(body.manifest) ?? manifestOf(body) ?? this.malformed(`the manifest ${name}`);
  }

  private malformed(what: string): never {
    throw new RegistryError(`${this.base.host} described ${what} without the fields the ACR API defines`);
  }

  /** After a DELETE whose answer was lost: whether the item is gone (404 to a read of it). */
  private async isGone(deletion: HttpRequest, repository: string, subject: string): Promise<boolean> {
    const request: HttpRequest = {
      method: 'GET',
      url: deletion.url,
      headers: { accept: 'application/json' },
      scopes: [repositoryScope(repository, READ)],
      ...(this.signal ? { signal: this.signal } : {}),
    };
    const response = await this.transport(request);
    if (response.status === 404) {
      await response.discard();
      return true;
    }
    if (isSuccess(response.status)) {
      await response.discard();
      return false;
    }
    throw await errorFromResponse(request, response, subject);
  }

  private async call(
    method: HttpRequest['method'],
    repository: string,
    path: string,
    actions: string[],
    subject: string,
    body?: ChangeableAttributes,
  ): Promise<JsonObject> {
    const request: HttpRequest = {
      method,
      url: new URL(`/acr/v1/${repository}${path}`, this.base),
      headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
      scopes: [repositoryScope(repository, actions)],
      ...(body ? { body: JSON.stringify(body) } : {}),
      ...(this.signal ? { signal: this.signal } : {}),
    };
    // A DELETE whose answer was lost or busy is repeated only while the item is still there.
    const response = await this.transport(method === 'DELETE' ? { ...request, alreadyDone: () => this.isGone(request, repository, subject) } : request);
    if (!isSuccess(response.status)) throw await errorFromResponse(request, response, subject);
    const text = (await response.text()).trim();
    if (!text) return {};
    let parsed: JsonValue | undefined;
    try {
      parsed = JSON.parse(text) as JsonValue;
    } catch {
      parsed = undefined;
    }
    if (isJsonObject(parsed)) return parsed;
    throw new RegistryError(`${this.base.host} answered ${method} ${request.url.pathname} with a body that is not a JSON object`);
  }
}

function manifestOf(value: JsonValue | undefined): ManifestAttributes | undefined {
  const manifest = withFields<ManifestAttributes>(value, ['digest']);
  // `tags`, where present (null reads as none), is a list of names: anything else is not what ACR sends.
  if (manifest?.tags !== undefined && manifest.tags !== null && !(Array.isArray(manifest.tags) && manifest.tags.every((tag) => typeof tag === 'string'))) return undefined;
  return manifest;
}

/** A tag of a listing: the swagger's TagAttributesBase requires its name and digest. */
function listedTagOf(value: JsonValue): TagAttributes | undefined {
  return withFields<TagAttributes>(value, ['name', 'digest']);
}

function repositoryOf(body: JsonObject): RepositoryAttributes {
  return withFields<RepositoryAttributes>(body, []) ?? {};
}
