// The artifact commands against the ACR test server (HTTPS, ACR's token service, the referrers API and
// OCI-Subject answers) fronting a real distribution registry: what acrx pushes reads back byte for byte,
// attach relies on the service's referrers API instead of writing a referrers tag index, blobs are
// mounted across repositories with a token that may read both.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAcrServer, type AcrServer } from '../fixtures/acr-server.js';
import { passwordToken } from '../support/acr-token.js';
import { parseAzJson, runCli, type CliResult } from '../support/cli.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { createTestCa, type TestCa } from '../support/tls.js';
import { missingToolMessage, requireBinary } from '../support/tools.js';

const missing = (['docker-registry', 'openssl'] as const).filter((tool) => !requireBinary(tool));
if (missing.length > 0 && process.env.CI === 'true') throw new Error(missing.map(missingToolMessage).join('\n'));

const ADMIN = { username: 'admin', password: 'Adm1n-pa55word' };
const MODEL = 'application/vnd.example.model.v1';
const SIGNATURE = 'application/vnd.example.signature.v1+json';
const sha256 = (bytes: Buffer | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

type Json = Record<string, unknown>;

describe.skipIf(missing.length > 0)('artifact commands on ACR', () => {
  let ca: TestCa;
  let registry: RunningRegistry;
  let acr: AcrServer;
  let agent: Agent;
  let scratch: string;

  const env = () => ({ ACRX_ACR_API: '1', ACRX_USERNAME: ADMIN.username, ACRX_PASSWORD: ADMIN.password });
  const acrx = (...args: string[]): Promise<CliResult> => runCli([...args, '-n', acr.host, '--ca-file', ca.caCertPath], env());

  /** GET from the service itself with the admin's token: the independent read. */
  async function service(pathAndQuery: string, repositories: string[]): Promise<{ bytes: Buffer; headers: Record<string, unknown>; status: number }> {
    const token = await passwordToken(acr, ADMIN, repositories.map((name) => `repository:${name}:pull`), agent);
    const accept = 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json';
    const answer = await request(`${acr.url}${pathAndQuery}`, { headers: { authorization: `Bearer ${token}`, accept }, dispatcher: agent });
    return { bytes: Buffer.from(await answer.body.arrayBuffer()), headers: answer.headers, status: answer.statusCode };
  }

  beforeAll(async () => {
    ca = await createTestCa();
    registry = await startRegistry({ deleteEnabled: true });
    acr = await startAcrServer({ upstream: registry.url, tls: { cert: ca.serverCert, key: ca.serverKey }, users: { [ADMIN.username]: ADMIN.password } });
    agent = new Agent({ connect: { ca: ca.caCert } });
    scratch = mkdtempSync(path.join(os.tmpdir(), 'acrx-acr-artifact-'));
    writeFileSync(path.join(scratch, 'weights.bin'), Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251)));
    mkdirSync(path.join(scratch, 'tokenizer', 'vocab'), { recursive: true });
    writeFileSync(path.join(scratch, 'tokenizer', 'vocab', 'words.txt'), 'a\nb\nc\n');
    writeFileSync(path.join(scratch, 'tokenizer', 'config.json'), '{"lower":true}');
    writeFileSync(path.join(scratch, 'signature.sig'), 'signed bytes');
  });

  afterAll(async () => {
    await acr?.stop();
    await registry?.stop();
    await agent?.close();
    await ca?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('pushes files and a directory under two tags, and the service serves the manifest acrx printed, byte for byte', async () => {
    const result = await acrx('artifact', 'push', 'models/llm:v1,stable', path.join(scratch, 'weights.bin'), path.join(scratch, 'tokenizer'), '--artifact-type', MODEL);
    expect(result.code).toBe(0);
    const pushed = parseAzJson(result) as Json;
    expect(pushed).toMatchObject({ artifactType: MODEL, mediaType: 'application/vnd.oci.image.manifest.v1+json', reference: `${acr.host}/models/llm:v1` });
    for (const tag of ['v1', 'stable']) {
      const manifest = await service(`/v2/models/llm/manifests/${tag}`, ['models/llm']);
      expect(sha256(manifest.bytes)).toBe(pushed.digest);
      expect(manifest.bytes.length).toBe(pushed.size);
    }
    const layers = (JSON.parse((await service('/v2/models/llm/manifests/v1', ['models/llm'])).bytes.toString()) as { layers: Array<{ digest: string; annotations: Json }> }).layers;
    const weights = await service(`/v2/models/llm/blobs/${layers[0]?.digest}`, ['models/llm']);
    expect(weights.bytes.equals(readFileSync(path.join(scratch, 'weights.bin')))).toBe(true);
    expect(layers[1]?.annotations).toMatchObject({ 'org.opencontainers.image.title': 'tokenizer', 'io.deis.oras.content.unpack': 'true' });
  });

  it('pulls back every file and the directory tree as they were', async () => {
    const out = path.join(scratch, 'pulled');
    const result = await acrx('artifact', 'pull', 'models/llm:stable', '--output-dir', out);
    expect(result.code).toBe(0);
    const pulled = parseAzJson(result) as { files: Array<{ path: string; outcome: string }> };
    expect(pulled.files.map((file) => [file.path, file.outcome])).toEqual([
      ['weights.bin', 'written'],
      ['tokenizer', 'unpacked'],
    ]);
    expect(readFileSync(path.join(out, 'weights.bin')).equals(readFileSync(path.join(scratch, 'weights.bin')))).toBe(true);
    expect(readFileSync(path.join(out, 'tokenizer', 'vocab', 'words.txt'), 'utf8')).toBe('a\nb\nc\n');
    expect(readFileSync(path.join(out, 'tokenizer', 'config.json'), 'utf8')).toBe('{"lower":true}');
    expect(readdirSync(out).sort()).toEqual(['tokenizer', 'weights.bin']);
  });

  it('mounts the blobs from another repository with --from instead of uploading them again', async () => {
    const before = acr.requests.length;
    const result = await acrx('artifact', 'push', 'models/copy:v1', path.join(scratch, 'weights.bin'), '--from', 'models/llm', '--verbose');
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/mounted weights\.bin/);
    const sent = acr.requests.slice(before);
    expect(sent.some((r) => r.method === 'POST' && r.query.mount !== undefined && r.query.from === 'models/llm')).toBe(true);
    expect(sent.some((r) => r.method === 'PATCH' || (r.method === 'PUT' && r.path.includes('/blobs/uploads/')))).toBe(false);
  });

  it('attaches a signature that the service indexes itself: no referrers tag index is written, discover finds it', async () => {
    const before = acr.requests.length;
    const result = await acrx('artifact', 'attach', 'models/llm:v1', path.join(scratch, 'signature.sig'), '--artifact-type', SIGNATURE);
    expect(result.code).toBe(0);
    const attached = parseAzJson(result) as { digest: string; subject: string; reference: string };
    const subject = sha256((await service('/v2/models/llm/manifests/v1', ['models/llm'])).bytes);
    expect(attached.subject).toBe(subject);
    expect(attached.reference).toBe(`${acr.host}/models/llm@${attached.digest}`);
    // The service answered OCI-Subject: no PUT of a sha256-<hex> tag followed.
    const puts = acr.requests.slice(before).filter((r) => r.method === 'PUT' && r.path.includes('/manifests/'));
    expect(puts.map((r) => r.path)).toEqual([`/v2/models/llm/manifests/${attached.digest}`]);
    expect((await service(`/v2/models/llm/manifests/${subject.replace(':', '-')}`, ['models/llm'])).status).toBe(404);

    const discovered = parseAzJson(await acrx('artifact', 'discover', 'models/llm:v1')) as { manifests: Array<{ digest: string; artifactType: string }> };
    expect(discovered.manifests.map((m) => [m.digest, m.artifactType])).toEqual([[attached.digest, SIGNATURE]]);
    const pulled = path.join(scratch, 'signature-out');
    expect((await acrx('artifact', 'pull', `models/llm@${attached.digest}`, '--output-dir', pulled, '--artifact-type', SIGNATURE)).code).toBe(0);
    expect(readFileSync(path.join(pulled, 'signature.sig'), 'utf8')).toBe('signed bytes');
  });
});
