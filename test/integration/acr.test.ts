// acrx against the ACR test server (which fronts a real distribution registry): the /acr/v1 fast paths
// print what the service returns as az shapes it, the changing commands honour locks, and Microsoft
// Entra ID works through the real @azure/identity against the Entra look-alike.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAcrServer, type AcrServer } from '../fixtures/acr-server.js';
import { startEntraServer, type EntraServer } from '../fixtures/entra-server.js';
import { passwordToken } from '../support/acr-token.js';
import { parseAzJson, runCli, spawnCli } from '../support/cli.js';
import { HELPER_BIN } from '../support/helper-path.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { pushImage, pushIndex, withAuth, type PushedManifest } from '../support/seed.js';
import { createTestCa, type TestCa } from '../support/tls.js';
import { missingToolMessage, requireBinary } from '../support/tools.js';

/** docker-credential-acrx get, fed the server URL on stdin as docker does. */
function helperGet(serverUrl: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HELPER_BIN, 'get'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', () => resolve(stdout));
    child.stdin.end(serverUrl);
  });
}
const missing = (['docker-registry', 'openssl'] as const).filter((tool) => !requireBinary(tool));
if (missing.length > 0 && process.env.CI === 'true') throw new Error(missing.map(missingToolMessage).join('\n'));

const ADMIN = { username: 'admin', password: 'Adm1n-pa55word' };
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = { id: '11111111-2222-3333-4444-555555555555', secret: 'Cl1ent-secret' };
const REPOS = ['hello', 'team-a/web', 'locks', 'doomed', 'untag-me', 'bulk', 'platforms'];

