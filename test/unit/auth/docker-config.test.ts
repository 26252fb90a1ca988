// Where stored credentials are found and how they are written, with this project's own credential
// helper standing in as the helper docker would call.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialChain } from '../../../src/auth/chain.js';
import { eraseCredential, lookupInConfig, storeCredential } from '../../../src/auth/docker-config.js';
import { helperStore } from '../../../src/auth/helper-exec.js';
import type { Transport } from '../../../src/transport/types.js';
import { helperOnPath, type HelperPath } from '../../support/helper-path.js';

let home: string;
let helper: HelperPath;
let env: NodeJS.ProcessEnv;
const HOST = 'registry.example.com:5000';
const basic = (user: string, pass: string) => Buffer.from(`${user}:${pass}`).toString('base64');

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'acrx-docker-config-'));
  helper = helperOnPath();
  env = { PATH: helper.path, DOCKER_CONFIG: join(home, 'docker'), XDG_CONFIG_HOME: join(home, 'xdg'), ACRX_AZURE_IDENTITY: '0' };
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  helper.cleanup();
});

function writeDockerConfig(config: unknown): string {
  const path = join(home, 'docker', 'config.json');
  mkdirSync(join(home, 'docker'), { recursive: true });
  writeFileSync(path, typeof config === 'string' ? config : JSON.stringify(config));
  return path;
}

const configPath = () => join(home, 'docker', 'config.json');

describe('finding stored credentials', () => {
  it('reads auths: auth as user:password, identitytoken as a refresh token, keys with scheme and path', async () => {
    writeDockerConfig({
      auths: {
        [`https://${HOST}/v1/`]: { auth: basic('alice', 'pa:ss') },
        'acr.example.com': { auth: basic('00000000-0000-0000-0000-000000000000', ''), identitytoken: 'REFRESH' },
      },
    });
    expect((await lookupInConfig(configPath(), HOST, env))?.credential).toEqual({ kind: 'basic', username: 'alice', password: 'pa:ss' });
    expect((await lookupInConfig(configPath(), 'acr.example.com', env))?.credential).toEqual({ kind: 'identity-token', token: 'REFRESH' });
    expect(await lookupInConfig(configPath(), 'other.example.com', env)).toBeUndefined();
  });

  it('asks credHelpers[host] before credsStore and auths', async () => {
    await helperStore('acrx', { ServerURL: HOST, Username: 'from-helper', Secret: 'h' }, env);
    writeDockerConfig({ credHelpers: { [HOST]: 'acrx' }, credsStore: 'missing-store', auths: { [HOST]: { auth: basic('from-auths', 'a') } } });
    const found = await lookupInConfig(configPath(), HOST, env);
    expect(found?.credential).toEqual({ kind: 'basic', username: 'from-helper', password: 'h' });
    expect(found?.source).toContain('docker-credential-acrx');
  });

  it('uses credsStore for hosts without a helper, and maps the <token> user to a refresh token', async () => {
    await helperStore('acrx', { ServerURL: HOST, Username: '<token>', Secret: 'REFRESH' }, env);
    writeDockerConfig({ credsStore: 'acrx' });
    expect((await lookupInConfig(configPath(), HOST, env))?.credential).toEqual({ kind: 'identity-token', token: 'REFRESH' });
  });

  it('names a helper that is not installed', async () => {
    writeDockerConfig({ credHelpers: { [HOST]: 'nonexistent' } });
    await expect(lookupInConfig(configPath(), HOST, env)).rejects.toThrow("the credential helper 'docker-credential-nonexistent' named in the docker config is not installed");
  });

  it('says a corrupt config.json is corrupt', async () => {
    writeDockerConfig('{"auths": {');
    await expect(lookupInConfig(configPath(), HOST, env)).rejects.toThrow(/is not valid JSON/);
  });

  it('follows the order of PRODUCT §4: explicit, docker config, containers auth.json, anonymous', async () => {
    const containers = join(home, 'auth.json');
    writeFileSync(containers, JSON.stringify({ auths: { [HOST]: { auth: basic('podman-user', 'p') } } }));
    const chain = (extra: NodeJS.ProcessEnv, explicit?: { kind: 'basic'; username: string; password: string }) =>
      credentialChain({
        loginServer: HOST,
        acr: false,
        env: { ...env, ...extra },
        plain: (async () => {
          throw new Error('no network here');
        }) as Transport,
        registry: new URL(`https://${HOST}/`),
        log: () => undefined,
        ...(explicit ? { explicit } : {}),
      })();
    expect(await chain({})).toBeUndefined();
    expect(await chain({ REGISTRY_AUTH_FILE: containers })).toMatchObject({ username: 'podman-user' });
    writeDockerConfig({ auths: { [HOST]: { auth: basic('docker-user', 'd') } } });
    expect(await chain({ REGISTRY_AUTH_FILE: containers })).toMatchObject({ username: 'docker-user' });
    expect(await chain({ REGISTRY_AUTH_FILE: containers }, { kind: 'basic', username: 'flag-user', password: 'f' })).toMatchObject({ username: 'flag-user' });
  });
});

describe('storing and erasing', () => {
  it('writes auths atomically with mode 0600, leaving other entries and keys alone', async () => {
    writeDockerConfig({ auths: { 'other.example.com': { auth: basic('x', 'y') } }, psFormat: 'table {{.ID}}' });
    await storeCredential(configPath(), HOST, { kind: 'basic', username: 'alice', password: 'secret' }, env);
    const written = JSON.parse(readFileSync(configPath(), 'utf8')) as { auths: Record<string, { auth: string }>; psFormat: string };
    expect(written.auths[HOST]?.auth).toBe(basic('alice', 'secret'));
    expect(written.auths['other.example.com']?.auth).toBe(basic('x', 'y'));
    expect(written.psFormat).toBe('table {{.ID}}');
    expect(statSync(configPath()).mode & 0o777).toBe(0o600);
  });

  it('stores a refresh token the way docker does for ACR', async () => {
    await storeCredential(configPath(), 'acr.example.com', { kind: 'identity-token', token: 'REFRESH' }, env);
    const written = JSON.parse(readFileSync(configPath(), 'utf8')) as { auths: Record<string, { auth: string; identitytoken: string }> };
    expect(written.auths['acr.example.com']).toEqual({ auth: basic('00000000-0000-0000-0000-000000000000', ''), identitytoken: 'REFRESH' });
  });

  it('stores through the helper named for the host, and erases there', async () => {
    writeDockerConfig({ credHelpers: { [HOST]: 'acrx' } });
    const result = await storeCredential(configPath(), HOST, { kind: 'basic', username: 'alice', password: 'secret' }, env);
    expect(result.where).toBe('docker-credential-acrx');
    expect(JSON.parse(readFileSync(configPath(), 'utf8'))).toEqual({ credHelpers: { [HOST]: 'acrx' } });
    expect((await lookupInConfig(configPath(), HOST, env))?.credential).toMatchObject({ username: 'alice' });
    expect(await eraseCredential(configPath(), HOST, env)).toBe(true);
    expect(await lookupInConfig(configPath(), HOST, env)).toBeUndefined();
    expect(await eraseCredential(configPath(), HOST, env)).toBe(false);
  });

  it('never overwrites a corrupt config.json', async () => {
    writeDockerConfig('{not json');
    await expect(storeCredential(configPath(), HOST, { kind: 'basic', username: 'a', password: 'b' }, env)).rejects.toThrow(/not valid JSON/);
    expect(readFileSync(configPath(), 'utf8')).toBe('{not json');
  });
});
