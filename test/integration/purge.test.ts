// acrx purge against the real CNCF distribution registry (2.8: no referrers API, no single-tag delete):
// every plan is compared with the ground truth of what was pushed, every execution is checked against its
// plan by reading the registry directly, and bytesFreed against the blobs distribution's own garbage
// collector removes from storage afterwards. Faults (a failing DELETE, an interruption while deletions are
// in flight) go through a proxy in front of the registry.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli, type CliResult } from '../support/cli.js';
import { startCli } from '../support/cli-process.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { startServer, type TestServer } from '../support/http-server.js';
import { expectPlan, expectResults, planOf, shown, type ExpectedPlan, type Plan } from '../support/purge-check.js';
import {
  artifact,
  daysAgo,
  freedBlobs,
  holds,
  image,
  indexOf,
  layerBytes,
  listTags,
  multiArch,
  registryState,
  signAndSbom,
  Truth,
  type Item,
  type RegistryState,
} from '../support/purge-seed.js';
import { blobsAfterGc, lostBlobs } from '../support/registry-gc.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { forEachLimited, pushManifestBytes } from '../support/seed.js';
import { missingToolMessage, requireBinary } from '../support/tools.js';

const missing = (['docker-registry'] as const).filter((tool) => !requireBinary(tool));
if (missing.length > 0 && process.env.CI === 'true') throw new Error(missing.map(missingToolMessage).join('\n'));

const MANY_IMAGES = 20;
const TAGS_PER_IMAGE = 100;
const manyTag = (image: number, index: number) => `t${image}-${index}`;

