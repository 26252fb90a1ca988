// docker-credential-acrx speaks the docker credential-helper protocol exactly (run as a real process).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HELPER_BIN } from '../../support/helper-path.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'acrx-helper-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function helper(args: string[], input = '') {
  const result = spawnSync(process.execPath, [HELPER_BIN, ...args], {
    input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, XDG_CONFIG_HOME: home, ACRX_AZURE_IDENTITY: '0' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('docker-credential-acrx', () => {
  it('stores, gets, lists and erases', () => {
    expect(helper(['store'], JSON.stringify({ ServerURL: 'https://reg.example.com', Username: 'alice', Secret: 's3cret' }))).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(JSON.parse(helper(['get'], 'reg.example.com\n').stdout)).toEqual({ ServerURL: 'reg.example.com', Username: 'alice', Secret: 's3cret' });
    expect(JSON.parse(helper(['list'], 'unused').stdout)).toEqual({ 'reg.example.com': 'alice' });
    expect(statSync(join(home, 'acrx', 'credentials.json')).mode & 0o777).toBe(0o600);
    expect(helper(['erase'], 'reg.example.com')).toMatchObject({ code: 0, stdout: '' });
    expect(helper(['get'], 'reg.example.com')).toEqual({ code: 1, stdout: 'credentials not found in native keychain\n', stderr: '' });
  });

  it('answers errors on stdout with exit 1, as the protocol says', () => {
    expect(helper(['get'], '  ')).toEqual({ code: 1, stdout: 'no credentials server URL\n', stderr: '' });
    expect(helper(['store'], JSON.stringify({ ServerURL: 'x', Secret: 'y' }))).toEqual({ code: 1, stdout: 'no credentials username\n', stderr: '' });
    expect(helper(['frob'])).toEqual({ code: 1, stdout: 'docker-credential-acrx: unknown action: frob\n', stderr: '' });
    expect(helper([])).toMatchObject({ code: 1, stdout: 'Usage: docker-credential-acrx <store|get|erase|list|version>\n' });
    expect(helper(['get', 'extra'])).toMatchObject({ code: 1 });
  });

  it('prints its version and usage', () => {
    expect(helper(['version']).stdout).toMatch(/^docker-credential-acrx \(acrx\) \d+\.\d+\.\d+\n$/);
    expect(helper(['--help'])).toMatchObject({ code: 0, stdout: 'Usage: docker-credential-acrx <store|get|erase|list|version>\n' });
  });

  it('keeps the <token> username of identity tokens', () => {
    helper(['store'], JSON.stringify({ ServerURL: 'reg.example.com', Username: '<token>', Secret: 'REFRESH' }));
    expect(JSON.parse(helper(['get'], 'reg.example.com').stdout)).toMatchObject({ Username: '<token>', Secret: 'REFRESH' });
  });
});
