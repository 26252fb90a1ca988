// The read commands against the real distribution registry, checked against what was pushed.
import { expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseAzJson, runCli, spawnCli } from '../support/cli.js';
import { describeWithRegistry } from '../support/inject.js';
import type { RepoTruth } from '../support/seed.js';

function sortedTags(repo: RepoTruth): string[] {
  return Object.keys(repo.tags).sort();
}

function createdOf(repo: RepoTruth, tag: string): string | undefined {
  return repo.manifests[repo.tags[tag] as string]?.created;
}

/** Newest (or oldest) first, undated last, ties by name: the order acrx promises for --orderby. */
function tagsByTime(repo: RepoTruth, order: 'time_asc' | 'time_desc'): string[] {
  const sign = order === 'time_asc' ? 1 : -1;
  return sortedTags(repo).sort((a, b) => {
    const ta = createdOf(repo, a);
    const tb = createdOf(repo, b);
    if (!ta || !tb) return ta === tb ? a.localeCompare(b) : ta ? -1 : 1;
    return ta === tb ? (a < b ? -1 : 1) : sign * (Date.parse(ta) - Date.parse(tb));
  });
}

function manifestGroups(repo: RepoTruth): Array<{ digest: string; tags: string[]; timestamp?: string }> {
  return Object.entries(repo.manifests)
    .filter(([, manifest]) => manifest.tags.length > 0)
    .map(([digest, manifest]) => ({ digest, tags: [...manifest.tags].sort(), ...(manifest.created ? { timestamp: manifest.created } : {}) }))
    .sort((a, b) => (a.digest < b.digest ? -1 : 1));
}

