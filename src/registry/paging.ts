// The one paging helper: asks for n=1000, follows Link (same origin only), halves n when the registry
// rejects the page size, and fails loudly on a Link loop. A partial list is never returned as complete.
import { ApiNotOfferedError, RegistryError } from '../errors.js';
import { errorFromEntries, readOciErrors } from '../transport/registry-errors.js';
import { BODY_LIMITS, isSuccess, sameOrigin, type HttpResponse, type Transport } from '../transport/types.js';
import type { JsonValue } from './attributes.js';
import { nextLink } from './link.js';

export const DEFAULT_PAGE_SIZE = 1000;
const PAGE_SIZE_REJECTED = new Set(['PAGINATION_NUMBER_INVALID', 'UNSUPPORTED']);

export interface PagedListOptions<T> {
  transport: Transport;
  /** First page, without `n`. */
  url: URL;
  /** The list's key in each page: 'tags', 'repositories', 'manifests'. */
  itemsKey: string;
  /** An item of the page, or undefined when the entry is not one (the listing then fails, naming it). */
  parseItem: (value: JsonValue) => T | undefined;
  /** The cursor value of an item (`last=`), also used to drop repeats across pages. */
  keyOf: (item: T) => string;
  /** Ask again after the last item when a full page came without a Link (off for registries known to link). */
  probeWithoutLink?: boolean;
  scopes: string[];
  /** What is being listed, for messages: "tags of repository 'hello'". */
  subject: string;
  /** Stop once this many items are in (--top). */
  limit?: number;
  pageSize?: number;
  /** Whether to ask for a page size with `n` (the referrers API has none). Default true. */
  sizedPages?: boolean;
  onPage?: (itemsSoFar: number) => void;
  signal?: AbortSignal;
  /**
   * For an optional API: whether the first answer says the registry does not offer it (the listing
   * then fails with ApiNotOfferedError, for the caller to fall back). It may read the body.
   */
  notOffered?: (response: HttpResponse) => Promise<boolean>;
}

