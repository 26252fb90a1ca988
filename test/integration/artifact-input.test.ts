// What the artifact commands do with bad input and with a registry that says no: a mistake on the
// command line is exit 2 and one line before any request (a recording loopback server proves none
// was sent); a registry's refusal of a blob or manifest is exit 5 with its own words, and nothing is
// printed as pushed. Refusals come from the real distribution registry (its manifest size limit and its
// read-only maintenance mode).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli, type CliResult } from '../support/cli.js';
import { startServer, type TestServer } from '../support/http-server.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { missingToolMessage, requireBinary } from '../support/tools.js';

const missing = (['docker-registry'] as const).filter((tool) => !requireBinary(tool));
if (missing.length > 0 && process.env.CI === 'true') throw new Error(missing.map(missingToolMessage).join('\n'));

/** acrx as an unprivileged user when the tests run as root (root reads every file), with config it may read. */
function spawnAsNobody(args: string[], home: string): Promise<CliResult> {
  const env = { HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), DOCKER_CONFIG: path.join(home, 'docker'), REGISTRY_AUTH_FILE: path.join(home, 'auth.json') };
  return spawnCli(args, { env, ...(process.getuid?.() === 0 ? { user: { uid: 65534, gid: 65534 } } : {}) });
}

describe('artifact commands refuse bad input before any request', () => {
  let server: TestServer;
  let scratch: string;
  let file: string;

  beforeAll(async () => {
    // Anything that reaches it is a failure of the test: it records the request and answers 500.
    server = await startServer((_request, response) => {
      response.writeHead(500);
      response.end();
    });
    scratch = mkdtempSync(path.join(os.tmpdir(), 'acrx-input-'));
    file = path.join(scratch, 'a.txt');
    writeFileSync(file, 'content');
    mkdirSync(path.join(scratch, 'out'));
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  const cases: Array<[string, () => string[], RegExp]> = [
    ['a missing file', () => ['push', 'repo:v1', path.join(scratch, 'missing.txt')], /no such file or directory: '.*missing\.txt'/],
    ['a media type that is not type/subtype', () => ['push', 'repo:v1', `${file}:text`], /invalid media type 'text' for '.*a\.txt'/],
    ['a media type with a bad subtype', () => ['push', 'repo:v1', `${file}:text/pl ain`], /invalid media type 'text\/pl ain'/],
    ['an artifact type that is not a media type', () => ['push', 'repo:v1', file, '--artifact-type', 'sbom'], /invalid artifact type 'sbom'/],
    ['a push without a tag', () => ['push', 'repo', file], /needs a tag/],
    ['a push to a digest', () => ['push', `repo@sha256:${'a'.repeat(64)}`, file], /takes 'name:tag', not a digest/],
    ['a push without files', () => ['push', 'repo:v1'], /missing required argument 'file'/],
    ['a bad second tag', () => ['push', 'repo:v1,bad tag', file], /tag/],
    ['an annotation without =', () => ['push', 'repo:v1', file, '-a', 'novalue'], /KEY=VALUE/],
    ['an unknown image spec', () => ['push', 'repo:v1', file, '--image-spec', 'v2'], /--image-spec/],
    ['attach without --artifact-type', () => ['attach', 'repo:v1', file], /--artifact-type is required/],
    ['a pull without --output-dir', () => ['pull', 'repo:v1'], /--output-dir/],
    ['a pull with --overwrite and --keep-old-files', () => ['pull', 'repo:v1', '--output-dir', path.join(scratch, 'out'), '--overwrite', '--keep-old-files'], /mutually exclusive/],
    ['a pull filtered by a bad media type', () => ['pull', 'repo:v1', '--output-dir', path.join(scratch, 'out'), '--media-type', 'tar'], /invalid media type 'tar'/],
    ['a discover with a bad depth', () => ['discover', 'repo:v1', '--depth', '0'], /--depth/],
  ];

  for (const [what, args, message] of cases) {
    it(`answers ${what} with exit 2 and one line, and sends nothing`, async () => {
      const before = server.requests.length;
      const result = await runCli(['artifact', ...args(), '-n', server.origin.host]);
      expect(result.code).toBe(2);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
      expect(server.requests.length - before).toBe(0);
    });
  }

  it('answers an unreadable file with exit 2 and one line, and sends nothing', async () => {
    const secret = path.join(scratch, 'secret.txt');
    writeFileSync(secret, 'secret');
    chmodSync(secret, 0o000);
    const before = server.requests.length;
    // The directory must be open to that user, the file not.
    chmodSync(scratch, 0o755);
    const result = await spawnAsNobody(['artifact', 'push', '-n', server.origin.host, 'repo:v1', secret], path.join(scratch, 'home'));
    expect(result.stderr).toMatch(/^ERROR: cannot read '.*secret\.txt': permission denied\n$/);
    expect(result.code).toBe(2);
    expect(server.requests.length - before).toBe(0);
  });
});

describe.skipIf(missing.length > 0)('artifact push to a registry that refuses it', () => {
  let registry: RunningRegistry;
  let readOnly: RunningRegistry;
  let scratch: string;

  beforeAll(async () => {
    [registry, readOnly] = await Promise.all([startRegistry(), startRegistry({ readOnly: true })]);
    scratch = mkdtempSync(path.join(os.tmpdir(), 'acrx-refused-'));
    writeFileSync(path.join(scratch, 'a.txt'), 'content');
    // distribution refuses manifests over 4 MiB: an annotation this long makes one.
    writeFileSync(path.join(scratch, 'huge.json'), JSON.stringify({ $manifest: { padding: 'x'.repeat(5 * 1024 * 1024) } }));
  });

  afterAll(async () => {
    await Promise.all([registry?.stop(), readOnly?.stop()]);
    rmSync(scratch, { recursive: true, force: true });
  });

  it("exits 5 with the registry's words when it refuses the manifest, and prints nothing as pushed", async () => {
    const result = await runCli(['artifact', 'push', '-n', registry.host, 'big:v1', path.join(scratch, 'a.txt'), '--annotation-file', path.join(scratch, 'huge.json')]);
    expect(result.code).toBe(5);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/refused to store manifest 'big:v1' \(HTTP 400: MANIFEST_INVALID/);
    const tags = await fetch(`${registry.url}/v2/big/tags/list`);
    expect(tags.status).toBe(404);
  });

  it("exits 5 with the registry's words when it refuses the blobs (read-only), and prints nothing as pushed", async () => {
    const result = await runCli(['artifact', 'push', '-n', readOnly.host, 'app:v1', path.join(scratch, 'a.txt')]);
    expect(result.code).toBe(5);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/refused to store blob 'app@sha256:[0-9a-f]{64}' \(HTTP 405: .*Method not allowed\)/);
  });
});