describeWithRegistry('repository read commands on distribution', (registry) => {
  const acrx = (...args: string[]) => runCli([...args, '-n', registry.host]);
  const { truth } = registry;

  it('lists every repository although the catalog pages by 5', async () => {
    expect(parseAzJson(await acrx('repository', 'list'))).toEqual(truth.repositories);
    expect(parseAzJson(await acrx('repository', 'list', '--top', '3'))).toEqual(truth.repositories.slice(0, 3));
  });

  it('shows the tags of every repository, sorted by name', async () => {
    for (const name of truth.repositories) {
      expect(parseAzJson(await acrx('repository', 'show-tags', '--repository', name))).toEqual(sortedTags(truth.repos[name] as RepoTruth));
    }
  });

  it('lists all 3000 tags of a large repository, and --top takes the first names', async () => {
    const many = truth.repos.many as RepoTruth;
    expect(parseAzJson(await acrx('repository', 'show-tags', '--repository', 'many'))).toEqual(sortedTags(many));
    expect(sortedTags(many)).toHaveLength(3000);
    expect(parseAzJson(await acrx('repository', 'show-tags', '--repository', 'many', '--top', '7'))).toEqual(sortedTags(many).slice(0, 7));
  });

  it('orders tags by the image config time in both directions', async () => {
    for (const name of ['hello', 'legacy/app', 'multi', 'team-a/svc/web']) {
      const repo = truth.repos[name] as RepoTruth;
      for (const order of ['time_asc', 'time_desc'] as const) {
        expect(parseAzJson(await acrx('repository', 'show-tags', '--repository', name, '--orderby', order)), `${name} ${order}`).toEqual(tagsByTime(repo, order));
      }
    }
    const hello = truth.repos.hello as RepoTruth;
    expect(parseAzJson(await acrx('repository', 'show-tags', '--repository', 'hello', '--orderby', 'time_desc', '--top', '2'))).toEqual(
      tagsByTime(hello, 'time_desc').slice(0, 2),
    );
  });

  it('gives each tag its digest and time with --detail', async () => {
    const hello = truth.repos.hello as RepoTruth;
    const detail = parseAzJson(await acrx('repository', 'show-tags', '--repository', 'hello', '--detail')) as Array<Record<string, unknown>>;
    expect(detail.map((tag) => tag.name)).toEqual(sortedTags(hello));
    for (const tag of detail) {
      const name = tag.name as string;
      expect(tag.digest).toBe(hello.tags[name]);
      expect(tag.createdTime).toBe(createdOf(hello, name));
    }
  });

  it('groups tags by digest in show-manifests, for every repository, leaving untagged manifests out', async () => {
    for (const name of truth.repositories) {
      const repo = truth.repos[name] as RepoTruth;
      expect(parseAzJson(await acrx('repository', 'show-manifests', '--repository', name)), name).toEqual(manifestGroups(repo));
    }
  });

  it('groups the 3000 tags of the large repository onto their 60 digests', async () => {
    const groups = parseAzJson(await acrx('repository', 'show-manifests', '--repository', 'many')) as Array<{ tags: string[] }>;
    expect(groups).toEqual(manifestGroups(truth.repos.many as RepoTruth));
    expect(groups).toHaveLength(60);
    expect(groups.reduce((sum, group) => sum + group.tags.length, 0)).toBe(3000);
  });

  it('orders manifests by time and cuts them with --top', async () => {
    const hello = manifestGroups(truth.repos.hello as RepoTruth);
    const dated = hello.filter((m) => m.timestamp).sort((a, b) => Date.parse(b.timestamp as string) - Date.parse(a.timestamp as string));
    const undated = hello.filter((m) => !m.timestamp);
    expect(parseAzJson(await acrx('repository', 'show-manifests', '--repository', 'hello', '--orderby', 'time_desc'))).toEqual([...dated, ...undated]);
    expect(parseAzJson(await acrx('repository', 'show-manifests', '--repository', 'hello', '--orderby', 'time_asc', '--top', '1'))).toEqual([dated.at(-1)]);
  });

  it('describes index, artifact and Docker manifests with --detail', async () => {
    for (const name of ['multi', 'hello', 'legacy/app']) {
      const repo = truth.repos[name] as RepoTruth;
      const detail = parseAzJson(await acrx('repository', 'show-manifests', '--repository', name, '--detail')) as Array<Record<string, unknown>>;
      for (const manifest of detail) {
        const expected = repo.manifests[manifest.digest as string];
        expect(expected, `${name} ${String(manifest.digest)}`).toBeDefined();
        expect(manifest.mediaType).toBe(expected?.mediaType);
        expect(manifest.size).toBe(expected?.size);
        expect(manifest.tags).toEqual(expected?.tags);
        expect(manifest.createdTime).toBe(expected?.created);
        expect(manifest.architecture).toBe(expected?.architecture);
        expect(manifest.os).toBe(expected?.os);
        expect(manifest.configMediaType).toBe(expected?.configMediaType);
        expect(manifest.artifactType).toBe(expected?.artifactType);
        expect(manifest.subject).toBe(expected?.subject);
        expect((manifest.references as Array<{ digest: string }> | undefined)?.map((r) => r.digest)).toEqual(expected?.children);
      }
    }
  });

  it('shows an image by tag and by digest, with every tag on its digest', async () => {
    const hello = truth.repos.hello as RepoTruth;
    const digest = hello.tags.v2 as string;
    const byTag = parseAzJson(await acrx('repository', 'show', '--image', 'hello:v2')) as Record<string, unknown>;
    expect(byTag).toMatchObject({ name: 'v2', digest, tags: ['latest', 'v2'], createdTime: '2024-03-05T08:30:00Z', mediaType: hello.manifests[digest]?.mediaType });
    const byDigest = parseAzJson(await acrx('repository', 'show', '--image', `hello@${digest}`)) as Record<string, unknown>;
    expect(byDigest.name).toBeUndefined();
    expect(byDigest.tags).toEqual(['latest', 'v2']);
    const untagged = Object.entries(hello.manifests).find(([, m]) => m.tags.length === 0)?.[0] as string;
    // Untagged: no tags key at all, as ACR answers (az's idiom for untagged manifests is `[?tags==null]`).
    const shownUntagged = parseAzJson(await acrx('repository', 'show', '--image', `hello@${untagged}`)) as Record<string, unknown>;
    expect(shownUntagged.digest).toBe(untagged);
    expect('tags' in shownUntagged).toBe(false);
    // A bare name means :latest.
    expect(parseAzJson(await acrx('repository', 'show', '--image', 'hello'))).toMatchObject({ name: 'latest', digest });
  });

  it('keeps Docker schema-2 digests as pushed (no conversion)', async () => {
    const legacy = truth.repos['legacy/app'] as RepoTruth;
    const shown = parseAzJson(await acrx('repository', 'show', '--image', 'legacy/app:1.0')) as Record<string, unknown>;
    expect(shown.digest).toBe(legacy.tags['1.0']);
    expect(shown.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
  });

  it('shows a nested repository', async () => {
    expect(parseAzJson(await acrx('repository', 'show', '--repository', 'team-a/svc/web'))).toEqual({
      imageName: 'team-a/svc/web',
      registry: registry.host,
      tagCount: Object.keys((truth.repos['team-a/svc/web'] as RepoTruth).tags).length,
    });
  });

  it('prints the same data in every output format', async () => {
    const args = ['repository', 'show-manifests', '--repository', 'hello'];
    const json = parseAzJson(await acrx(...args));
    expect((await acrx(...args, '-o', 'jsonc')).stdout).toBe((await acrx(...args, '-o', 'json')).stdout);
    expect(parseYaml((await acrx(...args, '-o', 'yaml')).stdout)).toEqual(json);
    expect(parseYaml((await acrx(...args, '-o', 'yamlc')).stdout)).toEqual(json);
    const groups = json as Array<{ digest: string; tags: string[]; timestamp?: string }>;
    const table = (await acrx(...args, '-o', 'table')).stdout.trimEnd().split('\n');
    // az's table drops the tags (a list); acrx's shows them joined.
    expect(table[0]).toMatch(/^Digest\s+Tags\s+Timestamp$/);
    expect(table.slice(2).map((line) => line.split(/\s+/)[0])).toEqual(groups.map((g) => g.digest));
    expect(table.slice(2).map((line) => line.slice(table[0]?.indexOf('Tags'), table[0]?.indexOf('Timestamp')).trim())).toEqual(groups.map((g) => g.tags.join(', ')));
    // knack's tsv: values in key order, a nested list as its length.
    const tsv = (await acrx(...args, '-o', 'tsv')).stdout;
    expect(tsv).toBe(groups.map((g) => `${[g.digest, String(g.tags.length), ...(g.timestamp ? [g.timestamp] : [])].join('\t')}\n`).join(''));
    const none = await acrx(...args, '-o', 'none');
    expect(none).toEqual({ code: 0, stdout: '', stderr: '' });
    const list = (await acrx('repository', 'list', '-o', 'table')).stdout.split('\n');
    expect(list.slice(0, 2)).toEqual(['Result', '-'.repeat(Math.max(6, ...truth.repositories.map((r) => r.length)))]);
    expect((await acrx('repository', 'list', '-o', 'tsv')).stdout).toBe(`${truth.repositories.join('\n')}\n`);
  });

  it('filters with --query', async () => {
    const hello = truth.repos.hello as RepoTruth;
    const result = await acrx('repository', 'show-manifests', '--repository', 'hello', '--query', "[?contains(tags, 'latest')].digest | [0]");
    expect(parseAzJson(result)).toBe(hello.tags.latest);
    expect(parseAzJson(await acrx('repository', 'show-tags', '--repository', 'hello', '--query', 'length(@)'))).toBe(Object.keys(hello.tags).length);
  });

  it('agrees with skopeo on digests', async () => {
    const { execFileSync } = await import('node:child_process');
    const { createHash } = await import('node:crypto');
    for (const image of ['hello:v1', 'multi:latest', 'legacy/app:1.1', 'team-a/svc/web:stable']) {
      const raw = execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/${image}`]);
      const shown = parseAzJson(await acrx('repository', 'show', '--image', image)) as { digest: string };
      expect(shown.digest).toBe(`sha256:${createHash('sha256').update(raw).digest('hex')}`);
    }
  });

  it('exits 3 with one line for a missing repository or tag', async () => {
    for (const args of [
      ['repository', 'show-tags', '--repository', 'does-not-exist'],
      ['repository', 'show-manifests', '--repository', 'does/not/exist'],
      ['repository', 'show', '--image', 'hello:missing'],
      ['repository', 'show', '--image', `hello@sha256:${'0'.repeat(64)}`],
    ]) {
      const result = await acrx(...args);
      expect(result.code, args.join(' ')).toBe(3);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^ERROR: .*not found in 127\.0\.0\.1:\d+.*\n$/);
    }
  });

  it('runs as a real process with the same output and exit codes', async () => {
    const listed = await spawnCli(['repository', 'list', '-n', registry.host]);
    expect(parseAzJson(listed)).toEqual(truth.repositories);
    const missing = await spawnCli(['repository', 'show', '-n', registry.host, '--image', 'hello:missing']);
    expect(missing.code).toBe(3);
  });
});
