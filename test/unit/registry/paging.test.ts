import { afterEach, describe, expect, it } from 'vitest';
import { RegistryError } from '../../../src/errors.js';
import { listNames } from '../../../src/registry/paging.js';
import { createBaseTransport, createDispatcher } from '../../../src/transport/base.js';
import { startPagingServer, type LinkMode, type PagingServer } from '../../fixtures/paging-server.js';

const transport = createBaseTransport(createDispatcher({ timeoutMs: 5_000 }));
const TAGS = Array.from({ length: 2345 }, (_, i) => `t${String(i).padStart(4, '0')}`);
let server: PagingServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function listTags(linkMode: LinkMode, maxPageSize: number, limit?: number): Promise<string[]> {
  server = await startPagingServer({ tags: TAGS, maxPageSize, linkMode });
  return listNames({
    transport,
    url: new URL('/v2/paged/tags/list', server.url),
    itemsKey: 'tags',
    scopes: [],
    subject: "repository 'paged'",
    ...(limit !== undefined ? { limit } : {}),
  });
}

describe('paging', () => {
  it('asks for 1000 first and follows relative and absolute Links to the end', async () => {
    expect(await listTags('relative', 1000)).toEqual(TAGS);
    expect(server?.requests.map((r) => r.query.n)).toEqual(['1000', '1000', '1000']);
    await server?.stop();
    expect(await listTags('absolute', 1000)).toEqual(TAGS);
  });

  it('halves n when the registry rejects the page size, then pages at the accepted size', async () => {
    expect(await listTags('relative', 300)).toEqual(TAGS);
    const sizes = server?.requests.map((r) => r.query.n) ?? [];
    expect(sizes.slice(0, 3)).toEqual(['1000', '500', '250']);
    expect(new Set(sizes.slice(2))).toEqual(new Set(['250']));
  });

  it('refuses a Link to another origin instead of returning a partial list', async () => {
    await expect(listTags('cross-origin', 1000)).rejects.toThrow(/another origin/);
    expect(server?.requests.every((r) => r.origin === server?.url)).toBe(true);
  });

  it('stops with an error on a repeated cursor', async () => {
    const failure = listTags('repeat-cursor', 500);
    await expect(failure).rejects.toBeInstanceOf(RegistryError);
    await expect(failure).rejects.toThrow(/already sent/);
  });

  it('stops asking once --top is reached', async () => {
    expect(await listTags('relative', 1000, 5)).toEqual(TAGS.slice(0, 5));
    expect(server?.requests).toHaveLength(1);
    expect(server?.requests[0]?.query.n).toBe('5');
  });

  it('asks after the last item when a full page comes without a Link, rather than stopping short', async () => {
    expect(await listTags('none', 1000)).toEqual(TAGS);
    expect(server?.requests.map((r) => r.query.last)).toEqual([undefined, 't0999', 't1999']);
  });
});
