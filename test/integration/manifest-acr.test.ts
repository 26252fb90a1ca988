// The manifest group (az acr manifest) against the ACR test server fronting a real registry: the
// /acr/v1 metadata and the OCI referrers API, printed as the service answers them, az's way.
import { createHash } from 'node:crypto';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAcrServer, type AcrServer } from '../fixtures/acr-server.js';
import { passwordToken } from '../support/acr-token.js';
import { parseAzJson, runCli, type CliResult } from '../support/cli.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { pushArtifact, pushImage, withAuth, SBOM_TYPE, SIGNATURE_TYPE, type PushedManifest } from '../support/seed.js';
import { createTestCa, type TestCa } from '../support/tls.js';
import { missingToolMessage, requireBinary } from '../support/tools.js';

const missing = (['docker-registry', 'openssl'] as const).filter((tool) => !requireBinary(tool));
if (missing.length > 0 && process.env.CI === 'true') throw new Error(missing.map(missingToolMessage).join('\n'));

const ADMIN = { username: 'admin', password: 'Adm1n-pa55word' };
const REPOS = ['app', 'gone', 'locked'];
const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

type Json = Record<string, unknown>;

describe.skipIf(missing.length > 0)('manifest commands on ACR', () => {
  let ca: TestCa;
  let registry: RunningRegistry;
  let acr: AcrServer;
  let agent: Agent;
  const pushed: Record<string, PushedManifest> = {};

  const adminToken = (): Promise<string> =>
    passwordToken(acr, ADMIN, ['registry:catalog:*', ...REPOS.map((r) => `repository:${r}:pull,push,delete,metadata_read`)], agent);

  /** What the service itself answers, read with the admin's token. */
  async function service(path: string): Promise<{ body: Json; text: string; headers: Record<string, unknown> }> {
    const accept = 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/json';
    const response = await request(`${acr.url}${path}`, { headers: { authorization: `Bearer ${await adminToken()}`, accept }, dispatcher: agent });
    const text = await response.body.text();
    return { body: JSON.parse(text) as Json, text, headers: response.headers };
  }

  /** Every referrer of a digest, the service's pages joined by following its Link headers. */
  async function referrers(digest: string | undefined): Promise<Json[]> {
    const found: Json[] = [];
    let path: string | undefined = `/v2/app/referrers/${digest}`;
    while (path) {
      const page = await service(path);
      found.push(...(page.body.manifests as Json[]));
      path = /<([^>]+)>/.exec(String(page.headers.link ?? ''))?.[1];
    }
    return found;
  }

  const env = () => ({ ACRX_ACR_API: '1', ACRX_USERNAME: ADMIN.username, ACRX_PASSWORD: ADMIN.password });
  const acrx = (...args: string[]): Promise<CliResult> => runCli([...args, '-r', acr.host, '--ca-file', ca.caCertPath], env());
  const sent = (from: number) => acr.requests.slice(from);

  beforeAll(async () => {
    ca = await createTestCa();
    registry = await startRegistry({ deleteEnabled: true });
    // Pages of two referrers, so the referrers listing is followed across Link pages.
    acr = await startAcrServer({ upstream: registry.url, tls: { cert: ca.serverCert, key: ca.serverKey }, users: { [ADMIN.username]: ADMIN.password }, referrersPageSize: 2 });
    agent = new Agent({ connect: { ca: ca.caCert } });
    const target = withAuth(acr.url, `Bearer ${await adminToken()}`, agent);
    pushed.v1 = await pushImage(target, 'app', { tags: ['v1', 'stable'], created: '2024-01-10T10:00:00Z' });
    pushed.v2 = await pushImage(target, 'app', { tags: ['v2'], created: '2024-03-05T08:30:00Z' });
    pushed.untagged = await pushImage(target, 'app', { tags: [], byDigest: true, architecture: 'arm64' });
    const subject = pushed.v1.descriptor;
    pushed.sbom = await pushArtifact(target, 'app', { tags: [], artifactType: SBOM_TYPE, content: '{"sbom":1}', subject, annotations: { 'org.example.format': 'spdx' } });
    pushed.sig1 = await pushArtifact(target, 'app', { tags: [], artifactType: SIGNATURE_TYPE, content: 'signature one', subject });
    pushed.sig2 = await pushArtifact(target, 'app', { tags: [], artifactType: SIGNATURE_TYPE, content: 'signature two', subject });
    pushed.sbomSig = await pushArtifact(target, 'app', { tags: [], artifactType: SIGNATURE_TYPE, content: 'sbom signature', subject: pushed.sbom.descriptor });
    pushed.gone = await pushImage(target, 'gone', { tags: ['a', 'b'] });
    pushed.keep = await pushImage(target, 'gone', { tags: ['keep'] });
    pushed.locked = await pushImage(target, 'locked', { tags: ['fixed'] });
  });

  afterAll(async () => {
    await acr?.stop();
    await registry?.stop();
    await agent?.close();
    await ca?.cleanup();
  });

  it('list-metadata prints the /acr/v1 manifest list as the service sends it, untagged manifests without tags', async () => {
    const manifests = (await service('/acr/v1/app/_manifests')).body.manifests as Json[];
    const result = await acrx('manifest', 'list-metadata', '-n', 'app');
    expect(parseAzJson(result)).toEqual(manifests);
    expect(result.stderr).toBe('');
    expect(manifests.some((manifest) => manifest.digest === pushed.untagged?.descriptor.digest && manifest.tags === undefined)).toBe(true);
  });

  it('list-metadata passes --orderby and --top to the service', async () => {
    const newest = (await service('/acr/v1/app/_manifests?orderby=timedesc')).body.manifests as Json[];
    const before = acr.requests.length;
    expect(parseAzJson(await acrx('manifest', 'list-metadata', '-n', 'app', '--orderby', 'time_desc', '--top', '2'))).toEqual(newest.slice(0, 2));
    const listing = sent(before).filter((r) => r.path.endsWith('/_manifests'));
    expect(listing.at(-1)?.query).toMatchObject({ n: '2', orderby: 'timedesc' });
  });

  it("ACR's clean-up recipe selects the manifests older than a date with a string comparison, as az does", async () => {
    const oldest = (await service('/acr/v1/app/_manifests?orderby=timeasc')).body.manifests as Array<{ digest: string; lastUpdateTime: string }>;
    const cutoff = oldest[2]?.lastUpdateTime as string;
    const result = await acrx('manifest', 'list-metadata', '-n', 'app', '--orderby', 'time_asc', '--query', `[?lastUpdateTime < '${cutoff}'].digest`, '-o', 'tsv');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${oldest[0]?.digest}\n${oldest[1]?.digest}\n`);
  });

  it('show-metadata and update-metadata unwrap the tag or manifest object; no flag shows, a flag patches', async () => {
    expect(parseAzJson(await acrx('manifest', 'show-metadata', '-n', 'app:v1'))).toEqual((await service('/acr/v1/app/_tags/v1')).body.tag);
    const digest = pushed.v1?.descriptor.digest as string;
    expect(parseAzJson(await acrx('manifest', 'show-metadata', '-n', `app@${digest}`))).toEqual((await service(`/acr/v1/app/_manifests/${digest}`)).body.manifest);
    const patched = parseAzJson(await acrx('manifest', 'update-metadata', '-n', 'locked:fixed', '--write-enabled', 'false', '--delete-enabled', 'false')) as Json;
    expect(patched.changeableAttributes).toMatchObject({ writeEnabled: false, deleteEnabled: false });
    expect(parseAzJson(await acrx('manifest', 'update-metadata', '-n', 'locked:fixed'))).toEqual((await service('/acr/v1/locked/_tags/fixed')).body.tag);
  });

  it('show gives the manifest (sorted keys), --raw its exact bytes; list gives every manifest in list-metadata order', async () => {
    const shown = await service(`/v2/app/manifests/v1`);
    expect(parseAzJson(await acrx('manifest', 'show', '-n', 'app:v1'))).toEqual(shown.body);
    const raw = await acrx('manifest', 'show', '-n', 'app:v1', '--raw');
    expect(raw.stdout).toBe(shown.text);
    expect(sha256(raw.stdout)).toBe(pushed.v1?.descriptor.digest);
    const digests = ((await service('/acr/v1/app/_manifests')).body.manifests as Array<{ digest: string }>).map((m) => m.digest);
    const documents = await Promise.all(digests.map(async (digest) => (await service(`/v2/app/manifests/${digest}`)).body));
    expect(parseAzJson(await acrx('manifest', 'list', '-n', 'app'))).toEqual(documents);
  });

  it('list-referrers follows the Link pages of /v2/<repo>/referrers/<digest> and prints {"manifests": [...]}', async () => {
    const all = await referrers(pushed.v1?.descriptor.digest);
    expect(all).toHaveLength(3);
    const before = acr.requests.length;
    expect(parseAzJson(await acrx('manifest', 'list-referrers', '-n', 'app:v1'))).toEqual({ manifests: all });
    const pages = sent(before).filter((r) => r.path.includes('/referrers/'));
    expect(pages).toHaveLength(2);
  });

  it('list-referrers --artifact-type asks the service to filter; --recursive adds the referrers of referrers', async () => {
    const before = acr.requests.length;
    const signatures = parseAzJson(await acrx('manifest', 'list-referrers', '-n', 'app:v1', '--artifact-type', SIGNATURE_TYPE)) as { manifests: Json[] };
    expect(signatures.manifests.map((m) => m.digest).sort()).toEqual([pushed.sig1?.descriptor.digest, pushed.sig2?.descriptor.digest].sort());
    expect(sent(before).find((r) => r.path.includes('/referrers/'))?.query).toMatchObject({ artifactType: SIGNATURE_TYPE });

    const direct = await referrers(pushed.v1?.descriptor.digest);
    const nested = await referrers(pushed.sbom?.descriptor.digest);
    expect(nested.map((m) => m.digest)).toEqual([pushed.sbomSig?.descriptor.digest]);
    expect(parseAzJson(await acrx('manifest', 'list-referrers', '-n', 'app:v1', '--recursive'))).toEqual({ manifests: [...direct, ...nested] });
  });

  it('the fully qualified MANIFEST_ID works as -r and -n do', async () => {
    const result = await runCli(['manifest', 'show-metadata', `${acr.host}/app:v2`, '--ca-file', ca.caCertPath], env());
    expect(parseAzJson(result)).toEqual((await service('/acr/v1/app/_tags/v2')).body.tag);
  });

  it('delete names the referrers that go with their subject, and they are gone after', async () => {
    const target = withAuth(acr.url, `Bearer ${await adminToken()}`, agent);
    const subject = await pushImage(target, 'gone', { tags: ['signed'], layerText: 'a signed image\n' });
    const signature = await pushArtifact(target, 'gone', { tags: [], artifactType: SIGNATURE_TYPE, content: 'sig', subject: subject.descriptor });
    const result = await acrx('manifest', 'delete', '-n', 'gone:signed', '--yes');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`The registry deletes with it the 1 manifest(s) that refer to it: ${signature.descriptor.digest} (${SIGNATURE_TYPE})`);
    expect((await acrx('manifest', 'show', '-n', `gone@${signature.descriptor.digest}`)).code).toBe(3);
  });

  it('delete needs --yes without a terminal, deletes the manifest with its tags, and exits 5 on a lock, 3 when missing', async () => {
    const before = acr.requests.length;
    expect(await acrx('manifest', 'delete', '-n', 'gone:a')).toMatchObject({ code: 2, stdout: '' });
    expect(acr.requests.length).toBe(before);

    const deleted = await acrx('manifest', 'delete', '-n', 'gone:a', '--yes');
    expect(deleted).toMatchObject({ code: 0, stdout: '' });
    expect(deleted.stderr).toContain(`'${pushed.gone?.descriptor.digest}' and all the following images: 'gone:a', 'gone:b'`);
    expect(parseAzJson(await runCli(['repository', 'show-tags', '-n', acr.host, '--repository', 'gone', '--ca-file', ca.caCertPath], env()))).toEqual(['keep']);

    const locked = await acrx('manifest', 'delete', '-n', 'locked:fixed', '--yes');
    expect(locked.code).toBe(5);
    expect(locked.stderr).toContain('The operation is disallowed on this registry, repository or image.');
    expect((await acrx('manifest', 'delete', '-n', 'gone:nope', '--yes')).code).toBe(3);
    expect((await acrx('manifest', 'show', '-n', 'gone:nope')).code).toBe(3);
    expect((await acrx('manifest', 'list-metadata', '-n', 'nope')).code).toBe(3);
  });
});