describe.skipIf(missing.length > 0)('acrx on ACR', () => {
  let ca: TestCa;
  let registry: RunningRegistry;
  let entra: EntraServer;
  let acr: AcrServer;
  let agent: Agent;
  let scratch: string;
  const pushed: Record<string, PushedManifest> = {};

  /** What the service itself answers, read with a token of the admin user. */
  async function service(path: string): Promise<Record<string, unknown>> {
    const token = await adminToken(['registry:catalog:*', ...REPOS.map((r) => `repository:${r}:pull,metadata_read`)]);
    const response = await request(`${acr.url}${path}`, { headers: { authorization: `Bearer ${token}` }, dispatcher: agent });
    return (await response.body.json()) as Record<string, unknown>;
  }

  const adminToken = (scopes: string[]): Promise<string> => passwordToken(acr, ADMIN, scopes, agent);

  const env = () => ({ ACRX_ACR_API: '1', ACRX_USERNAME: ADMIN.username, ACRX_PASSWORD: ADMIN.password });
  const acrx = (...args: string[]) => runCli([...args, '-n', acr.host, '--ca-file', ca.caCertPath], env());
  const untouched = () => acr.requests.length;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'acrx-acr-'));
    ca = await createTestCa();
    registry = await startRegistry({ deleteEnabled: true });
    entra = await startEntraServer({ tenantId: TENANT, clients: { [CLIENT.id]: CLIENT.secret }, tls: { cert: ca.serverCert, key: ca.serverKey } });
    acr = await startAcrServer({
      upstream: registry.url,
      tls: { cert: ca.serverCert, key: ca.serverKey },
      users: { [ADMIN.username]: ADMIN.password },
      entra: entra.trust,
    });
    agent = new Agent({ connect: { ca: ca.caCert } });
    const target = withAuth(acr.url, `Bearer ${await adminToken(REPOS.map((r) => `repository:${r}:pull,push,delete`))}`, agent);
    pushed.a = await pushImage(target, 'hello', { tags: ['v1', 'latest', 'stable'], created: '2024-01-10T10:00:00Z' });
    pushed.b = await pushImage(target, 'hello', { tags: ['v2'], created: '2024-03-05T08:30:00Z' });
    pushed.c = await pushImage(target, 'hello', { tags: [], byDigest: true, architecture: 'arm64' });
    pushed.d = await pushImage(target, 'team-a/web', { tags: ['1.0'] });
    pushed.e = await pushImage(target, 'team-a/web', { tags: ['1.1'], architecture: 'arm64' });
    pushed.index = await pushIndex(target, 'team-a/web', ['multi'], [pushed.d, pushed.e]);
    pushed.locked = await pushImage(target, 'locks', { tags: ['locked', 'other'] });
    pushed.x = await pushImage(target, 'doomed', { tags: ['a', 'b'] });
    pushed.u = await pushImage(target, 'untag-me', { tags: ['keep1', 'drop', 'keep2'] });
    pushed.amd64 = await pushImage(target, 'platforms', { tags: ['amd64-only'] });
    pushed.arm64 = await pushImage(target, 'platforms', { tags: [], byDigest: true, architecture: 'arm64' });
    await pushIndex(target, 'platforms', ['multi', '1.2.3'], [pushed.amd64, pushed.arm64]);
    for (let i = 0; i < 30; i++) await pushImage(target, 'bulk', { tags: [`b${String(i).padStart(2, '0')}`], layerText: `bulk ${i}\n` });
  });

  afterAll(async () => {
    await acr?.stop();
    await entra?.stop();
    await registry?.stop();
    await agent?.close();
    await ca?.cleanup();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  describe('read commands use /acr/v1 and print what az prints', () => {
    it('show-tags: names, --detail objects, --orderby and --top passed to the service, no per-tag requests', async () => {
      const tags = (await service('/acr/v1/hello/_tags'))['tags'] as Array<Record<string, unknown>>;
      const before = untouched();
      expect(parseAzJson(await acrx('repository', 'show-tags', '--repository', 'hello'))).toEqual(tags.map((t) => t.name));
      expect(parseAzJson(await acrx('repository', 'show-tags', '--repository', 'hello', '--detail'))).toEqual(tags);
      const newest = (await service('/acr/v1/hello/_tags?orderby=timedesc'))['tags'] as Array<Record<string, unknown>>;
      expect(parseAzJson(await acrx('repository', 'show-tags', '--repository', 'hello', '--orderby', 'time_desc', '--top', '2'))).toEqual(
        newest.slice(0, 2).map((t) => t.name),
      );
      const sent = acr.requests.slice(before);
      expect(sent.some((r) => r.method === 'HEAD' || r.path.includes('/manifests/'))).toBe(false);
      expect(sent.filter((r) => r.path.endsWith('/_tags')).at(-1)?.query).toMatchObject({ n: '2', orderby: 'timedesc' });
    });

    it('pages through a Link-paged listing', async () => {
      const all = (await service('/acr/v1/bulk/_tags?n=1000'))['tags'] as Array<{ name: string }>;
      expect(all).toHaveLength(30);
      expect(parseAzJson(await acrx('repository', 'show-tags', '--repository', 'bulk'))).toEqual(all.map((t) => t.name));
    });

    it('show-manifests: az reshaping with untagged manifests, and --detail as the service sends it', async () => {
      const manifests = (await service('/acr/v1/hello/_manifests'))['manifests'] as Array<Record<string, unknown>>;
      expect(parseAzJson(await acrx('repository', 'show-manifests', '--repository', 'hello'))).toEqual(
        manifests.map((m) => ({ digest: m.digest, tags: m.tags ?? [], timestamp: m.lastUpdateTime })),
      );
      expect(manifests.some((m) => m.digest === pushed.c?.descriptor.digest && m.tags === undefined)).toBe(true);
      expect(parseAzJson(await acrx('repository', 'show-manifests', '--repository', 'team-a/web', '--detail'))).toEqual(
        (await service('/acr/v1/team-a/web/_manifests'))['manifests'],
      );
    });

    it('show: the repository, the tag object, the manifest object; exit 3 when missing', async () => {
      expect(parseAzJson(await acrx('repository', 'show', '--repository', 'team-a/web'))).toEqual(await service('/acr/v1/team-a%2Fweb'));
      expect(parseAzJson(await acrx('repository', 'show', '--image', 'hello:v2'))).toEqual((await service('/acr/v1/hello/_tags/v2'))['tag']);
      const digest = pushed.index?.descriptor.digest as string;
      expect(parseAzJson(await acrx('repository', 'show', '--image', `team-a/web@${digest}`))).toEqual(
        (await service(`/acr/v1/team-a/web/_manifests/${digest}`))['manifest'],
      );
      for (const args of [['--image', 'hello:nope'], ['--repository', 'nope'], ['--image', `hello@sha256:${'0'.repeat(64)}`]]) {
        const result = await acrx('repository', 'show', ...args);
        expect(result.code, args.join(' ')).toBe(3);
        expect(result.stderr).toMatch(/not found/);
      }
    });
  });

  describe('changing commands', () => {
    it('delete --image asks for --yes without a terminal, then deletes the manifest and names every tag on it', async () => {
      const before = untouched();
      const refused = await acrx('repository', 'delete', '--image', 'hello:v1');
      expect(refused).toMatchObject({ code: 2, stdout: '', stderr: 'ERROR: Unable to prompt for confirmation as no tty available. Use --yes.\n' });
      expect(untouched()).toBe(before);

      const digest = pushed.a?.descriptor.digest as string;
      const deleted = await acrx('repository', 'delete', '--image', 'hello:v1', '--yes');
      expect(deleted.code).toBe(0);
      expect(deleted.stdout).toBe('');
      expect(deleted.stderr).toBe(
        `WARNING: This operation will delete the manifest '${digest}' and all the following images: 'hello:latest', 'hello:stable', 'hello:v1'\n`,
      );
      expect(parseAzJson(await acrx('repository', 'show-tags', '--repository', 'hello'))).toEqual(['v2']);
      expect((await acrx('repository', 'show', '--image', `hello@${pushed.c?.descriptor.digest}`)).code).toBe(0);
    });

    it('delete --image of a platform manifest names the multi-platform images it breaks', async () => {
      const result = await acrx('repository', 'delete', '--image', 'platforms:amd64-only', '--yes');
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(
        `all the following images: 'platforms:amd64-only'. It is also a platform manifest of 'platforms:1.2.3', 'platforms:multi'`,
      );
    });

    it('untag removes exactly one tag', async () => {
      const result = await acrx('repository', 'untag', '--image', 'untag-me:drop');
      expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
      const tags = parseAzJson(await acrx('repository', 'show-tags', '--repository', 'untag-me', '--detail')) as Array<{ name: string; digest: string }>;
      expect(tags.map((t) => [t.name, t.digest])).toEqual([
        ['keep1', pushed.u?.descriptor.digest],
        ['keep2', pushed.u?.descriptor.digest],
      ]);
    });

    it('update and tag lock change attributes; a locked tag refuses delete and untag with exit 5 until unlocked', async () => {
      const locked = parseAzJson(await acrx('tag', 'lock', '--image', 'locks:locked')) as { changeableAttributes: Record<string, boolean> };
      expect(locked.changeableAttributes).toMatchObject({ writeEnabled: false, deleteEnabled: false });

      for (const args of [['repository', 'delete', '--image', 'locks:locked', '--yes'], ['repository', 'untag', '--image', 'locks:locked']]) {
        const refused = await acrx(...args);
        expect(refused.code, args.join(' ')).toBe(5);
        expect(refused.stderr).toContain('The operation is disallowed on this registry, repository or image.');
      }
      // Nothing was unlocked on the way.
      expect((await service('/acr/v1/locks/_tags/locked'))['tag']).toMatchObject({ changeableAttributes: { writeEnabled: false, deleteEnabled: false } });
      expect(parseAzJson(await acrx('repository', 'show-tags', '--repository', 'locks'))).toEqual(['locked', 'other']);

      const deleteOnly = parseAzJson(await acrx('tag', 'lock', '--image', 'locks:other', '--delete-only')) as { changeableAttributes: Record<string, boolean> };
      expect(deleteOnly.changeableAttributes).toMatchObject({ writeEnabled: true, deleteEnabled: false });
      const updated = parseAzJson(await acrx('repository', 'update', '--repository', 'locks', '--list-enabled', 'false')) as Record<string, unknown>;
      expect(updated).toEqual(await service('/acr/v1/locks'));
      expect(updated.changeableAttributes).toMatchObject({ listEnabled: false });
      expect(parseAzJson(await acrx('repository', 'update', '--repository', 'locks'))).toEqual(updated);

      const unlocked = parseAzJson(await acrx('tag', 'unlock', '--image', 'locks:locked')) as { changeableAttributes: Record<string, boolean> };
      expect(unlocked.changeableAttributes).toMatchObject({ writeEnabled: true, deleteEnabled: true });
      expect((await acrx('repository', 'untag', '--image', 'locks:locked')).code).toBe(0);
    });

    it('delete --repository removes it all and prints what the service deleted', async () => {
      const result = parseAzJson(await acrx('repository', 'delete', '--repository', 'doomed', '--yes')) as { manifestsDeleted: string[]; tagsDeleted: string[] };
      expect(result.manifestsDeleted).toContain(pushed.x?.descriptor.digest);
      expect([...result.tagsDeleted].sort()).toEqual(['a', 'b']);
      expect((await acrx('repository', 'show-tags', '--repository', 'doomed')).code).toBe(3);
    });

    it('rejects bad input with exit 2 before any request', async () => {
      const before = untouched();
      for (const args of [
        ['repository', 'untag', '--image', 'hello'],
        ['repository', 'delete', '--repository', 'hello', '--image', 'hello:v2', '--yes'],
        ['repository', 'delete', '--image', 'hello@sha256:abc', '--yes'],
        ['repository', 'update', '--repository', 'hello', '--write-enabled', 'yes'],
        ['repository', 'untag', '--repository', 'hello'],
        ['tag', 'lock', '--image', `hello@${pushed.b?.descriptor.digest}`],
      ]) {
        const result = await acrx(...args);
        expect(result.code, args.join(' ')).toBe(2);
        expect(result.stderr).toMatch(/^ERROR: [^\n]+\n$/);
      }
      expect(untouched()).toBe(before);
    });

    it('exits 3 for a tag or repository that does not exist', async () => {
      expect((await acrx('repository', 'untag', '--image', 'hello:gone')).code).toBe(3);
      expect((await acrx('repository', 'delete', '--image', 'hello:gone', '--yes')).code).toBe(3);
      expect((await acrx('repository', 'delete', '--repository', 'nope', '--yes')).code).toBe(3);
      expect((await acrx('tag', 'lock', '--image', 'nope:x')).code).toBe(3);
    });
  });

  describe('Microsoft Entra ID', () => {
    const entraEnv = (dockerConfig: string) => ({
      ACRX_ACR_API: '1',
      ACRX_AZURE_IDENTITY: '1',
      AZURE_TENANT_ID: TENANT,
      AZURE_CLIENT_ID: CLIENT.id,
      AZURE_CLIENT_SECRET: CLIENT.secret,
      AZURE_AUTHORITY_HOST: entra.authorityHost,
      NODE_EXTRA_CA_CERTS: ca.caCertPath,
      DOCKER_CONFIG: dockerConfig,
    });

    it('logs in through the real @azure/identity and stores the ACR refresh token as docker does', async () => {
      const dockerConfig = mkdtempSync(join(scratch, 'docker-'));
      const login = await spawnCli(['login', '-n', acr.host], { env: entraEnv(dockerConfig) });
      expect(login).toMatchObject({ code: 0, stdout: '', stderr: 'Login Succeeded\n' });
      const stored = (JSON.parse(readFileSync(join(dockerConfig, 'config.json'), 'utf8')) as { auths: Record<string, { auth: string; identitytoken: string }> }).auths[acr.host];
      expect(Buffer.from(stored?.auth ?? '', 'base64').toString()).toBe('00000000-0000-0000-0000-000000000000:');
      expect(stored?.identitytoken.split('.')).toHaveLength(3);
      expect(entra.issuedTokens().length).toBeGreaterThan(0);
      expect(acr.requests.some((r) => r.method === 'POST' && r.path === '/oauth2/exchange' && r.status === 200)).toBe(true);

      // Later commands need no Azure at all: the stored refresh token is enough.
      const listed = await spawnCli(['repository', 'show-tags', '-n', acr.host, '--repository', 'team-a/web'], {
        env: { ACRX_ACR_API: '1', NODE_EXTRA_CA_CERTS: ca.caCertPath, DOCKER_CONFIG: dockerConfig },
      });
      expect(parseAzJson(listed)).toEqual(['1.0', '1.1', 'multi']);
    });

    it('prints {accessToken, loginServer} with --expose-token and stores nothing', async () => {
      const dockerConfig = mkdtempSync(join(scratch, 'docker-'));
      const exposed = parseAzJson(await spawnCli(['login', '-n', acr.host, '--expose-token'], { env: entraEnv(dockerConfig) })) as Record<string, string>;
      expect(Object.keys(exposed)).toEqual(['accessToken', 'loginServer']);
      expect(exposed.loginServer).toBe(acr.host);
      expect(() => readFileSync(join(dockerConfig, 'config.json'))).toThrow();
    });

    it('uses Entra ID for commands when nothing is stored', async () => {
      const dockerConfig = mkdtempSync(join(scratch, 'docker-'));
      const listed = await spawnCli(['repository', 'show-tags', '-n', acr.host, '--repository', 'untag-me'], { env: entraEnv(dockerConfig) });
      expect(parseAzJson(listed)).toEqual(['keep1', 'keep2']);
    });

    it('docker-credential-acrx get answers <token> with a fresh ACR refresh token the registry accepts', async () => {
      const stdout = await helperGet(acr.host, { PATH: process.env.PATH, ...entraEnv(mkdtempSync(join(scratch, 'docker-'))), XDG_CONFIG_HOME: scratch });
      const answer = JSON.parse(stdout) as { ServerURL: string; Username: string; Secret: string };
      expect(answer).toMatchObject({ ServerURL: acr.host, Username: '<token>' });
      const form = new URLSearchParams({ grant_type: 'refresh_token', service: acr.loginServer, refresh_token: answer.Secret, scope: 'repository:hello:pull' });
      const response = await request(`${acr.url}/oauth2/token`, { method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, dispatcher: agent });
      expect(response.statusCode).toBe(200);
      await response.body.dump();
    });
  });
});

