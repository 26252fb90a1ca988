// Authentication end to end against real distribution registries: htpasswd over TLS, and token auth
// behind a docker-token-spec server. Credentials from flags, stdin, docker config and the helper.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchToken, startBasicTlsRegistry, startTokenRegistry, type BasicTlsRegistry, type TokenRegistry } from '../support/auth-registries.js';
import { parseAzJson, runCli, spawnCli } from '../support/cli.js';
import { helperOnPath, type HelperPath } from '../support/helper-path.js';
import { pushImage, pushManifestBytes, withAuth } from '../support/seed.js';
import { missingToolMessage, requireBinary } from '../support/tools.js';

const run = promisify(execFile);
const missing = (['docker-registry', 'skopeo', 'openssl'] as const).filter((tool) => !requireBinary(tool));
if (missing.length > 0 && process.env.CI === 'true') throw new Error(missing.map(missingToolMessage).join('\n'));

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'acrx-auth-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A fresh DOCKER_CONFIG and XDG_CONFIG_HOME for one test. */
function freshConfig(config?: unknown): { env: NodeJS.ProcessEnv; configPath: string } {
  const dir = mkdtempSync(join(scratch, 'config-'));
  const configPath = join(dir, 'docker', 'config.json');
  if (config !== undefined) {
    mkdirSync(join(dir, 'docker'));
    writeFileSync(configPath, typeof config === 'string' ? config : JSON.stringify(config));
  }
  return { env: { DOCKER_CONFIG: join(dir, 'docker'), XDG_CONFIG_HOME: join(dir, 'xdg'), REGISTRY_AUTH_FILE: join(dir, 'auth.json') }, configPath };
}

describe.skipIf(missing.length > 0)(`basic auth over TLS${missing.length ? ` (${missing.join(', ')} missing)` : ''}`, () => {
  let basic: BasicTlsRegistry;
  const tags = () => ['repository', 'show-tags', '-n', basic.registry.host, '--repository', 'team-a/app'];
  beforeAll(async () => {
    basic = await startBasicTlsRegistry();
  });
  afterAll(() => basic?.stop());

  it('lists with -u/-p, trusting the CA through --ca-file or NODE_EXTRA_CA_CERTS', async () => {
    const expected = Object.keys(basic.seeded['team-a/app'] ?? {}).sort();
    expect(parseAzJson(await runCli([...tags(), '-u', 'alice', '-p', 'wonderland-1', '--ca-file', basic.ca.caCertPath]))).toEqual(expected);
    const viaEnv = await spawnCli([...tags(), '-u', 'alice', '-p', 'wonderland-1'], { env: { NODE_EXTRA_CA_CERTS: basic.ca.caCertPath } });
    expect(parseAzJson(viaEnv)).toEqual(expected);
  });

  it('refuses an untrusted certificate unless --insecure', async () => {
    const untrusted = await runCli([...tags(), '-u', 'alice', '-p', 'wonderland-1']);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toMatch(/TLS verification failed for 127\.0\.0\.1:\d+.*--ca-file/);
    expect((await runCli([...tags(), '-u', 'alice', '-p', 'wonderland-1', '--insecure'])).code).toBe(0);
  });

  it('exits 4 for a wrong password or none, without echoing the password', async () => {
    const wrong = await runCli([...tags(), '-u', 'alice', '-p', 'not-the-password', '--ca-file', basic.ca.caCertPath]);
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toMatch(/rejected the credentials/);
    expect(wrong.stderr).not.toContain('not-the-password');
    const none = await runCli([...tags(), '--ca-file', basic.ca.caCertPath]);
    expect(none.code).toBe(4);
    expect(none.stderr).toMatch(/requires authentication.*acrx login/);
  });

  it('logs in with --password-stdin, stores like docker (0600, other entries kept), then uses and forgets it', async () => {
    const { env, configPath } = freshConfig({ auths: { 'other.example.com': { auth: 'eDp5' } }, detachKeys: 'ctrl-x' });
    const host = basic.registry.host;
    const login = await runCli(['login', '-n', host, '-u', 'alice', '--password-stdin', '--ca-file', basic.ca.caCertPath], env, 'wonderland-1\n');
    expect(login).toEqual({ code: 0, stdout: '', stderr: 'Login Succeeded\n' });
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as { auths: Record<string, { auth: string }>; detachKeys: string };
    expect(Buffer.from(config.auths[host]?.auth ?? '', 'base64').toString()).toBe('alice:wonderland-1');
    expect(config.auths['other.example.com']).toEqual({ auth: 'eDp5' });
    expect(config.detachKeys).toBe('ctrl-x');
    expect(statSync(configPath).mode & 0o777).toBe(0o600);

    expect((await runCli([...tags(), '--ca-file', basic.ca.caCertPath], env)).code).toBe(0);
    expect(await runCli(['logout', '-n', host], env)).toMatchObject({ code: 0, stderr: `Removing login credentials for ${host}\n` });
    expect((await runCli([...tags(), '--ca-file', basic.ca.caCertPath], env)).code).toBe(4);
  });

  it('has no token to expose on a Basic-auth registry: exit 5, nothing stored', async () => {
    const { env, configPath } = freshConfig();
    const result = await runCli(['login', '-n', basic.registry.host, '-u', 'alice', '-p', 'wonderland-1', '--expose-token', '--ca-file', basic.ca.caCertPath], env);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/uses Basic authentication and issues no tokens/);
    expect(() => readFileSync(configPath)).toThrow();
  });

  it('does not store a wrong password, and never overwrites a corrupt config.json', async () => {
    const { env, configPath } = freshConfig();
    const wrong = await runCli(['login', '-n', basic.registry.host, '-u', 'alice', '-p', 'nope', '--ca-file', basic.ca.caCertPath], env);
    expect(wrong.code).toBe(4);
    expect(() => readFileSync(configPath)).toThrow();

    const corrupt = freshConfig('{"auths": {');
    const result = await runCli(['login', '-n', basic.registry.host, '-u', 'alice', '-p', 'wonderland-1', '--ca-file', basic.ca.caCertPath], corrupt.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/config\.json is not valid JSON/);
    expect(readFileSync(corrupt.configPath, 'utf8')).toBe('{"auths": {');
  });
});

