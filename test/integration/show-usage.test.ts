// acrx repository show-usage and manifest list-metadata --untagged, on the real distribution registry
// (untagged manifests cannot be listed there: only those a tagged index lists are seen, and a warning
// says so) and on the ACR test server (re-push leftovers, platform images, signatures, a locked leftover),
// compared with the ground truth of what was pushed: counts, bytes with shared blobs counted once, and
// the bytes only what `purge --untagged-only` would delete holds.
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAcrServer, type AcrServer } from '../fixtures/acr-server.js';
import { passwordToken } from '../support/acr-token.js';
import { parseAzJson, spawnCli, type CliResult } from '../support/cli.js';
import { shown } from '../support/purge-check.js';
import { bytesFreed, bytesHeld, image, layerBytes, multiArch, signAndSbom, Truth, type Item } from '../support/purge-seed.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { withAuth, type RegistryAccess } from '../support/seed.js';
import { createTestCa, type TestCa } from '../support/tls.js';
import { missingToolMessage, requireBinary } from '../support/tools.js';

const missing = (['docker-registry', 'openssl'] as const).filter((tool) => !requireBinary(tool));
if (missing.length > 0 && process.env.CI === 'true') throw new Error(missing.map(missingToolMessage).join('\n'));

interface Usage {
  repository: string;
  tags: number;
  manifests: number;
  taggedManifests: number;
  untaggedManifests: number;
  sizeBytes: number;
  untaggedBytes: number;
  untaggedVisible: boolean;
}

const warnings = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('WARNING'));

/** The usage a repository shows, from what was pushed: `seen` are the manifests the listing can show. */
function usageOf(truth: Truth, repository: string, seen: Item[], untaggedBytes: number, untaggedVisible: boolean): Usage {
  const tagged = seen.filter((item) => truth.tagsOf(repository, item.digest).length > 0);
  return {
    repository,
    tags: Object.keys(truth.tags(repository)).length,
    manifests: seen.length,
    taggedManifests: tagged.length,
    untaggedManifests: seen.length - tagged.length,
    sizeBytes: bytesHeld(seen),
    untaggedBytes,
    untaggedVisible,
  };
}