describe.skipIf(missing.length > 0)('changing commands on a registry without the ACR API', () => {
  let open: RunningRegistry;
  let closed: RunningRegistry;
  beforeAll(async () => {
    open = await startRegistry({ deleteEnabled: true });
    closed = await startRegistry({ deleteEnabled: false });
    for (const target of [open.url, closed.url]) {
      await pushImage(target, 'app', { tags: ['1.0', 'stable'], created: '2024-01-01T00:00:00Z' });
      await pushImage(target, 'app', { tags: ['2.0'], created: '2024-02-01T00:00:00Z' });
    }
  });
  afterAll(async () => {
    await open?.stop();
    await closed?.stop();
  });

  it('deletes by tag: the manifest and every tag on it, named in the warning', async () => {
    const result = await runCli(['repository', 'delete', '-n', open.host, '--image', 'app:stable', '-y']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^WARNING: This operation will delete the manifest 'sha256:[0-9a-f]{64}' and all the following images: 'app:1\.0', 'app:stable'\n$/);
    expect(parseAzJson(await runCli(['repository', 'show-tags', '-n', open.host, '--repository', 'app']))).toEqual(['2.0']);
  });

  it('names the multi-platform images a platform manifest belongs to before deleting it', async () => {
    const amd64 = await pushImage(open.url, 'platforms', { tags: ['amd64-only'] });
    const arm64 = await pushImage(open.url, 'platforms', { tags: [], byDigest: true, architecture: 'arm64' });
    await pushIndex(open.url, 'platforms', ['multi', '1.2.3'], [amd64, arm64]);
    const result = await runCli(['repository', 'delete', '-n', open.host, '--image', 'platforms:amd64-only', '-y']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `WARNING: This operation will delete the manifest '${amd64.descriptor.digest}' and all the following images: 'platforms:amd64-only'. ` +
        "It is also a platform manifest of 'platforms:1.2.3', 'platforms:multi', which will then fail to pull for that platform\n",
    );
  });

  it('says delete is disabled (exit 5) where the registry has it off, and keeps everything', async () => {
    const result = await runCli(['repository', 'delete', '-n', closed.host, '--image', 'app:2.0', '-y']);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/has deletes disabled/);
    expect(parseAzJson(await runCli(['repository', 'show-tags', '-n', closed.host, '--repository', 'app']))).toEqual(['1.0', '2.0', 'stable']);
  });

  it('cannot untag on distribution (exit 5), and says so', async () => {
    const result = await runCli(['repository', 'untag', '-n', open.host, '--image', 'app:2.0']);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/cannot remove a single tag/);
    expect(parseAzJson(await runCli(['repository', 'show-tags', '-n', open.host, '--repository', 'app']))).toEqual(['2.0']);
  });

  it('needs the ACR API for update and locks (exit 5, no request)', async () => {
    for (const args of [['repository', 'update', '--repository', 'app', '--write-enabled', 'false'], ['tag', 'lock', '--image', 'app:2.0'], ['tag', 'unlock', '--image', 'app:2.0']]) {
      const result = await runCli([...args, '-n', '127.0.0.1:1']);
      expect(result.code, args.join(' ')).toBe(5);
      expect(result.stderr).toMatch(/needs the ACR metadata API/);
    }
  });

  it('deletes a repository after a plan that lists every manifest and tag', async () => {
    const result = await runCli(['repository', 'delete', '-n', closed.host, '--repository', 'app', '-y']);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/WARNING: This operation will delete 2 manifest\(s\) and all their tags:\n {2}sha256:[0-9a-f]{64}: /);
  });
});