describe.skipIf(missing.length > 0)('token auth (docker token spec)', () => {
  let token: TokenRegistry;
  let helper: HelperPath;
  const ca = () => ['--ca-file', token.ca.caCertPath];
  const tagsOf = (repository: string) => ['repository', 'show-tags', '-n', token.registry.host, '--repository', repository, ...ca()];

  beforeAll(async () => {
    token = await startTokenRegistry();
    helper = helperOnPath();
  });
  afterAll(async () => {
    helper?.cleanup();
    await token?.stop();
  });

  it('grants what each identity may: alice all, bob team-a only, anonymous public/ only', async () => {
    expect(parseAzJson(await runCli([...tagsOf('team-b/secret'), '-u', 'alice', '-p', 'wonderland-1']))).toEqual(['x']);
    expect(parseAzJson(await runCli([...tagsOf('team-a/app'), '-u', 'bob', '-p', 'builder-2']))).toEqual(['1.0', 'latest']);
    expect((await runCli([...tagsOf('team-b/secret'), '-u', 'bob', '-p', 'builder-2'])).code).toBe(4);
    expect(parseAzJson(await runCli(tagsOf('public/hello')))).toEqual(['v1']);
    const anonymous = await runCli(tagsOf('team-a/app'));
    expect(anonymous.code).toBe(4);
    expect(anonymous.stderr).toMatch(/requires authentication for repository 'team-a\/app'/);
  });

  it('fetches one token per scope for a whole listing and sends the password only to the token service', async () => {
    token.tokenServer.reset();
    const result = await runCli(['repository', 'show-manifests', '-n', token.registry.host, '--repository', 'team-a/app', '-u', 'alice', '-p', 'wonderland-1', ...ca()]);
    expect(result.code).toBe(0);
    const requests = token.tokenServer.requests;
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ method: 'GET', user: 'alice', status: 200 });
    expect(requests[0]?.scopes).toEqual(['repository:team-a/app:pull']);
  });

  it('exits 4 on a wrong password after a single token request', async () => {
    token.tokenServer.reset();
    const result = await runCli(['login', '-n', token.registry.host, '-u', 'alice', '-p', 'wrong-password', ...ca()]);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/token service 127\.0\.0\.1:\d+ rejected the credentials/);
    expect(result.stderr).not.toContain('wrong-password');
    expect(token.tokenServer.requests).toHaveLength(1);
  });

  it('uses a stored identity token with the OAuth2 refresh_token grant', async () => {
    const refresh = token.tokenServer.refreshTokenFor('alice');
    const { env } = freshConfig({ auths: { [token.registry.host]: { auth: Buffer.from('<token>:').toString('base64'), identitytoken: refresh } } });
    token.tokenServer.reset();
    expect(parseAzJson(await runCli(tagsOf('team-b/secret'), env))).toEqual(['x']);
    expect(token.tokenServer.requests[0]).toMatchObject({ method: 'POST', status: 200 });
    expect(token.tokenServer.requests[0]?.form?.grant_type).toBe('refresh_token');
  });

  it('renews tokens by its own clock during a listing, and finishes', async () => {
    const pushToken = await fetchToken(token.tokenServer, token.dispatcher, ['repository:team-a/big:pull,push'], { username: 'alice', password: 'wonderland-1' });
    const bearer = withAuth(token.registry.url, `Bearer ${pushToken}`, token.dispatcher);
    const image = await pushImage(bearer, 'team-a/big', { tags: ['t000'] });
    for (let i = 1; i < 120; i++) await pushManifestBytes(bearer, 'team-a/big', `t${String(i).padStart(3, '0')}`, image.bytes, image.descriptor.mediaType);
    token.tokenServer.reset();
    token.tokenServer.setLifetime(1);
    try {
      const result = await runCli(['repository', 'show-manifests', '-n', token.registry.host, '--repository', 'team-a/big', '-u', 'alice', '-p', 'wonderland-1', ...ca()]);
      expect(result.code).toBe(0);
      expect((JSON.parse(result.stdout) as Array<{ tags: string[] }>)[0]?.tags).toHaveLength(120);
      // A one-second token is never reused once its second is nearly up: many tokens, no failure.
      expect(token.tokenServer.issued()).toBeGreaterThan(1);
    } finally {
      token.tokenServer.setLifetime(300);
    }
  });

  it('traces the whole token flow with --debug and no secret in it', async () => {
    const { env } = freshConfig();
    const result = await runCli(['login', '-n', token.registry.host, '-u', 'alice', '-p', 'wonderland-1', '--debug', ...ca()], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/DEBUG: > GET https:\/\/127\.0\.0\.1:\d+\/token\?/);
    expect(result.stderr).toContain('authorization: Bearer <redacted>');
    expect(result.stderr).not.toContain('wonderland-1');
    expect(result.stderr).not.toContain(Buffer.from('alice:wonderland-1').toString('base64'));
    expect(result.stderr).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });

  it('prints a token with --expose-token and stores nothing', async () => {
    const { env, configPath } = freshConfig();
    const result = await runCli(['login', '-n', token.registry.host, '-u', 'alice', '-p', 'wonderland-1', '--expose-token', ...ca()], env);
    const exposed = parseAzJson(result) as { accessToken: string; loginServer: string };
    expect(exposed.loginServer).toBe(token.registry.host);
    expect(exposed.accessToken.split('.')).toHaveLength(3);
    expect(() => readFileSync(configPath)).toThrow();
  });

  it('is the credential helper skopeo calls: login stores through it, skopeo lists with it', async () => {
    const { env, configPath } = freshConfig({ credHelpers: { [token.registry.host]: 'acrx' } });
    const withHelper = { ...env, PATH: helper.path };
    const skopeo = () =>
      run('skopeo', ['list-tags', '--cert-dir', token.certDir, `docker://${token.registry.host}/team-a/app`], { env: { ...process.env, ...withHelper } });

    await expect(skopeo()).rejects.toThrow(/credentials not found|requested access to the resource is denied|unauthorized/);
    const login = await spawnCli(['login', '-n', token.registry.host, '-u', 'bob', '-p', 'builder-2', ...ca()], { env: withHelper });
    // -p on the command line: docker's warning first.
    expect(login).toMatchObject({ code: 0, stderr: 'WARNING! Using --password via the CLI is insecure. Use --password-stdin.\nLogin Succeeded\n' });
    expect(readFileSync(configPath, 'utf8')).not.toContain('builder-2');

    token.tokenServer.reset();
    const listed = JSON.parse((await skopeo()).stdout) as { Tags: string[] };
    expect(listed.Tags.sort()).toEqual(['1.0', 'latest']);
    expect(token.tokenServer.requests.some((r) => r.user === 'bob')).toBe(true);
  });
});