describe.skipIf(missing.length > 0)('show-usage on a registry without the ACR API (distribution)', () => {
  let registry: RunningRegistry;
  const truth = new Truth();
  let ghost: Item;

  beforeAll(async () => {
    registry = await startRegistry({ deleteEnabled: true });
    const url = registry.url;
    const base = layerBytes('app base layer', 30_000);
    const v1 = await image(url, truth, 'app', { tags: ['v1'], sharedLayers: [base] });
    await image(url, truth, 'app', { tags: ['v2', 'latest'], sharedLayers: [base] });
    await multiArch(url, truth, 'app', { tags: ['multi'], sharedLayers: [base] });
    await signAndSbom(url, truth, 'app', v1, { schema: 'tags' });
    // Pushed by digest and listed by no index: the OCI API cannot see it.
    ghost = await image(url, truth, 'app', { tags: [], salt: 'ghost', sharedLayers: [base] });
    await image(url, truth, 'lib', { tags: ['1.0'] });
  });

  afterAll(async () => registry?.stop());

  /** What the OCI API can see of a repository: tagged manifests and what their indexes list. */
  // purge --untagged-only deletes nothing here: every untagged manifest seen is a kept index's child or a kept image's referrer.
  const expectedUsage = (repository: string): Usage => usageOf(truth, repository, truth.visible(repository), 0, false);

  it('counts the tagged manifests and what their indexes list, shared blobs once, and warns once that untagged manifests cannot be listed', async () => {
    const result = await spawnCli(['repository', 'show-usage', '-n', registry.host]);
    expect(result.code, shown(result)).toBe(0);
    const usage = parseAzJson(result) as Usage[];
    expect(usage).toEqual(['app', 'lib'].map(expectedUsage));
    const app = usage[0] as Usage;
    // The image no index lists is not counted; the shared base layer counts once.
    expect(app.manifests).toBe(truth.items('app').filter((item) => item !== ghost).length);
    const separately = truth.visible('app').reduce((sum, item) => sum + bytesHeld([item]), 0);
    expect(app.sizeBytes).toBeLessThan(separately);
    expect(warnings(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(/WARNING: .*untagged/i);
  });

  it('--repository shows one repository; -o table has a row per repository', async () => {
    const one = await spawnCli(['repository', 'show-usage', '-n', registry.host, '--repository', 'lib']);
    expect(parseAzJson(one)).toEqual([expectedUsage('lib')]);
    const table = await spawnCli(['repository', 'show-usage', '-n', registry.host, '-o', 'table']);
    expect(table.code, shown(table)).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/Repository\s+Tags\s+Manifests\s+Tagged\s+Untagged\s+Size\s+Untagged size/);
    expect(lines.filter((line) => /^(app|lib)\s/.test(line))).toHaveLength(2);
  });

  it('manifest list-metadata --untagged is an empty list with the warning', async () => {
    const result = await spawnCli(['manifest', 'list-metadata', '-r', registry.host, '-n', 'app', '--untagged']);
    expect(parseAzJson(result)).toEqual([]);
    expect(result.stderr).toMatch(/WARNING: .*untagged/i);
  });
});

const ADMIN = { username: 'admin', password: 'Adm1n-pa55word' };

describe.skipIf(missing.length > 0)('show-usage on ACR', () => {
  let ca: TestCa;
  let registry: RunningRegistry;
  let acr: AcrServer;
  let agent: Agent;
  let target: RegistryAccess;
  const truth = new Truth();
  const deletable: Item[] = [];

  const adminToken = (): Promise<string> =>
    passwordToken(acr, ADMIN, ['registry:catalog:*', ...['app', 'lib'].map((r) => `repository:${r}:pull,push,delete,metadata_read,metadata_write`)], agent);
  const env = () => ({ ACRX_ACR_API: '1', ACRX_USERNAME: ADMIN.username, ACRX_PASSWORD: ADMIN.password });
  const acrx = (args: string[]): Promise<CliResult> => spawnCli([...args, '--ca-file', ca.caCertPath], { env: env() });

  beforeAll(async () => {
    ca = await createTestCa();
    registry = await startRegistry({ deleteEnabled: true });
    acr = await startAcrServer({ upstream: registry.url, tls: { cert: ca.serverCert, key: ca.serverKey }, users: { [ADMIN.username]: ADMIN.password } });
    agent = new Agent({ connect: { ca: ca.caCert } });
    target = withAuth(acr.url, `Bearer ${await adminToken()}`, agent);
    const base = layerBytes('acr app base layer', 30_000);

    // v1 pushed three times: two leftovers only purge --untagged-only would delete.
    for (const salt of ['first', 'second', 'third']) {
      const previous = Object.keys(truth.tags('app')).includes('v1') ? truth.item('app', truth.digestOf('app', 'v1')) : undefined;
      await image(target, truth, 'app', { tags: ['v1'], salt, sharedLayers: [base] });
      if (previous) deletable.push(previous);
    }
    await multiArch(target, truth, 'app', { tags: ['multi'], sharedLayers: [base] });
    const v2 = await image(target, truth, 'app', { tags: ['v2'], sharedLayers: [base] });
    await signAndSbom(target, truth, 'app', v2, { schema: 'api' });
    // v3 pushed twice, its leftover locked.
    const v3 = await image(target, truth, 'app', { tags: ['v3'], salt: 'first' });
    await image(target, truth, 'app', { tags: ['v3'], salt: 'second' });
    await acr.attributes.update({ repository: 'app', digest: v3.digest }, { writeEnabled: false });
    await image(target, truth, 'lib', { tags: ['1.0'] });
  });

  afterAll(async () => {
    await acr?.stop();
    await registry?.stop();
    await agent?.close();
    await ca?.cleanup();
  });

  const expectedUsage = (repository: string, deletableHere: Item[]): Usage =>
    usageOf(truth, repository, truth.items(repository), deletableHere.length > 0 ? bytesFreed(truth, deletableHere) : 0, true);

  it('counts every manifest the service lists, untagged ones too, and the bytes only the deletable untagged ones hold (not platform images, signatures of kept images, locked ones)', async () => {
    const result = await acrx(['repository', 'show-usage', '-n', acr.host]);
    expect(result.code, shown(result)).toBe(0);
    expect(parseAzJson(result)).toEqual([expectedUsage('app', deletable), expectedUsage('lib', [])]);
    expect(warnings(result.stderr)).toEqual([]);
    // The ground truth itself: 2 leftovers + the locked one + 2 platform images + signature + SBOM are untagged.
    expect(expectedUsage('app', deletable).untaggedManifests).toBe(7);
  });

  it('manifest list-metadata --untagged gives exactly the manifests without tags, as --query "[?tags==null]" does', async () => {
    const untagged = await acrx(['manifest', 'list-metadata', '-r', acr.host, '-n', 'app', '--untagged']);
    const queried = await acrx(['manifest', 'list-metadata', '-r', acr.host, '-n', 'app', '--query', '[?tags==null]']);
    const listed = parseAzJson(untagged) as Array<{ digest: string; imageSize: number; lastUpdateTime: string; tags?: string[] }>;
    expect(listed).toEqual(parseAzJson(queried));
    const expected = truth.items('app').filter((item) => truth.tagsOf('app', item.digest).length === 0).map((item) => item.digest).sort();
    expect(listed.map((manifest) => manifest.digest).sort()).toEqual(expected);
    for (const manifest of listed) {
      expect(manifest.tags).toBeUndefined();
      expect(typeof manifest.imageSize).toBe('number');
      expect(Number.isNaN(Date.parse(manifest.lastUpdateTime))).toBe(false);
    }
    // As the service sends them.
    const answer = await request(`${acr.url}/acr/v1/app/_manifests?n=1000`, { headers: { authorization: `Bearer ${await adminToken()}` }, dispatcher: agent });
    const service = ((await answer.body.json()) as { manifests: Array<{ digest: string; tags?: string[] }> }).manifests.filter((manifest) => !manifest.tags);
    expect([...listed].sort((a, b) => (a.digest < b.digest ? -1 : 1))).toEqual([...service].sort((a, b) => (a.digest < b.digest ? -1 : 1)));
  });
});
