// The paging fixture stands in for registries that page; later tests trust it, so it is checked here.
import { afterEach, describe, expect, test } from 'vitest';
import { startPagingServer, type LinkMode, type PagingServer } from '../fixtures/paging-server.js';

const started: PagingServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop()));
});

async function pagingServer(linkMode: LinkMode, maxPageSize = 3): Promise<PagingServer> {
  const server = await startPagingServer({
    tags: ['e', 'a', 'd', 'c', 'b', 'f', 'g'],
    repositories: ['team/app', 'base', 'zeta', 'alpha'],
    maxPageSize,
    linkMode,
  });
  started.push(server);
  return server;
}

interface Answer {
  status: number;
  link: string | null;
  body: unknown;
}

async function get(target: string): Promise<Answer> {
  const response = await fetch(target);
  return { status: response.status, link: response.headers.get('link'), body: await response.json() };
}

function linkTarget(link: string | null): string {
  const match = /^<([^>]+)>; rel="next"$/.exec(link ?? '');
  if (!match?.[1]) throw new Error(`not a next Link: ${link}`);
  return match[1];
}

describe('paging server fixture', () => {
  test('pages tags in sorted order with relative Links until none remain', async () => {
    const server = await pagingServer('relative');
    const pages: unknown[] = [];
    let next: string | undefined = '/v2/team/app/tags/list?n=3';
    while (next) {
      const answer = await get(new URL(next, server.url).toString());
      expect(answer.status).toBe(200);
      pages.push(answer.body);
      next = answer.link ? linkTarget(answer.link) : undefined;
    }
    expect(pages).toEqual([
      { name: 'team/app', tags: ['a', 'b', 'c'] },
      { name: 'team/app', tags: ['d', 'e', 'f'] },
      { name: 'team/app', tags: ['g'] },
    ]);
    expect(server.requests.map((request) => request.query)).toEqual([{ n: '3' }, { last: 'c', n: '3' }, { last: 'f', n: '3' }]);
  });

  test('uses maxPageSize when n is absent and refuses n above it like distribution', async () => {
    const server = await pagingServer('relative', 2);
    expect(await get(`${server.url}/v2/_catalog`)).toEqual({
      status: 200,
      link: '</v2/_catalog?last=base&n=2>; rel="next"',
      body: { repositories: ['alpha', 'base'] },
    });
    const refused = await get(`${server.url}/v2/_catalog?n=1000`);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ errors: [{ code: 'PAGINATION_NUMBER_INVALID' }] });
  });

  test('encodes a repository name cursor and continues after it', async () => {
    const server = await pagingServer('relative', 3);
    const first = await get(`${server.url}/v2/_catalog?n=3`);
    expect(first.link).toBe('</v2/_catalog?last=team%2Fapp&n=3>; rel="next"');
    expect(await get(new URL(linkTarget(first.link), server.url).toString())).toMatchObject({
      link: null,
      body: { repositories: ['zeta'] },
    });
  });

  test('absolute Links name this server, cross-origin Links another origin that records what reaches it', async () => {
    const absolute = await pagingServer('absolute');
    expect(linkTarget((await get(`${absolute.url}/v2/base/tags/list`)).link)).toBe(`${absolute.url}/v2/base/tags/list?last=c&n=3`);

    const crossOrigin = await pagingServer('cross-origin');
    const target = linkTarget((await get(`${crossOrigin.url}/v2/base/tags/list`)).link);
    expect(new URL(target).origin).toBe(crossOrigin.crossOriginUrl);
    expect(new URL(target).origin).not.toBe(crossOrigin.url);
    expect((await get(target)).body).toEqual({ name: 'base', tags: ['d', 'e', 'f'] });
    expect(crossOrigin.requests.map((request) => request.origin)).toEqual([crossOrigin.url, crossOrigin.crossOriginUrl]);
  });

  test('repeat-cursor sends the client back to the cursor it just used', async () => {
    const server = await pagingServer('repeat-cursor');
    const first = await get(`${server.url}/v2/base/tags/list`);
    const second = await get(new URL(linkTarget(first.link), server.url).toString());
    expect(linkTarget(second.link)).toBe(linkTarget(first.link));
  });

  test('none stops after the first page even though more remain', async () => {
    const server = await pagingServer('none');
    expect(await get(`${server.url}/v2/base/tags/list`)).toMatchObject({ link: null, body: { tags: ['a', 'b', 'c'] } });
  });

  test('answers the ping and NAME_UNKNOWN like a registry', async () => {
    const server = await pagingServer('relative');
    expect(await get(`${server.url}/v2/`)).toMatchObject({ status: 200, body: {} });
    expect(await get(`${server.url}/v2/missing/tags/list`)).toMatchObject({
      status: 404,
      body: { errors: [{ code: 'NAME_UNKNOWN' }] },
    });
  });
});
