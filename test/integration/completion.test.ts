// Tab completion in real shells with the committed scripts: bash through its completion function
// (COMP_WORDS, COMP_LINE, COMPREPLY), zsh through its completion system (compinit under zpty), fish
// through `complete -C`. Repository names and tags come from a loopback distribution registry.
import { createServer, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../support/cli.js';
import { acrxOnPath, completeInBash, completeInFish, completeInZsh } from '../support/completion.js';
import { close, listen } from '../support/listen.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { pushImage } from '../support/seed.js';
import { missingToolMessage, requireBinary } from '../support/tools.js';

const missing = (['docker-registry', 'zsh', 'fish'] as const).filter((tool) => !requireBinary(tool));
if (missing.length > 0 && process.env.CI === 'true') throw new Error(missing.map(missingToolMessage).join('\n'));
const lacks = (tool: (typeof missing)[number]) => missing.includes(tool);

let registry: RunningRegistry;
let bin: ReturnType<typeof acrxOnPath>;
const env = () => ({ PATH: bin.path });

beforeAll(async () => {
  bin = acrxOnPath();
  if (lacks('docker-registry')) return;
  registry = await startRegistry();
  await pushImage(registry.url, 'hello', { tags: ['v1', 'v2'] });
  await pushImage(registry.url, 'team/app', { tags: ['1.0'] });
});

afterAll(async () => {
  bin.remove();
  await registry?.stop();
});

describe('bash', () => {
  it('completes commands, subcommands and flags with their short forms', async () => {
    expect(await completeInBash('acrx ')).toEqual(['repository', 'manifest', 'artifact', 'purge', 'login', 'logout', 'tag', 'configure', 'version', 'completion', 'help']);
    expect(await completeInBash('acrx repo')).toEqual(['repository']);
    expect(await completeInBash('acrx repository show-')).toEqual(['show-tags', 'show-manifests', 'show-usage']);
    expect(await completeInBash('acrx repository show-tags --o')).toEqual(['--output', '--only-show-errors', '--orderby']);
    expect(await completeInBash('acrx manifest show -')).toContain('-r');
    expect(await completeInBash('acrx repository list -')).not.toContain('-r');
    // A flag's value is not a subcommand: after `-n list` the path is still `repository list`.
    expect(await completeInBash('acrx repository delete -n help -')).toContain('--yes');
  });

  it('completes enumerated values: output formats, --orderby, booleans and the shells of completion', async () => {
    expect(await completeInBash('acrx repository list -o ')).toEqual(['json', 'jsonc', 'yaml', 'yamlc', 'table', 'tsv', 'none']);
    expect(await completeInBash('acrx artifact discover -o t')).toEqual(['table', 'tsv', 'tree']);
    expect(await completeInBash('acrx repository show-tags --orderby time_d')).toEqual(['time_desc']);
    expect(await completeInBash('acrx repository update --write-enabled ')).toEqual(['true', 'false']);
    expect(await completeInBash('acrx completion ')).toEqual(['bash', 'zsh', 'fish', 'powershell']);
    // '=' breaks words by default: bash replaces what follows it; without it, the whole word.
    expect(await completeInBash('acrx repository list --output=ya')).toEqual(['yaml', 'yamlc']);
    expect(await completeInBash('acrx repository list --output=ya', { wordbreaks: ' \t\n' })).toEqual(['--output=yaml', '--output=yamlc']);
  });

  describe.skipIf(lacks('docker-registry'))('names from the registry', () => {
    it('completes repositories after --repository, from the registry in -n', async () => {
      expect(await completeInBash(`acrx repository show-tags -n ${registry.host} --repository `, { env: env() })).toEqual(['hello', 'team/app']);
      expect(await completeInBash(`acrx repository show-tags --name=${registry.host} --repository te`, { env: env() })).toEqual(['team/app']);
    });

    it('completes tags after --image REPO: (bash replaces what follows the colon)', async () => {
      expect(await completeInBash(`acrx repository show -n ${registry.host} --image hello:`, { env: env() })).toEqual(['v1', 'v2']);
      expect(await completeInBash(`acrx tag lock -n ${registry.host} -t team/app:`, { env: env() })).toEqual(['1.0']);
      expect(await completeInBash(`acrx repository show -n ${registry.host} --image hello:v`, { env: env(), wordbreaks: ' \t\n' })).toEqual(['hello:v1', 'hello:v2']);
      expect(await completeInBash(`acrx repository untag -n ${registry.host} --image h`, { env: env() })).toEqual(['hello:']);
    });

    it('in the manifest group takes the registry from -r and completes -n as the repository or image', async () => {
      expect(await completeInBash(`acrx manifest list -r ${registry.host} -n `, { env: env() })).toEqual(['hello', 'team/app']);
      expect(await completeInBash(`acrx manifest show -r ${registry.host} -n hello:`, { env: env() })).toEqual(['v1', 'v2']);
      // -n names no registry here: without -r there is none to ask.
      expect(await completeInBash(`acrx manifest list -n ${registry.host} --name `, { env: env() })).toEqual([]);
    });

    it('asks the default registry: ACRX_REGISTRY, or the one acrx configure set', async () => {
      expect(await completeInBash('acrx repository show-tags --repository h', { env: { ...env(), ACRX_REGISTRY: registry.host } })).toEqual(['hello']);
      const config = mkdtempSync(path.join(os.tmpdir(), 'acrx-completion-config-'));
      try {
        const configured = { XDG_CONFIG_HOME: config };
        expect((await spawnCli(['configure', '--defaults', `registry=${registry.host}`], { env: configured })).code).toBe(0);
        expect(await completeInBash('acrx repository show --image team/app:', { env: { ...env(), ...configured } })).toEqual(['1.0']);
      } finally {
        rmSync(config, { recursive: true, force: true });
      }
    });
  });

  it('completes nothing, and says nothing, when there is no registry to ask', async () => {
    expect(await completeInBash('acrx repository show-tags --repository ', { env: env() })).toEqual([]);
    expect(await completeInBash('acrx repository show-tags -n 127.0.0.1:1 --repository ', { env: env() })).toEqual([]);
  });
});

describe('acrx __complete', () => {
  it.skipIf(lacks('docker-registry'))('prints names one a line and nothing else', async () => {
    expect(await spawnCli(['__complete', 'repositories', '-n', registry.host])).toEqual({ code: 0, stdout: 'hello\nteam/app\n', stderr: '' });
    expect(await spawnCli(['__complete', 'tags', '-n', registry.host, '--repository', 'hello'])).toEqual({ code: 0, stdout: 'v1\nv2\n', stderr: '' });
  });

  it('answers nothing with exit 0 on any failure: no registry, a bad name, a refused connection, an unknown repository', async () => {
    const silent = { code: 0, stdout: '', stderr: '' };
    expect(await spawnCli(['__complete', 'repositories'])).toEqual(silent);
    expect(await spawnCli(['__complete', 'repositories', '-n', 'not a registry!'])).toEqual(silent);
    expect(await spawnCli(['__complete', 'repositories', '-n', '127.0.0.1:1'])).toEqual(silent);
    if (!lacks('docker-registry')) expect(await spawnCli(['__complete', 'tags', '-n', registry.host, '--repository', 'nope'])).toEqual(silent);
  });

  it('gives up after about two seconds on a registry that never answers', async () => {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => sockets.add(socket));
    const port = await listen(server);
    try {
      const started = performance.now();
      expect(await spawnCli(['__complete', 'repositories', '-n', `127.0.0.1:${port}`])).toEqual({ code: 0, stdout: '', stderr: '' });
      const seconds = (performance.now() - started) / 1000;
      expect(seconds).toBeGreaterThan(1.5);
      expect(seconds).toBeLessThan(5);
    } finally {
      for (const socket of sockets) socket.destroy();
      await close(server);
    }
  });
});

