// ACR's metadata API (/acr/v1, api-version 2021-07-01): one paged stream of tags or manifests with
// digests, times and locks, instead of a request per tag. Objects are passed through as the service
// sends them, so acrx prints what az prints.
import { RegistryError } from '../errors.js';
import { errorFromResponse } from '../transport/registry-errors.js';
import type { HttpRequest, Transport } from '../transport/types.js';
import type { TimeOrder } from './inventory.js';
import { listPaged } from './paging.js';
import { repositoryScope } from './scope.js';

export type AcrObject = Record<string, unknown>;

/** The four booleans of changeableAttributes that PATCH accepts. */
export interface ChangeableAttributes {
  deleteEnabled?: boolean;
  writeEnabled?: boolean;
  readEnabled?: boolean;
  listEnabled?: boolean;
}

const ORDERBY: Record<TimeOrder, string> = { time_asc: 'timeasc', time_desc: 'timedesc' };

export interface AcrListOptions {
  limit?: number;
  orderby?: TimeOrder;
  onPage?: (count: number) => void;
}

export class AcrClient {
  constructor(
    private readonly transport: Transport,
    private readonly base: URL,
    private readonly signal?: AbortSignal,
  ) {}

  listTags(repository: string, options: AcrListOptions = {}): Promise<AcrObject[]> {
    return this.list(repository, '_tags', 'tags', 'name', `tags of repository '${repository}'`, options);
  }

  listManifests(repository: string, options: AcrListOptions = {}): Promise<AcrObject[]> {
    return this.list(repository, '_manifests', 'manifests', 'digest', `manifests of repository '${repository}'`, options);
  }

  getRepository(repository: string): Promise<AcrObject> {
    return this.call('GET', repository, '', ['metadata_read'], `repository '${repository}'`);
  }

  async getTag(repository: string, tag: string): Promise<AcrObject> {
    return unwrap(await this.call('GET', repository, `/_tags/${tag}`, ['metadata_read'], `image '${repository}:${tag}'`), 'tag');
  }

  async getManifest(repository: string, digest: string): Promise<AcrObject> {
    return unwrap(await this.call('GET', repository, `/_manifests/${digest}`, ['metadata_read'], `manifest '${repository}@${digest}'`), 'manifest');
  }

  updateRepository(repository: string, attributes: ChangeableAttributes): Promise<AcrObject> {
    return this.call('PATCH', repository, '', ['metadata_write', 'metadata_read'], `repository '${repository}'`, attributes);
  }

  async updateTag(repository: string, tag: string, attributes: ChangeableAttributes): Promise<AcrObject> {
    const subject = `image '${repository}:${tag}'`;
    return unwrap(await this.call('PATCH', repository, `/_tags/${tag}`, ['metadata_write', 'metadata_read'], subject, attributes), 'tag');
  }

  async updateManifest(repository: string, digest: string, attributes: ChangeableAttributes): Promise<AcrObject> {
    const subject = `manifest '${repository}@${digest}'`;
    return unwrap(await this.call('PATCH', repository, `/_manifests/${digest}`, ['metadata_write', 'metadata_read'], subject, attributes), 'manifest');
  }

  /** DELETE /acr/v1/R: the service's `{manifestsDeleted, tagsDeleted}`, or undefined for an empty 202. */
  async deleteRepository(repository: string): Promise<AcrObject | undefined> {
    const body = await this.call('DELETE', repository, '', ['delete'], `repository '${repository}'`);
    return Object.keys(body).length > 0 ? body : undefined;
  }

  /** Untag: removes exactly this tag; the manifest and its other tags stay. */
  async deleteTag(repository: string, tag: string): Promise<void> {
    await this.call('DELETE', repository, `/_tags/${tag}`, ['delete'], `image '${repository}:${tag}'`);
  }

  private list(repository: string, path: string, itemsKey: string, key: 'name' | 'digest', subject: string, options: AcrListOptions) {
    const url = new URL(`/acr/v1/${repository}/${path}`, this.base);
    if (options.orderby) url.searchParams.set('orderby', ORDERBY[options.orderby]);
    return listPaged<AcrObject>({
      transport: this.transport,
      url,
      itemsKey,
      parseItem: (value) => (isObject(value) && typeof value[key] === 'string' ? value : undefined),
      keyOf: (item) => item[key] as string,
      scopes: [repositoryScope(repository, ['metadata_read'])],
      subject,
      probeWithoutLink: false,
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
      ...(options.onPage ? { onPage: options.onPage } : {}),
      ...(this.signal ? { signal: this.signal } : {}),
    });
  }

  private async call(
    method: HttpRequest['method'],
    repository: string,
    path: string,
    actions: string[],
    subject: string,
    body?: ChangeableAttributes,
  ): Promise<AcrObject> {
    const request: HttpRequest = {
      method,
      url: new URL(`/acr/v1/${repository}${path}`, this.base),
      headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
      scopes: [repositoryScope(repository, actions)],
      ...(body ? { body: JSON.stringify(body) } : {}),
      ...(this.signal ? { signal: this.signal } : {}),
    };
    const response = await this.transport(request);
    if (response.status < 200 || response.status > 299) throw await errorFromResponse(request, response, subject);
    const text = (await response.text()).trim();
    if (!text) return {};
    try {
      const parsed = JSON.parse(text) as unknown;
      if (isObject(parsed)) return parsed;
    } catch {
      // fall through
    }
    throw new RegistryError(`${this.base.host} answered ${method} ${request.url.pathname} with a body that is not a JSON object`);
  }
}

function unwrap(body: AcrObject, key: 'tag' | 'manifest'): AcrObject {
  const inner = body[key];
  return isObject(inner) ? inner : body;
}

function isObject(value: unknown): value is AcrObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