export async function listPaged<T>(options: PagedListOptions<T>): Promise<T[]> {
  let items: T[] = [];
  const visited = new Set<string>();
  const cursors = new Set<string>();
  // Keys already listed, to drop what a later page repeats; made once there is a later page.
  let seen: Set<string> | undefined;
  let pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  let url: URL | undefined = options.sizedPages === false ? new URL(options.url.href) : withPageSize(options.url, pageSize, options.limit);

  while (url) {
    if (visited.has(url.href)) throw loopError(options, url);
    const response = await options.transport({
      method: 'GET',
      url,
      headers: { accept: 'application/json' },
      scopes: options.scopes,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (options.notOffered && visited.size === 0 && (await options.notOffered(response))) {
      throw new ApiNotOfferedError(`${url.host} does not offer the API for ${options.subject} (GET ${url.pathname} answered HTTP ${response.status})`);
    }
    if (response.status === 400 && url.searchParams.has('n')) {
      const entries = await readOciErrors(response);
      const sizeRejected = entries.some((e) => PAGE_SIZE_REJECTED.has(e.code) || /\bn\b|maxResults|page size|number of results/i.test(e.message));
      const current = Number(url.searchParams.get('n'));
      if (sizeRejected && current > 1) {
        pageSize = Math.floor(current / 2);
        url = new URL(url.href);
        url.searchParams.set('n', String(pageSize));
        continue;
      }
      throw errorFromEntries({ method: 'GET', url }, 400, entries, options.subject);
    }
    if (!isSuccess(response.status)) {
      throw errorFromEntries({ method: 'GET', url }, response.status, await readOciErrors(response), options.subject);
    }
    visited.add(url.href);
    const cursor = url.searchParams.get('last');
    if (cursor !== null) cursors.add(cursor);

    const page: T[] = pageItems(await response.json(BODY_LIMITS.page), options, url);
    // Plain loops: a registry may send 100,000 tags in one page.
    let freshCount = page.length;
    if (items.length === 0) {
      items = page;
    } else {
      seen ??= new Set(items.map(options.keyOf));
      freshCount = 0;
      for (const item of page) {
        const key = options.keyOf(item);
        if (seen.has(key)) continue;
        seen.add(key);
        items.push(item);
        freshCount++;
      }
    }
    options.onPage?.(items.length);
    if (options.limit !== undefined && items.length >= options.limit) return items.slice(0, options.limit);

    const link = nextLink(response.headers['link']);
    const lastItem = page[page.length - 1];
    const probe: URL | undefined =
      options.probeWithoutLink !== false ? probeWithoutLink(url, page.length, lastItem === undefined ? undefined : options.keyOf(lastItem), freshCount) : undefined;
    const next: URL | undefined = link ? new URL(link, url) : probe;
    if (!next) break;
    if (!sameOrigin(next, url)) {
      throw new RegistryError(
        `${url.host} sent a next-page link to another origin (${next.protocol}//${next.host}) while listing ${options.subject}; refusing to follow it, and not returning a partial list`,
      );
    }
    const nextCursor = next.searchParams.get('last');
    if (nextCursor !== null && cursors.has(nextCursor)) throw loopError(options, next);
    if (options.limit !== undefined && next.searchParams.has('n')) {
      next.searchParams.set('n', String(Math.min(Number(next.searchParams.get('n')) || pageSize, options.limit - items.length)));
    }
    url = next;
  }
  return items;
}

/**
 * A full page without a Link may be a registry that pages only by `last`: ask once more after the last
 * item. Registries that ignore `last` answer with what was already seen, and the listing ends there.
 */
function probeWithoutLink(url: URL, pageLength: number, last: string | undefined, freshCount: number): URL | undefined {
  const requested = Number(url.searchParams.get('n'));
  // More than n means the registry ignores n and sent everything.
  if (!last || freshCount === 0 || pageLength !== requested) return undefined;
  const probe = new URL(url.href);
  probe.searchParams.set('last', last);
  return probe;
}

function withPageSize(url: URL, pageSize: number, limit: number | undefined): URL {
  const first = new URL(url.href);
  first.searchParams.set('n', String(limit !== undefined ? Math.min(pageSize, Math.max(limit, 1)) : pageSize));
  return first;
}

function pageItems<T>(body: unknown, options: PagedListOptions<T>, url: URL): T[] {
  const list = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[options.itemsKey] : undefined;
  // Some registries answer `null` for an empty list.
  if (list === null) return [];
  if (!Array.isArray(list)) {
    throw new RegistryError(`${url.host} answered ${url.pathname} without a '${options.itemsKey}' list; is it an OCI registry?`);
  }
  // Items usually pass as they are: copy the list only from the first one that parses into another value.
  const values = list as JsonValue[];
  let items: T[] | undefined;
  for (let index = 0; index < values.length; index++) {
    const value = values[index] as JsonValue;
    const item = options.parseItem(value);
    // A wrong entry is a wrong answer: dropping it would print a shorter list as if it were whole.
    if (item === undefined) throw malformedItem(url, options, index, value);
    if (items) items.push(item);
    else if (item !== (value as unknown)) {
      items = values.slice(0, index) as unknown as T[];
      items.push(item);
    }
  }
  return items ?? (values as unknown as T[]);
}

function malformedItem(url: URL, options: { itemsKey: string; subject: string }, index: number, value: JsonValue): RegistryError {
  let shown = JSON.stringify(value) ?? String(value);
  if (shown.length > 80) shown = `${shown.slice(0, 77)}...`;
  return new RegistryError(
    `${url.host} sent a '${options.itemsKey}' list whose entry ${index} is not what the API defines (${shown}) while listing ${options.subject}; not returning a list without it`,
  );
}

/** Lists of names (catalog, tags): non-empty strings. */
export function listNames(options: Omit<PagedListOptions<string>, 'parseItem' | 'keyOf'>): Promise<string[]> {
  return listPaged({ ...options, parseItem: (value) => (typeof value === 'string' && value ? value : undefined), keyOf: (name) => name });
}

function loopError(options: { subject: string }, url: URL): RegistryError {
  return new RegistryError(
    `${url.host} returned a page it had already sent (cursor '${url.searchParams.get('last') ?? ''}') while listing ${options.subject}; stopping rather than returning a partial list`,
  );
}
