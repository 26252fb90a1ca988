// acrx purge against the ACR test server (the /acr/v1 metadata API, locks, the referrers API) in front of
// a real distribution registry: tags are untagged rather than deleted with their manifests, untagged
// manifests (re-push leftovers) are listed and judged by their own lastUpdateTime, locks protect unless
// --include-locked, a locked repository always does. Each plan is compared with the ground truth, each
// execution with the service's own listings and with the deleting requests it received.
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAcrServer, type AcrServer } from '../fixtures/acr-server.js';
import { passwordToken } from '../support/acr-token.js';
import { spawnCli, type CliResult } from '../support/cli.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { expectPlan, expectResults, planOf, shown, type ExpectedPlan, type Plan } from '../support/purge-check.js';
import { daysAgo, image, multiArch, signAndSbom, Truth, type Item } from '../support/purge-seed.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { withAuth, type RegistryAccess } from '../support/seed.js';
import { createTestCa, type TestCa } from '../support/tls.js';
import { missingToolMessage, requireBinary } from '../support/tools.js';

const missing = (['docker-registry', 'openssl'] as const).filter((tool) => !requireBinary(tool));
if (missing.length > 0 && process.env.CI === 'true') throw new Error(missing.map(missingToolMessage).join('\n'));

const ADMIN = { username: 'admin', password: 'Adm1n-pa55word' };
const REPOS = ['tags', 'untag', 'multi', 'signed', 'locks', 'frozen', 'failing'];
const OLD = daysAgo(400);
const RECENT = daysAgo(2);
const FORTY_DAYS = daysAgo(40);

type Json = Record<string, unknown>;

interface AcrState {
  /** repository → tag → digest */
  tags: Record<string, Record<string, string>>;
  /** repository → sorted digests */
  manifests: Record<string, string[]>;
}