async function manifestBytes(url: string, repo: string, digest: string): Promise<Buffer> {
  const answer = await request(`${url}/v2/${repo}/manifests/${digest}`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
  if (answer.statusCode !== 200) throw new Error(`GET ${repo}@${digest} answered ${answer.statusCode}`);
  return Buffer.from(await answer.body.arrayBuffer());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(missing.length > 0)('purge on a registry without the ACR API (distribution)', () => {
  let registry: RunningRegistry;
  let proxy: FaultProxy;
  const truth = new Truth();
  // Named items of the scenarios, one repository each.
  const web: Record<string, Item> = {};
  let webRefs: Awaited<ReturnType<typeof signAndSbom>>;
  let webMulti: Awaited<ReturnType<typeof multiArch>>;
  const keep: Item[] = [];
  const multi: Record<string, Item> = {};
  const signed: Record<string, Item> = {};
  let signedRefs: { one: Awaited<ReturnType<typeof signAndSbom>>; two: Awaited<ReturnType<typeof signAndSbom>> };
  const untaggedOnly: Record<string, Item> = {};
  let untaggedOnlyRefs: Awaited<ReturnType<typeof signAndSbom>>;
  const noTime: Record<string, Item> = {};
  const many: Item[] = [];
  const failing: Item[] = [];
  const interrupted: Item[] = [];

  const purge = (args: string[], host = registry.host): Promise<CliResult> => spawnCli(['purge', '-n', host, ...args]);

  beforeAll(async () => {
    registry = await startRegistry({ deleteEnabled: true });
    proxy = await startFaultProxy(registry.url);
    const url = registry.url;

    // web: a shared base layer, old and new images, one with a second tag the filter does not match, an
    // artifact and an index without a time, an image whose only time is its created annotation, and the
    // oldest image signed with an SBOM the referrers-tag-schema way.
    const base = layerBytes('web base layer', 40_000);
    web.old = await image(url, truth, 'web', { tags: ['1.0'], created: daysAgo(400), sharedLayers: [base] });
    webRefs = await signAndSbom(url, truth, 'web', web.old, { schema: 'tags' });
    web.twoTags = await image(url, truth, 'web', { tags: ['1.1', 'stable'], created: daysAgo(40), sharedLayers: [base] });
    web.recent = await image(url, truth, 'web', { tags: ['1.2'], created: daysAgo(2), sharedLayers: [base] });
    web.chart = await artifact(url, truth, 'web', ['1.9-chart'], 'a chart without a time');
    webMulti = await multiArch(url, truth, 'web', { tags: ['1.3'], created: daysAgo(400) });
    web.annotated = await image(url, truth, 'web', { tags: ['1.4'], created: null, annotationCreated: daysAgo(100) });

    // keep: five old images and a new one.
    for (const [index, age] of [100, 90, 80, 70, 60, 1].entries()) {
      keep.push(await image(url, truth, 'keep', { tags: [`k${index + 1}`], created: daysAgo(age) }));
    }

    // multi: two indexes sharing a platform child.
    const fresh = await multiArch(url, truth, 'multi', { tags: ['new'], created: daysAgo(1) });
    multi.new = fresh.index;
    multi.newAmd64 = fresh.children[0] as Item;
    multi.shared = fresh.children[1] as Item;
    multi.oldAmd64 = await image(url, truth, 'multi', { tags: [], created: daysAgo(400), architecture: 'amd64', salt: 'old' });
    multi.old = await indexOf(url, truth, 'multi', ['old'], [multi.oldAmd64, multi.shared]);

    // signed: two old images, each signed with an SBOM; the SBOM of the first one is signed too.
    signed.one = await image(url, truth, 'signed', { tags: ['v1'], created: daysAgo(400) });
    signed.two = await image(url, truth, 'signed', { tags: ['v2'], created: daysAgo(400) });
    signedRefs = {
      one: await signAndSbom(url, truth, 'signed', signed.one, { schema: 'tags', signSbom: true }),
      two: await signAndSbom(url, truth, 'signed', signed.two, { schema: 'tags' }),
    };

    // untagged-only: what acrx can see untagged on an OCI registry are platform children and referrers.
    const uo = await multiArch(url, truth, 'untagged-only', { tags: ['x'], created: daysAgo(400) });
    untaggedOnly.index = uo.index;
    untaggedOnly.amd64 = uo.children[0] as Item;
    untaggedOnly.arm64 = uo.children[1] as Item;
    untaggedOnly.image = await image(url, truth, 'untagged-only', { tags: ['y'], created: daysAgo(400) });
    untaggedOnlyRefs = await signAndSbom(url, truth, 'untagged-only', untaggedOnly.image, { schema: 'tags' });

    // no-time: an artifact and an index without any time.
    noTime.chart = await artifact(url, truth, 'no-time', ['chart'], 'no time at all');
    const nt = await multiArch(url, truth, 'no-time', { tags: ['idx'], created: daysAgo(400) });
    noTime.index = nt.index;

    for (let i = 1; i <= 4; i++) failing.push(await image(url, truth, 'failing', { tags: [`f${i}`], created: daysAgo(400) }));
    for (let i = 1; i <= 8; i++) interrupted.push(await image(url, truth, 'interrupted', { tags: [`i${i}`], created: daysAgo(400) }));
  });

  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  /** The registry as it must look after deleting `deleted` (with all their tags) from `before`. */
  function stateAfter(before: RegistryState, deleted: Item[]): RegistryState {
    const gone = new Set(deleted.map((item) => `${item.repository}@${item.digest}`));
    const tags: Record<string, string[]> = {};
    for (const [repository, list] of Object.entries(before.tags)) {
      tags[repository] = list.filter((tag) => !deleted.some((item) => item.repository === repository && truth.tagsOf(repository, item.digest).includes(tag)));
    }
    return {
      tags,
      present: before.present.filter((key) => !gone.has(key)),
      gone: [...before.gone, ...gone].sort(),
    };
  }

  /**
   * The whole cycle for one expected plan: the dry run prints it and deletes nothing; without a terminal and
   * without --yes nothing is deleted (exit 2); with --yes exactly the plan is deleted, the results say so,
   * and the storage loses exactly the blobs the ground truth says only the deleted manifests held.
   */
  async function purgeAndCheck(args: string[], expected: ExpectedPlan): Promise<Plan> {
    const before = await registryState(registry.url, truth);
    const truthBefore = truth.clone();
    const storedBefore = await blobsAfterGc(registry.storageDir);

    const dry = await purge([...args, '--dry-run']);
    expect(dry.code, shown(dry)).toBe(0);
    const dryPlan = planOf(dry);
    expect(dryPlan.dryRun).toBe(true);
    expect(dryPlan.results, 'no results in a dry run').toBeUndefined();
    expect(dryPlan.registry).toBe(registry.host);
    expectPlan(dryPlan, truth, expected);
    expect(await registryState(registry.url, truth), 'a dry run deletes nothing').toEqual(before);

    const unconfirmed = await purge(args);
    expect(unconfirmed.code, shown(unconfirmed)).toBe(2);
    expect(unconfirmed.stderr).toMatch(/ERROR: .*--yes/);
    expect(await registryState(registry.url, truth), 'without a terminal and --yes nothing is deleted').toEqual(before);

    const run = await purge([...args, '--yes']);
    expect(run.code, shown(run)).toBe(0);
    const plan = planOf(run);
    expect(plan.dryRun).toBe(false);
    expectPlan(plan, truth, expected);
    expectResults(plan, { tag: ['deleted'], manifest: ['deleted'] });

    const deleted = expected.manifests.map(({ item }) => item);
    expect(await registryState(registry.url, truth), 'exactly the planned manifests and their tags are gone').toEqual(stateAfter(before, deleted));

    // Storage: what garbage collection removes now is what only the deleted manifests held, less what a
    // manifest of another repository holds too (the empty config of artifacts, for one).
    for (const item of deleted) truth.remove(item.repository, item.digest);
    const lost = lostBlobs(storedBefore, await blobsAfterGc(registry.storageDir));
    const heldElsewhere = new Set(truth.repositories().flatMap((repository) => truth.items(repository).flatMap((item) => holds(item).map((blob) => blob.digest))));
    const perRepository = new Map<string, number>();
    for (const blobs of freedBlobs(truthBefore, deleted).values()) for (const [digest, size] of blobs) perRepository.set(digest, size);
    const expectedLost = [...perRepository].filter(([digest]) => !heldElsewhere.has(digest));
    expect([...lost.keys()].sort(), 'blobs garbage collection removed').toEqual(expectedLost.map(([digest]) => digest).sort());
    const lostBytes = [...lost.values()].reduce((sum, size) => sum + size, 0);
    if (expectedLost.length === perRepository.size) expect(plan.bytesFreed, 'bytesFreed is what the storage lost').toBe(lostBytes);
    return plan;
  }

  it('the seeded scenarios are in the registry as the ground truth says', async () => {
    const state = await registryState(registry.url, truth);
    expect(state.gone).toEqual([]);
    for (const repository of truth.repositories()) expect(state.tags[repository], repository).toEqual(Object.keys(truth.tags(repository)));
    const stored = await blobsAfterGc(registry.storageDir);
    for (const repository of truth.repositories()) {
      for (const item of truth.items(repository)) {
        for (const blob of [{ digest: item.digest, size: item.size }, ...item.blobs]) expect(stored.get(blob.digest), `${repository} ${blob.digest}`).toBe(blob.size);
      }
    }
  });

  it('--ago purges the tags older than the cutoff with their manifests, signatures, SBOMs and referrers index; a manifest with another tag, an artifact and an index without a time are protected', async () => {
    await purgeAndCheck(['--filter', 'web:1\\..*', '--ago', '30d'], {
      timeSource: 'created',
      referrersTagsMayBeListed: true,
      tags: [
        { item: web.old as Item, tag: '1.0' },
        { item: web.annotated as Item, tag: '1.4' },
      ],
      manifests: [
        { item: web.old as Item, reason: 'all-tags-purged' },
        { item: web.annotated as Item, reason: 'all-tags-purged' },
        { item: webRefs.signature, reason: 'subject-deleted' },
        { item: webRefs.sbom, reason: 'subject-deleted' },
        { item: webRefs.indexes[0] as Item, reason: 'referrers-index' },
      ],
      protected: [
        { item: web.twoTags as Item, protection: 'other-tags', mentions: ['stable'] },
        { item: web.chart as Item, protection: 'no-time' },
        { item: webMulti.index, protection: 'no-time' },
      ],
    });
    // What is left of web, read from the registry: the newer image, the kept two-tag image, the index and the artifact.
    expect(await listTags(registry.url, 'web')).toEqual(['1.1', '1.2', '1.3', '1.9-chart', 'stable']);
  });

  it('--keep N keeps the N most recent of the matching old tags, per repository', async () => {
    const [k1, k2, k3, k4, k5] = keep as [Item, Item, Item, Item, Item];
    await purgeAndCheck(['--filter', 'keep:k.*', '--ago', '30d', '--keep', '2'], {
      timeSource: 'created',
      tags: [k1, k2, k3].map((item) => ({ item, tag: truth.tagsOf('keep', item.digest)[0] as string })),
      manifests: [k1, k2, k3].map((item) => ({ item, reason: 'all-tags-purged' as const })),
      protected: [
        { item: k4, protection: 'keep', tag: 'k4' },
        { item: k5, protection: 'keep', tag: 'k5' },
      ],
    });
    expect(await listTags(registry.url, 'keep')).toEqual(['k4', 'k5', 'k6']);
  });

  it('--untagged deletes the platform children of a purged index, but not a child another surviving index lists (index-child)', async () => {
    // Without --untagged only the index goes; its children stay.
    const dry = await purge(['--filter', 'multi:old', '--dry-run']);
    expect(dry.code, shown(dry)).toBe(0);
    expectPlan(planOf(dry), truth, {
      timeSource: 'created',
      tags: [{ item: multi.old as Item, tag: 'old' }],
      manifests: [{ item: multi.old as Item, reason: 'all-tags-purged' }],
      protected: [],
    });
    await purgeAndCheck(['--filter', 'multi:old', '--untagged'], {
      timeSource: 'created',
      tags: [{ item: multi.old as Item, tag: 'old' }],
      manifests: [
        { item: multi.old as Item, reason: 'all-tags-purged' },
        { item: multi.oldAmd64 as Item, reason: 'untagged' },
      ],
      protected: [
        { item: multi.shared as Item, protection: 'index-child', mentions: [multi.new?.digest as string] },
        { item: multi.newAmd64 as Item, protection: 'index-child' },
      ],
    });
  });

  it('signatures and SBOMs of a purged image go first, to every depth, with their referrers indexes; those of a kept image are protected', async () => {
    const plan = await purgeAndCheck(['--filter', 'signed:v1', '--untagged'], {
      timeSource: 'created',
      referrersTagsMayBeListed: true,
      tags: [{ item: signed.one as Item, tag: 'v1' }],
      manifests: [
        { item: signed.one as Item, reason: 'all-tags-purged' },
        // Untagged referrers of a deleted subject under --untagged go as subject-deleted (README, purge).
        { item: signedRefs.one.signature, reason: 'subject-deleted' },
        { item: signedRefs.one.sbom, reason: 'subject-deleted' },
        { item: signedRefs.one.sbomSignature as Item, reason: 'subject-deleted' },
        ...signedRefs.one.indexes.map((item) => ({ item, reason: 'referrers-index' as const })),
      ],
      protected: [
        { item: signedRefs.two.signature, protection: 'subject-kept' },
        { item: signedRefs.two.sbom, protection: 'subject-kept' },
      ],
    });
    // The execution order is the plan's order: the subject is the last of them.
    expect(plan.manifests.at(-1)?.digest).toBe(signed.one?.digest);
  });

  it('--untagged-only removes no tag and, where untagged manifests cannot be listed, deletes nothing and warns', async () => {
    const before = await registryState(registry.url, truth);
    const result = await purge(['--filter', 'untagged-only:.*', '--untagged-only', '--yes']);
    expect(result.code, shown(result)).toBe(0);
    expect(result.stderr).toMatch(/WARNING: .*untagged/i);
    const plan = planOf(result);
    expectPlan(plan, truth, {
      timeSource: 'created',
      tags: [],
      manifests: [],
      protected: [
        { item: untaggedOnly.amd64 as Item, protection: 'index-child' },
        { item: untaggedOnly.arm64 as Item, protection: 'index-child' },
        { item: untaggedOnlyRefs.signature, protection: 'subject-kept' },
        { item: untaggedOnlyRefs.sbom, protection: 'subject-kept' },
      ],
      bytesFreed: 0,
    });
    expect(plan.results ?? []).toEqual([]);
    expect(await registryState(registry.url, truth)).toEqual(before);
  });

  it('--ago 0d without --keep does not consult times: an artifact and an index without a time are purged; with --keep they are protected (no-time)', async () => {
    const keepDry = await purge(['--filter', 'no-time:.*', '--keep', '0', '--dry-run']);
    expect(keepDry.code, shown(keepDry)).toBe(0);
    expectPlan(planOf(keepDry), truth, {
      timeSource: 'created',
      tags: [],
      manifests: [],
      protected: [
        { item: noTime.chart as Item, protection: 'no-time' },
        { item: noTime.index as Item, protection: 'no-time' },
      ],
    });
    await purgeAndCheck(['--filter', 'no-time:.*', '--ago', '0d'], {
      timeSource: 'created',
      tags: [
        { item: noTime.chart as Item, tag: 'chart' },
        { item: noTime.index as Item, tag: 'idx' },
      ],
      manifests: [
        { item: noTime.chart as Item, reason: 'all-tags-purged' },
        { item: noTime.index as Item, reason: 'all-tags-purged' },
      ],
      protected: [],
    });
  });

  it('thousands of tags: a manifest goes only when every one of its tags is purged', { timeout: 180_000 }, async () => {
    // Seeded here, so the storage the other tests garbage-collect stays small.
    // many: 20 old images with 100 tags each.
    for (let i = 0; i < MANY_IMAGES; i++) {
      const item = await image(registry.url, truth, 'many', { tags: [manyTag(i, 0)], created: daysAgo(400 - i) });
      const rest = Array.from({ length: TAGS_PER_IMAGE - 1 }, (_, j) => manyTag(i, j + 1));
      const bytes = await manifestBytes(registry.url, 'many', item.digest);
      await forEachLimited(rest, 16, async (tag) => void (await pushManifestBytes(registry.url, 'many', tag, bytes, item.mediaType)));
      truth.add(item, rest);
      many.push(item);
    }
    let started = performance.now();
    const even = await purge(['--filter', 'many:t[0-9]+-[0-9]*[02468]', '--ago', '30d', '--dry-run']);
    expect(even.code, shown(even)).toBe(0);
    expectPlan(planOf(even), truth, {
      timeSource: 'created',
      tags: [],
      manifests: [],
      protected: many.map((item) => ({ item, protection: 'other-tags' })),
    });
    if (process.env.ACRX_TEST_TIMINGS) process.stderr.write(`dry run of 2000 tags: ${Math.round(performance.now() - started)} ms\n`);
    started = performance.now();
    await purgeAndCheck(['--filter', 'many:t.*', '--ago', '30d'], {
      timeSource: 'created',
      tags: many.flatMap((item) => truth.tagsOf('many', item.digest).map((tag) => ({ item, tag }))),
      manifests: many.map((item) => ({ item, reason: 'all-tags-purged' as const })),
      protected: [],
    });
    expect(await listTags(registry.url, 'many')).toEqual([]);
    if (process.env.ACRX_TEST_TIMINGS) process.stderr.write(`purge of 2000 tags, checked: ${Math.round(performance.now() - started)} ms\n`);
  });

  it('a DELETE the registry refuses is exit 1 with the JSON results ("failed"); a rerun deletes what is left and exits 0', async () => {
    const victim = failing[1] as Item;
    proxy.fail((method, path) => method === 'DELETE' && path === `/v2/failing/manifests/${victim.digest}`, 500);
    try {
      const result = await purge(['--filter', 'failing:.*', '--yes'], proxy.host);
      expect(result.code, shown(result)).toBe(1);
      const plan = planOf(result);
      expect(plan.manifests.map((entry) => entry.digest).sort()).toEqual(failing.map((item) => item.digest).sort());
      expectResults(plan, { tag: ['deleted', 'failed'], manifest: ['deleted', 'failed'] });
      const failed = (plan.results ?? []).filter((entry) => entry.status === 'failed');
      expect(failed.filter((entry) => entry.kind === 'manifest').map((entry) => entry.name)).toEqual([victim.digest]);
      expect(failed.every((entry) => typeof entry.error === 'string' && entry.error.length > 0)).toBe(true);
      expect(result.stderr).toMatch(/ERROR: /);
      expect(await listTags(registry.url, 'failing')).toEqual(truth.tagsOf('failing', victim.digest));
    } finally {
      proxy.clear();
    }
    const rerun = await purge(['--filter', 'failing:.*', '--yes'], proxy.host);
    expect(rerun.code, shown(rerun)).toBe(0);
    const plan = planOf(rerun);
    expect(plan.manifests.map((entry) => entry.digest)).toEqual([victim.digest]);
    expectResults(plan, { tag: ['deleted'], manifest: ['deleted'] });
    const state = await registryState(registry.url, truth);
    expect(state.tags.failing).toEqual([]);
    expect(state.gone.filter((key) => key.startsWith('failing@'))).toHaveLength(failing.length);
    for (const item of failing) truth.remove(item.repository, item.digest);
  });

  it('Ctrl-C while the plan is read exits 130 with nothing printed and nothing deleted', async () => {
    const before = await registryState(registry.url, truth);
    proxy.hold((method, path) => method === 'GET' && path === '/v2/interrupted/tags/list');
    try {
      const running = startCli(['purge', '-n', proxy.host, '--filter', 'interrupted:.*', '--yes']);
      await proxy.waitForHeld(1);
      running.child.kill('SIGINT');
      await sleep(300);
      proxy.release();
      const result = await running.done;
      expect(result.code, shown(result)).toBe(130);
      expect(result.stdout).toBe('');
    } finally {
      proxy.clear();
    }
    expect(await registryState(registry.url, truth)).toEqual(before);
  });

  it('Ctrl-C while deletions are in flight lets them finish, prints the results with the rest "not-started", exits 130; a rerun completes the purge', async () => {
    const before = await registryState(registry.url, truth);
    proxy.hold((method, path) => method === 'DELETE' && path.startsWith('/v2/interrupted/manifests/'));
    let result: CliResult;
    try {
      const running = startCli(['purge', '-n', proxy.host, '--filter', 'interrupted:.*', '--concurrency', '2', '--yes']);
      await proxy.waitForHeld(2);
      running.child.kill('SIGINT');
      // The signal is handled while the two deletions are still held; then they may finish.
      await sleep(500);
      proxy.release();
      result = await running.done;
    } finally {
      proxy.clear();
    }
    expect(result.code, shown(result)).toBe(130);
    const plan = planOf(result);
    expect(plan.manifests.map((entry) => entry.digest).sort()).toEqual(interrupted.map((item) => item.digest).sort());
    expectResults(plan, { tag: ['deleted', 'not-started'], manifest: ['deleted', 'not-started'] });
    const manifests = (plan.results ?? []).filter((entry) => entry.kind === 'manifest');
    const done = manifests.filter((entry) => entry.status === 'deleted').map((entry) => entry.name);
    expect(done, 'the two deletions in flight finished').toHaveLength(2);
    expect(manifests.filter((entry) => entry.status === 'not-started')).toHaveLength(interrupted.length - 2);
    // The registry agrees with the results.
    expect(await registryState(registry.url, truth)).toEqual(stateAfter(before, interrupted.filter((item) => done.includes(item.digest))));

    const rerun = await purge(['--filter', 'interrupted:.*', '--yes']);
    expect(rerun.code, shown(rerun)).toBe(0);
    const rest = planOf(rerun);
    expect(rest.manifests.map((entry) => entry.digest).sort()).toEqual(interrupted.filter((item) => !done.includes(item.digest)).map((item) => item.digest).sort());
    expectResults(rest, { tag: ['deleted'], manifest: ['deleted'] });
    expect(await registryState(registry.url, truth)).toEqual(stateAfter(before, interrupted));
    for (const item of interrupted) truth.remove(item.repository, item.digest);
  });

  it('a filter that backtracks without end fails with exit 2 once --filter-timeout-seconds is over, deleting nothing', { timeout: 60_000 }, async () => {
    const url = registry.url;
    const rx = new Truth();
    await image(url, rx, 'rx', { tags: [`${'a'.repeat(40)}b`], created: daysAgo(400) });
    const result = await purge(['--filter', 'rx:(a+)+$', '--filter-timeout-seconds', '1', '--yes']);
    expect(result.code, shown(result)).toBe(2);
    expect(result.stderr).toMatch(/ERROR: /);
    expect(result.stdout).toBe('');
    expect((await registryState(url, rx)).gone).toEqual([]);
  });
});

describe('purge: a command-line mistake is exit 2 before any request', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'docker-distribution-api-version': 'registry/2.0' });
      response.end('{}');
    });
  });
  afterAll(async () => server?.stop());

  const cases: Array<[string, string[]]> = [
    ['no --filter', ['--ago', '1d']],
    ['a filter without a colon', ['--filter', 'web']],
    ['an invalid repository regex', ['--filter', 'web(:.*']],
    ['an invalid tag regex', ['--filter', 'web:[a-']],
    ['--ago that is not a duration', ['--filter', 'web:.*', '--ago', 'yesterday']],
    ['--ago without a unit', ['--filter', 'web:.*', '--ago', '30']],
    ['--keep below zero', ['--filter', 'web:.*', '--keep', '-1']],
    ['--keep not a whole number', ['--filter', 'web:.*', '--keep', '1.5']],
    ['--untagged with --untagged-only', ['--filter', 'web:.*', '--untagged', '--untagged-only']],
    ['--concurrency 0', ['--filter', 'web:.*', '--concurrency', '0']],
  ];
  for (const [name, args] of cases) {
    it(`${name}`, async () => {
      const result = await spawnCli(['purge', '-n', server.origin.host, ...args, '--yes']);
      expect(result.code, shown(result)).toBe(2);
      expect(result.stderr).toMatch(/^ERROR: /m);
      expect(result.stdout).toBe('');
      expect(server.requests).toEqual([]);
    });
  }
});