describe.skipIf(lacks('zsh'))('zsh', () => {
  it('completes commands, flags and enumerated values through compinit', async () => {
    expect(await completeInZsh('acrx repo')).toEqual(['repository']);
    expect(await completeInZsh('acrx repository show-tags --or')).toEqual(['--orderby']);
    expect(await completeInZsh('acrx repository show-tags --orderby ')).toEqual(['time_asc', 'time_desc']);
    expect(await completeInZsh('acrx repository list --output=ya')).toEqual(['yaml', 'yamlc']);
    expect(await completeInZsh('acrx completion ')).toEqual(['bash', 'zsh', 'fish', 'powershell']);
    expect(await completeInZsh('acrx manifest show --r')).toEqual(expect.arrayContaining(['--registry', '--raw']));
  });

  it.skipIf(lacks('docker-registry'))('completes repositories and tags from the registry', async () => {
    expect(await completeInZsh(`acrx repository show-tags -n ${registry.host} --repository `, { env: env() })).toEqual(['hello', 'team/app']);
    expect(await completeInZsh(`acrx repository show -n ${registry.host} --image hello:`, { env: env() })).toEqual(['v1', 'v2']);
    expect(await completeInZsh(`acrx manifest show -r ${registry.host} -n hello:v`, { env: env() })).toEqual(['v1', 'v2']);
  });
});

describe.skipIf(lacks('fish'))('fish', () => {
  it('completes commands, flags and enumerated values with complete -C', async () => {
    expect(await completeInFish('acrx repo')).toEqual(['repository']);
    expect(await completeInFish('acrx repository show-tags --or')).toEqual(['--orderby']);
    expect(await completeInFish('acrx repository show-tags --orderby ')).toEqual(['time_asc', 'time_desc']);
    expect(await completeInFish('acrx repository list --output=ya')).toEqual(['--output=yaml', '--output=yamlc']);
    expect(await completeInFish('acrx completion ')).toEqual(['bash', 'fish', 'powershell', 'zsh']);
  });

  it.skipIf(lacks('docker-registry'))('completes repositories and tags from the registry', async () => {
    expect(await completeInFish(`acrx repository show-tags -n ${registry.host} --repository `, { env: env() })).toEqual(['hello', 'team/app']);
    expect(await completeInFish(`acrx repository show -n ${registry.host} --image hello:`, { env: env() })).toEqual(['hello:v1', 'hello:v2']);
    expect(await completeInFish(`acrx manifest list -r ${registry.host} -n t`, { env: env() })).toEqual(['team/app']);
  });
});
