// az's way of setting and showing defaults: `configure -d acr=NAME`, `configure -l`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'acrx-configure-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const configure = (...args: string[]) => runCli(['configure', ...args], { XDG_CONFIG_HOME: home });

describe('configure as az takes it', () => {
  it('-d stores, acr= is the registry, and -l / --list-defaults show what is stored', async () => {
    expect(await configure('-d', 'acr=localhost:5000', 'output=table')).toEqual({ code: 0, stdout: '', stderr: '' });
    const expected = `${JSON.stringify({ output: 'table', registry: 'localhost:5000' }, null, 2)}\n`;
    expect(await configure('-l', '-o', 'json')).toEqual({ code: 0, stdout: expected, stderr: '' });
    expect(await configure('--list-defaults', '-o', 'json')).toEqual({ code: 0, stdout: expected, stderr: '' });
  });

  it('acr= with an empty value removes the default registry', async () => {
    await configure('-d', 'registry=localhost:5000');
    await configure('-d', 'acr=');
    expect(await configure('-l', '-o', 'json')).toEqual({ code: 0, stdout: '{}\n', stderr: '' });
  });

  it('refuses -d with -l, and an unknown key naming the known ones', async () => {
    expect(await configure('-d', 'acr=localhost:5000', '-l')).toEqual({ code: 2, stdout: '', stderr: 'ERROR: --defaults and --list-defaults are mutually exclusive\n' });
    expect(await configure('-d', 'acrr=x')).toEqual({ code: 2, stdout: '', stderr: "ERROR: invalid default 'acrr=x': expected KEY=VALUE with KEY one of registry, output, acr\n" });
  });

  it('checks the registry given under acr= as it checks registry=', async () => {
    const result = await configure('-d', 'acr=https://localhost:5000');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('without a scheme');
  });
});