describe.skipIf(missing.length > 0)('purge on ACR', () => {
  let ca: TestCa;
  let registry: RunningRegistry;
  let upstream: FaultProxy;
  let acr: AcrServer;
  let agent: Agent;
  let target: RegistryAccess;
  const truth = new Truth();
  const items: Record<string, Item> = {};
  let signedRefs: Awaited<ReturnType<typeof signAndSbom>>;
  let keptRefs: Awaited<ReturnType<typeof signAndSbom>>;
  let lockedRef: Awaited<ReturnType<typeof signAndSbom>>;
  let multiKeep: Awaited<ReturnType<typeof multiArch>>;
  let multiOld: Awaited<ReturnType<typeof multiArch>>;
  const leftovers: Item[] = [];

  const adminToken = (): Promise<string> =>
    passwordToken(acr, ADMIN, ['registry:catalog:*', ...REPOS.map((r) => `repository:${r}:pull,push,delete,metadata_read,metadata_write`)], agent);

  async function service(path: string): Promise<Json> {
    const answer = await request(`${acr.url}${path}`, { headers: { authorization: `Bearer ${await adminToken()}` }, dispatcher: agent });
    const text = await answer.body.text();
    if (answer.statusCode === 404) return {};
    if (answer.statusCode !== 200) throw new Error(`GET ${path} answered ${answer.statusCode}: ${text}`);
    return JSON.parse(text) as Json;
  }

  /** The service's own listings of each repository. */
  async function acrState(repositories: string[]): Promise<AcrState> {
    const state: AcrState = { tags: {}, manifests: {} };
    for (const repository of repositories) {
      const tags = ((await service(`/acr/v1/${repository}/_tags?n=1000`)).tags ?? []) as Array<{ name: string; digest: string }>;
      state.tags[repository] = Object.fromEntries(tags.map((tag) => [tag.name, tag.digest]).sort());
      const manifests = ((await service(`/acr/v1/${repository}/_manifests?n=1000`)).manifests ?? []) as Array<{ digest: string }>;
      state.manifests[repository] = manifests.map((manifest) => manifest.digest).sort();
    }
    return state;
  }

  /** What the listings must say after the plan ran: its tags gone, its manifests gone, nothing else. */
  function stateAfter(before: AcrState, plan: Plan): AcrState {
    const after: AcrState = { tags: {}, manifests: {} };
    for (const [repository, tags] of Object.entries(before.tags)) {
      const deleted = new Set(plan.manifests.filter((entry) => entry.repository === repository).map((entry) => entry.digest));
      const untagged = new Set(plan.tags.filter((entry) => entry.repository === repository).map((entry) => entry.tag));
      after.tags[repository] = Object.fromEntries(Object.entries(tags).filter(([tag, digest]) => !untagged.has(tag) && !deleted.has(digest)));
      after.manifests[repository] = (before.manifests[repository] ?? []).filter((digest) => !deleted.has(digest));
    }
    return after;
  }

  const env = () => ({ ACRX_ACR_API: '1', ACRX_USERNAME: ADMIN.username, ACRX_PASSWORD: ADMIN.password });
  const purge = (args: string[]): Promise<CliResult> => spawnCli(['purge', '-n', acr.host, '--ca-file', ca.caCertPath, ...args], { env: env() });

  const setTag = (repository: string, tag: string, date: Date) => acr.times.set({ repository, tag }, { created: date, updated: date });
  const setManifest = (item: Item, date: Date) => acr.times.set({ repository: item.repository, digest: item.digest }, { created: date, updated: date });

  /** Pushes `tag` again with new content: the manifest it was on stays, untagged. */
  async function repush(repository: string, tag: string, salt: string): Promise<{ previous: Item; current: Item }> {
    const previous = truth.item(repository, truth.digestOf(repository, tag));
    const current = await image(target, truth, repository, { tags: [tag], created: '2024-01-01T00:00:00Z', salt });
    return { previous, current };
  }

  beforeAll(async () => {
    ca = await createTestCa();
    registry = await startRegistry({ deleteEnabled: true });
    upstream = await startFaultProxy(registry.url);
    acr = await startAcrServer({ upstream: upstream.url, tls: { cert: ca.serverCert, key: ca.serverKey }, users: { [ADMIN.username]: ADMIN.password } });
    agent = new Agent({ connect: { ca: ca.caCert } });
    target = withAuth(acr.url, `Bearer ${await adminToken()}`, agent);

    // tags: an old, a 40-day-old and a recent tag.
    items.tagsV1 = await image(target, truth, 'tags', { tags: ['v1'] });
    items.tagsV2 = await image(target, truth, 'tags', { tags: ['v2'] });
    items.tagsV3 = await image(target, truth, 'tags', { tags: ['v3'] });
    await setTag('tags', 'v1', OLD);
    await setTag('tags', 'v2', FORTY_DAYS);
    await setTag('tags', 'v3', RECENT);

    // untag: v1 (old) and v2 (recent) pushed twice; the first push of each is left untagged.
    await image(target, truth, 'untag', { tags: ['v1'] });
    const v1 = await repush('untag', 'v1', 'second');
    await image(target, truth, 'untag', { tags: ['v2'] });
    const v2 = await repush('untag', 'v2', 'second');
    items.untagV1 = v1.current;
    items.untagLeftOld = v1.previous;
    items.untagV2 = v2.current;
    items.untagLeftNew = v2.previous;
    await setTag('untag', 'v1', OLD);
    await setTag('untag', 'v2', RECENT);
    await setManifest(v1.current, RECENT);
    await setManifest(v1.previous, OLD);
    await setManifest(v2.previous, daysAgo(1));

    // multi: a kept and an old multi-arch index; the platform images are old.
    multiKeep = await multiArch(target, truth, 'multi', { tags: ['keep'], salt: 'keep' });
    multiOld = await multiArch(target, truth, 'multi', { tags: ['old'], salt: 'old' });
    await setTag('multi', 'keep', RECENT);
    await setTag('multi', 'old', OLD);
    for (const child of [...multiKeep.children, ...multiOld.children]) await setManifest(child, OLD);

    // signed: an old signed image, a recent signed one; the referrers are old.
    items.signedOld = await image(target, truth, 'signed', { tags: ['v1'] });
    items.signedNew = await image(target, truth, 'signed', { tags: ['v2'] });
    signedRefs = await signAndSbom(target, truth, 'signed', items.signedOld, { schema: 'api' });
    keptRefs = await signAndSbom(target, truth, 'signed', items.signedNew, { schema: 'api' });
    await setTag('signed', 'v1', OLD);
    await setTag('signed', 'v2', RECENT);
    for (const referrer of [signedRefs.signature, signedRefs.sbom, keptRefs.signature, keptRefs.sbom]) await setManifest(referrer, OLD);

    // locks: a locked tag, a free one, a locked untagged manifest, an untagged manifest whose signature is locked.
    items.locked = await image(target, truth, 'locks', { tags: ['locked'] });
    items.free = await image(target, truth, 'locks', { tags: ['free'] });
    const lockedLeft = await repush('locks', 'free', 'second');
    items.free = lockedLeft.current;
    items.lockedLeft = lockedLeft.previous;
    items.referred = await image(target, truth, 'locks', { tags: [], salt: 'referred' });
    lockedRef = await signAndSbom(target, truth, 'locks', items.referred, { schema: 'api' });
    await setTag('locks', 'locked', OLD);
    await setTag('locks', 'free', OLD);
    for (const item of [items.lockedLeft, items.referred, lockedRef.signature, lockedRef.sbom]) await setManifest(item, OLD);
    await acr.attributes.update({ repository: 'locks', tag: 'locked' }, { deleteEnabled: false });
    await acr.attributes.update({ repository: 'locks', digest: items.lockedLeft.digest }, { writeEnabled: false });
    await acr.attributes.update({ repository: 'locks', digest: lockedRef.signature.digest }, { deleteEnabled: false });

    // frozen: a repository whose own lock forbids deletes.
    items.frozen = await image(target, truth, 'frozen', { tags: ['old'] });
    await setTag('frozen', 'old', OLD);
    await acr.attributes.update({ repository: 'frozen' }, { deleteEnabled: false });

    // failing: three re-push leftovers.
    await image(target, truth, 'failing', { tags: ['latest'] });
    for (const salt of ['b', 'c', 'd']) leftovers.push((await repush('failing', 'latest', salt)).previous);
    for (const item of leftovers) await setManifest(item, OLD);
  });

  afterAll(async () => {
    await acr?.stop();
    await upstream?.stop();
    await registry?.stop();
    await agent?.close();
    await ca?.cleanup();
  });

  /** Dry run, no --yes, then the run: each checked against the expected plan and the service's listings. */
  async function purgeAndCheck(args: string[], expected: ExpectedPlan, repositories: string[]): Promise<Plan> {
    const before = await acrState(repositories);
    const dry = await purge([...args, '--dry-run']);
    expect(dry.code, shown(dry)).toBe(0);
    const dryPlan = planOf(dry);
    expect(dryPlan.dryRun).toBe(true);
    expect(dryPlan.results).toBeUndefined();
    expectPlan(dryPlan, truth, expected);
    expect(await acrState(repositories), 'a dry run deletes nothing').toEqual(before);

    const unconfirmed = await purge(args);
    expect(unconfirmed.code, shown(unconfirmed)).toBe(2);
    expect(await acrState(repositories), 'without a terminal and --yes nothing is deleted').toEqual(before);

    const from = acr.requests.length;
    const run = await purge([...args, '--yes']);
    expect(run.code, shown(run)).toBe(0);
    const plan = planOf(run);
    expectPlan(plan, truth, expected);
    expectResults(plan, { tag: ['untagged', 'deleted'], manifest: ['deleted'] });
    expect(await acrState(repositories), 'exactly the plan was done').toEqual(stateAfter(before, plan));

    // The service received exactly the plan's deletions, and unlocks only for items marked so.
    const sent = acr.requests.slice(from).filter((r) => r.method === 'DELETE' || r.method === 'PATCH');
    // Every DELETE, whatever its answer: one sent twice (its repeat answered 404) would show here.
    const deletes = sent.filter((r) => r.method === 'DELETE').map((r) => decodeURIComponent(r.path)).sort();
    expect(deletes, 'DELETE requests').toEqual(
      [
        ...plan.tags.map((entry) => `/acr/v1/${entry.repository}/_tags/${entry.tag}`),
        ...plan.manifests.map((entry) => `/v2/${entry.repository}/manifests/${entry.digest}`),
      ].sort(),
    );
    const patched = new Set(sent.filter((r) => r.method === 'PATCH').map((r) => decodeURIComponent(r.path)));
    const unlocks = [
      ...plan.tags.filter((entry) => entry.unlock).map((entry) => `/acr/v1/${entry.repository}/_tags/${entry.tag}`),
      ...plan.manifests.filter((entry) => entry.unlock).map((entry) => `/acr/v1/${entry.repository}/_manifests/${entry.digest}`),
    ];
    expect([...patched].sort(), 'PATCH requests: an unlock for each item marked so, and nothing else').toEqual(unlocks.sort());
    for (const entry of plan.manifests) truth.remove(entry.repository, entry.digest);
    for (const entry of plan.tags) truth.untag(entry.repository, entry.tag);
    return plan;
  }

  it('the ACR look-alike lists the re-push leftovers untagged, with the times and locks set by the test', async () => {
    const manifests = ((await service('/acr/v1/untag/_manifests?orderby=timeasc')).manifests ?? []) as Json[];
    const left = manifests.find((m) => m.digest === items.untagLeftOld?.digest) as Json;
    expect(left).toBeDefined();
    expect(left.tags).toBeUndefined();
    expect(Date.parse(left.lastUpdateTime as string)).toBe(OLD.getTime());
    expect(left).toMatchObject({ imageSize: expect.any(Number), createdTime: expect.any(String), mediaType: items.untagLeftOld?.mediaType, changeableAttributes: expect.any(Object) });
    expect(manifests[0]?.digest, 'ordered by lastUpdateTime').toBe(items.untagLeftOld?.digest);
    const tag = (await service('/acr/v1/untag/_tags/v1')).tag as Json;
    expect(Date.parse(tag.lastUpdateTime as string)).toBe(OLD.getTime());
    const index = (await service(`/acr/v1/multi/_manifests/${multiKeep.index.digest}`)).manifest as Json;
    expect(index.references).toEqual(multiKeep.children.map((child) => ({ digest: child.digest, architecture: child.architecture, os: 'linux' })));
    expect(index.tags).toEqual(['keep']);
    const locked = (await service('/acr/v1/locks/_tags/locked')).tag as Json;
    expect(locked.changeableAttributes).toMatchObject({ deleteEnabled: false, writeEnabled: true });
    const frozen = await service('/acr/v1/frozen');
    expect(frozen.changeableAttributes).toMatchObject({ deleteEnabled: false });
  });

  it('--ago untags the old tags (DELETE /acr/v1/R/_tags/T), timed by their lastUpdateTime; their manifests stay without --untagged', async () => {
    await purgeAndCheck(
      ['--filter', 'tags:v.*', '--ago', '30d'],
      {
        timeSource: 'lastUpdateTime',
        tags: [
          { item: items.tagsV1 as Item, tag: 'v1', time: OLD.toISOString() },
          { item: items.tagsV2 as Item, tag: 'v2', time: FORTY_DAYS.toISOString() },
        ],
        manifests: [],
        protected: [],
        bytesFreed: 0,
      },
      ['tags'],
    );
    const manifests = ((await service('/acr/v1/tags/_manifests')).manifests ?? []) as Json[];
    expect(manifests.filter((m) => m.tags === undefined).map((m) => m.digest).sort()).toEqual([items.tagsV1?.digest, items.tagsV2?.digest].sort());
  });

  it('--untagged deletes the manifest a purged tag leaves bare and the old re-push leftovers; a recent leftover stays', async () => {
    const onlyDry = await purge(['--filter', 'untag:.*', '--ago', '30d', '--untagged-only', '--dry-run']);
    expect(onlyDry.code, shown(onlyDry)).toBe(0);
    expectPlan(planOf(onlyDry), truth, {
      timeSource: 'lastUpdateTime',
      tags: [],
      manifests: [{ item: items.untagLeftOld as Item, reason: 'untagged', time: OLD.toISOString() }],
      protected: [],
    });
    await purgeAndCheck(
      ['--filter', 'untag:v.*', '--ago', '30d', '--untagged'],
      {
        timeSource: 'lastUpdateTime',
        tags: [{ item: items.untagV1 as Item, tag: 'v1', time: OLD.toISOString() }],
        manifests: [
          { item: items.untagV1 as Item, reason: 'untagged' },
          { item: items.untagLeftOld as Item, reason: 'untagged' },
        ],
        protected: [],
      },
      ['untag'],
    );
  });

  it('the platform images of a kept index are protected (index-child); those of a purged index go after it', async () => {
    const plan = await purgeAndCheck(
      ['--filter', 'multi:old', '--ago', '30d', '--untagged'],
      {
        timeSource: 'lastUpdateTime',
        tags: [{ item: multiOld.index, tag: 'old', time: OLD.toISOString() }],
        manifests: [{ item: multiOld.index, reason: 'untagged' }, ...multiOld.children.map((item) => ({ item, reason: 'untagged' as const }))],
        protected: multiKeep.children.map((item) => ({ item, protection: 'index-child', mentions: [multiKeep.index.digest] })),
      },
      ['multi'],
    );
    expect(plan.manifests[0]?.digest).toBe(multiOld.index.digest);
  });

  it('signatures and SBOMs of a purged image are deleted before it; those of a kept image are protected (subject-kept)', async () => {
    const withoutUntagged = await purge(['--filter', 'signed:v.*', '--ago', '30d', '--dry-run']);
    expect(withoutUntagged.code, shown(withoutUntagged)).toBe(0);
    expectPlan(planOf(withoutUntagged), truth, {
      timeSource: 'lastUpdateTime',
      tags: [{ item: items.signedOld as Item, tag: 'v1', time: OLD.toISOString() }],
      manifests: [],
      protected: [],
    });
    await purgeAndCheck(
      ['--filter', 'signed:v.*', '--ago', '30d', '--untagged'],
      {
        timeSource: 'lastUpdateTime',
        tags: [{ item: items.signedOld as Item, tag: 'v1', time: OLD.toISOString() }],
        manifests: [
          { item: items.signedOld as Item, reason: 'untagged' },
          { item: signedRefs.signature, reason: 'subject-deleted' },
          { item: signedRefs.sbom, reason: 'subject-deleted' },
        ],
        protected: [
          { item: keptRefs.signature, protection: 'subject-kept' },
          { item: keptRefs.sbom, protection: 'subject-kept' },
        ],
      },
      ['signed'],
    );
  });

  it('locked tags and manifests are protected, and so is what a locked referrer refers to; --include-locked unlocks and deletes them', async () => {
    const locked = await purge(['--filter', 'locks:.*', '--ago', '30d', '--untagged', '--dry-run']);
    expect(locked.code, shown(locked)).toBe(0);
    expectPlan(planOf(locked), truth, {
      timeSource: 'lastUpdateTime',
      tags: [{ item: items.free as Item, tag: 'free', time: OLD.toISOString() }],
      manifests: [{ item: items.free as Item, reason: 'untagged' }],
      protected: [
        { item: items.locked as Item, protection: 'locked', tag: 'locked' },
        { item: items.lockedLeft as Item, protection: 'locked' },
        { item: lockedRef.signature, protection: 'locked' },
        { item: items.referred as Item, protection: 'kept-referrer' },
        { item: lockedRef.sbom, protection: 'subject-kept' },
      ],
    });
    await purgeAndCheck(
      ['--filter', 'locks:.*', '--ago', '30d', '--untagged', '--include-locked'],
      {
        timeSource: 'lastUpdateTime',
        tags: [
          { item: items.free as Item, tag: 'free', time: OLD.toISOString() },
          { item: items.locked as Item, tag: 'locked', time: OLD.toISOString(), unlock: true },
        ],
        manifests: [
          { item: items.free as Item, reason: 'untagged' },
          { item: items.locked as Item, reason: 'untagged' },
          { item: items.lockedLeft as Item, reason: 'untagged', unlock: true },
          { item: items.referred as Item, reason: 'untagged' },
          { item: lockedRef.signature, reason: 'subject-deleted', unlock: true },
          { item: lockedRef.sbom, reason: 'subject-deleted' },
        ],
        protected: [],
      },
      ['locks'],
    );
  });

  it("a repository's own lock protects everything in it, even with --include-locked", async () => {
    const before = await acrState(['frozen']);
    const result = await purge(['--filter', 'frozen:.*', '--ago', '30d', '--untagged', '--include-locked', '--yes']);
    expect(result.code, shown(result)).toBe(0);
    const plan = planOf(result);
    expectPlan(plan, truth, {
      timeSource: 'lastUpdateTime',
      tags: [],
      manifests: [],
      protected: [{ item: items.frozen as Item, protection: 'repository-locked' }],
      bytesFreed: 0,
    });
    expect(plan.results ?? []).toEqual([]);
    expect(await acrState(['frozen'])).toEqual(before);
  });

  it('a failed deletion is exit 1 with its result "failed"; the rerun finishes the job', async () => {
    const victim = leftovers[1] as Item;
    upstream.fail((method, path) => method === 'DELETE' && path === `/v2/failing/manifests/${victim.digest}`, 500);
    try {
      const result = await purge(['--filter', 'failing:.*', '--untagged-only', '--yes']);
      expect(result.code, shown(result)).toBe(1);
      const plan = planOf(result);
      expect(plan.manifests.map((entry) => entry.digest).sort()).toEqual(leftovers.map((item) => item.digest).sort());
      expectResults(plan, { tag: [], manifest: ['deleted', 'failed'] });
      expect((plan.results ?? []).filter((entry) => entry.status === 'failed').map((entry) => entry.name)).toEqual([victim.digest]);
    } finally {
      upstream.clear();
    }
    const rerun = await purge(['--filter', 'failing:.*', '--untagged-only', '--yes']);
    expect(rerun.code, shown(rerun)).toBe(0);
    expect(planOf(rerun).manifests.map((entry) => entry.digest)).toEqual([victim.digest]);
    const state = await acrState(['failing']);
    expect(state.manifests.failing).toEqual([truth.digestOf('failing', 'latest')]);
  });
});
