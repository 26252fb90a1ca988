// The manifest group (az acr manifest) against the real distribution registry, checked against what was
// pushed and against skopeo: metadata from tags, manifests byte for byte, referrers through the
// referrers tag schema (distribution 2.8 has no referrers API), deletes on a throw-away registry.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDelete } from '../../src/cli/manifest/delete.js';
import { runListReferrers } from '../../src/cli/manifest/list-referrers.js';
import { createContext, type Io } from '../../src/cli/context.js';
import { parseRegistryOptions } from '../../src/cli/options.js';
import { CancelledError } from '../../src/errors.js';
import { isolatedEnv, parseAzJson, runCli } from '../support/cli.js';
import { describeWithRegistry } from '../support/inject.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { pushImage, pushReferrer, SBOM_TYPE, SIGNATURE_TYPE, type RepoTruth } from '../support/seed.js';
import { requireBinary } from '../support/tools.js';

const sha256 = (bytes: Buffer | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

function skopeoRaw(host: string, reference: string): Buffer {
  return execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${host}/${reference}`]);
}

class Capture {
  text = '';
  write(chunk: string | Uint8Array): boolean {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }
}

describeWithRegistry('manifest commands on distribution', (registry) => {
  const acrx = (...args: string[]) => runCli([...args, '-r', registry.host]);
  const { truth } = registry;
  const signed = truth.repos.signed as RepoTruth;
  const v1 = signed.tags.v1 as string;

  it('list-metadata lists every tagged manifest with what the manifests and configs say, and says once that untagged ones are unseen', async () => {
    const result = await acrx('manifest', 'list-metadata', '-n', 'hello');
    const listed = parseAzJson(result) as Array<{ digest: string; tags: string[]; createdTime?: string }>;
    const hello = truth.repos.hello as RepoTruth;
    const tagged = Object.entries(hello.manifests).filter(([, manifest]) => manifest.tags.length > 0);
    expect(listed.map((manifest) => manifest.digest)).toEqual(tagged.map(([digest]) => digest).sort());
    for (const manifest of listed) {
      const expected = hello.manifests[manifest.digest];
      expect(manifest.tags).toEqual(expected?.tags);
      if (expected?.created) expect(manifest.createdTime).toBe(expected.created);
    }
    expect(result.stderr.match(/untagged manifests cannot be found/g)).toHaveLength(1);
    // The same data as `repository show-manifests --detail`, which az's list-metadata replaces.
    expect(listed).toEqual(parseAzJson(await runCli(['repository', 'show-manifests', '-n', registry.host, '--repository', 'hello', '--detail'])));
  });

  it('list-metadata takes --orderby and --top, and az positional REPO_ID form', async () => {
    const newest = parseAzJson(await acrx('manifest', 'list-metadata', '-n', 'hello', '--orderby', 'time_desc', '--top', '2')) as Array<{ createdTime: string }>;
    expect(newest.map((manifest) => manifest.createdTime)).toEqual(['2024-03-05T08:30:00Z', '2024-01-10T10:00:00Z']);
    const positional = await runCli(['manifest', 'list-metadata', `${registry.host}/hello`]);
    expect(parseAzJson(positional)).toEqual(parseAzJson(await acrx('manifest', 'list-metadata', '-n', 'hello')));
  });

  it('list gives each manifest as the registry stores it, in digest order', async () => {
    const listed = parseAzJson(await acrx('manifest', 'list', '-n', 'legacy/app'));
    const digests = Object.keys((truth.repos['legacy/app'] as RepoTruth).manifests).sort();
    expect(listed).toEqual(digests.map((digest) => JSON.parse(skopeoRaw(registry.host, `legacy/app@${digest}`).toString('utf8'))));
  });

  it('list -o table prints az table transformer columns', async () => {
    const result = await acrx('manifest', 'list', '-n', 'hello', '-o', 'table');
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^MediaType\s+ArtifactType\s+SubjectDigest$/);
    const sbom = Object.values((truth.repos.hello as RepoTruth).manifests).find((manifest) => manifest.artifactType === SBOM_TYPE);
    expect(result.stdout).toContain(`${SBOM_TYPE}  ${sbom?.subject}`);
  });

  it('show --raw prints the bytes the registry sent: their sha256 is the digest', async () => {
    for (const image of ['hello:v1', 'multi:latest', 'legacy/app:1.1', 'signed:v1']) {
      const [repository, tag] = image.split(':') as [string, string];
      const result = await acrx('manifest', 'show', '-n', image, '--raw');
      expect(result.code).toBe(0);
      expect(sha256(result.stdout)).toBe((truth.repos[repository] as RepoTruth).tags[tag]);
      expect(result.stdout).toBe(skopeoRaw(registry.host, image).toString('utf8'));
    }
  });

  it('show prints the manifest as az does (sorted keys), by tag, by digest and by MANIFEST_ID', async () => {
    const raw = JSON.parse(skopeoRaw(registry.host, 'multi:latest').toString('utf8'));
    expect(parseAzJson(await acrx('manifest', 'show', '-n', 'multi:latest'))).toEqual(raw);
    const digest = (truth.repos.multi as RepoTruth).tags.latest as string;
    expect(parseAzJson(await acrx('manifest', 'show', '-n', `multi@${digest}`))).toEqual(raw);
    expect(parseAzJson(await runCli(['manifest', 'show', `${registry.host}/multi@${digest}`]))).toEqual(raw);
  });

  it('show-metadata gives what repository show --image gives', async () => {
    for (const image of ['hello:v1', 'multi:latest', `signed@${v1}`]) {
      const shown = parseAzJson(await runCli(['repository', 'show', '-n', registry.host, '--image', image]));
      expect(parseAzJson(await acrx('manifest', 'show-metadata', '-n', image))).toEqual(shown);
    }
  });

  it('list-referrers reads the referrers tag schema where the registry has no referrers API', async () => {
    const expected = signed.referrers[v1];
    expect(expected).toHaveLength(2);
    expect(parseAzJson(await acrx('manifest', 'list-referrers', '-n', 'signed:v1'))).toEqual({ manifests: expected });
    expect(parseAzJson(await acrx('manifest', 'list-referrers', '-n', `signed@${v1}`))).toEqual({ manifests: expected });
    expect(parseAzJson(await runCli(['manifest', 'list-referrers', `${registry.host}/signed:v1`]))).toEqual({ manifests: expected });
  });

  it('list-referrers --artifact-type keeps one type; --recursive adds referrers of referrers to every depth', async () => {
    const direct = signed.referrers[v1] ?? [];
    const sbom = direct.find((referrer) => referrer.artifactType === SBOM_TYPE);
    expect(parseAzJson(await acrx('manifest', 'list-referrers', '-n', 'signed:v1', '--artifact-type', SBOM_TYPE))).toEqual({ manifests: [sbom] });
    const nested = signed.referrers[sbom?.digest ?? ''] ?? [];
    expect(nested.map((referrer) => referrer.artifactType)).toEqual([SIGNATURE_TYPE]);
    expect(parseAzJson(await acrx('manifest', 'list-referrers', '-n', 'signed:v1', '--recursive'))).toEqual({ manifests: [...direct, ...nested] });
    // az filters only the first level: referrers of the SBOM come along whatever their type.
    const filtered = parseAzJson(await acrx('manifest', 'list-referrers', '-n', 'signed:v1', '--recursive', '--artifact-type', SBOM_TYPE));
    expect(filtered).toEqual({ manifests: [sbom, ...nested] });
  });

  it('list-referrers of a manifest without referrers is an empty list; -o table has az columns', async () => {
    expect(parseAzJson(await acrx('manifest', 'list-referrers', '-n', 'signed:v2'))).toEqual({ manifests: [] });
    const table = await acrx('manifest', 'list-referrers', '-n', 'signed:v1', '-o', 'table');
    expect(table.stdout.split('\n')[0]).toMatch(/^Digest\s+ArtifactType\s+MediaType\s+Size$/);
  });

  it('warns when --query filters on a field this registry side cannot provide, instead of silently selecting nothing', async () => {
    const result = await acrx('manifest', 'list-metadata', '-n', 'hello', '--query', "[?lastUpdateTime < '2024-01-01'].digest", '-o', 'tsv');
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toContain("WARNING: --query reads 'lastUpdateTime', which no item of the result has");
    const byCreated = await acrx('manifest', 'list-metadata', '-n', 'hello', '--query', "[?createdTime < '2024-01-01'].digest", '-o', 'tsv');
    const hello = truth.repos.hello as RepoTruth;
    expect(byCreated.stdout).toBe(`${hello.tags.old}\n`);
    expect(byCreated.stderr).not.toContain('--query reads');
  });

  it('show-metadata of an untagged manifest has no tags key, as ACR answers it', async () => {
    const hello = truth.repos.hello as RepoTruth;
    const untagged = Object.entries(hello.manifests).find(([, manifest]) => manifest.tags.length === 0)?.[0] as string;
    const shown = parseAzJson(await acrx('manifest', 'show-metadata', '-n', `hello@${untagged}`)) as Record<string, unknown>;
    expect(shown.digest).toBe(untagged);
    expect('tags' in shown).toBe(false);
  });

  it('the run function works with an injected context, without argv', async () => {
    const stdout = new Capture();
    const stderr = new Capture();
    const signal = new AbortController().signal;
    setMaxListeners(0, signal);
    const io: Io = { stdout, stderr, env: isolatedEnv(), signal, now: () => Date.now() };
    const context = await createContext({ verbose: false, debug: false, onlyShowErrors: false }, io);
    try {
      const result = await runListReferrers(
        { registry: { ...parseRegistryOptions({}, 'registry'), name: registry.host }, image: { repository: 'signed', tag: 'v1' }, recursive: false },
        context,
      );
      expect(result.manifests.map((referrer) => referrer.digest)).toEqual((signed.referrers[v1] ?? []).map((referrer) => referrer.digest));
    } finally {
      await context.close();
    }
    expect(stdout.text).toBe('');
  });

  it('exits 3 for a missing tag or repository, 5 for update-metadata, 2 for usage errors — and sends nothing then', async () => {
    for (const args of [['show', '-n', 'hello:nope'], ['show-metadata', '-n', 'nope:v1'], ['list-referrers', '-n', 'hello:nope'], ['list-metadata', '-n', 'nope']]) {
      const result = await acrx('manifest', ...args);
      expect(result.code, args.join(' ')).toBe(3);
      expect(result.stderr).toMatch(/^ERROR: .*not found/);
    }
    const locked = await acrx('manifest', 'update-metadata', '-n', 'hello:v1', '--write-enabled', 'false');
    expect(locked.code).toBe(5);
    expect(locked.stderr).toMatch(/needs the ACR metadata API/);
    const usage = [
      ['manifest', 'show'],
      ['manifest', 'show', `${registry.host}/hello:v1`, '-n', 'hello:v1'],
      ['manifest', 'list-metadata', `${registry.host}/hello:v1`],
      ['manifest', 'show', '-n', 'hello:v1', '-r', registry.host, '--orderby', 'name'],
      ['manifest', 'update-metadata', '-n', 'hello:v1', '-r', registry.host, '--delete-enabled', 'maybe'],
      ['manifest', 'delete', '-n', 'hello:v1', '-r', registry.host],
    ];
    for (const args of usage) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
    }
  });
});

const hasRegistry = requireBinary('docker-registry') !== undefined;

describe.skipIf(!hasRegistry && process.env.CI !== 'true')('manifest delete on a throw-away registry', () => {
  let registry: RunningRegistry;

  beforeAll(async () => {
    registry = await startRegistry({ deleteEnabled: true });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  const tags = async (repository: string) => parseAzJson(await runCli(['repository', 'show-tags', '-n', registry.host, '--repository', repository]));

  it('deletes the manifest with every tag on it, names them, and prints nothing on stdout', async () => {
    const kept = await pushImage(registry.url, 'app', { tags: ['keep'], created: '2024-01-01T00:00:00Z' });
    const doomed = await pushImage(registry.url, 'app', { tags: ['a', 'b'], created: '2024-02-01T00:00:00Z' });
    const result = await runCli(['manifest', 'delete', '-r', registry.host, '-n', 'app:a', '--yes']);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toContain(`'${doomed.descriptor.digest}' and all the following images: 'app:a', 'app:b'`);
    expect(await tags('app')).toEqual(['keep']);
    expect(kept.descriptor.digest).toBe(sha256(skopeoRaw(registry.host, 'app:keep')));
  });

  it('asks on a terminal and deletes nothing when the answer is no', async () => {
    const pushed = await pushImage(registry.url, 'asked', { tags: ['v1'] });
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const stderr = new PassThrough();
    let prompt = '';
    let answered = false;
    stderr.on('data', (chunk: Buffer) => {
      prompt += chunk.toString('utf8');
      // Answer once: a terminal-mode prompt echoes what is typed back to stderr.
      if (!answered && prompt.includes('(y/n)')) {
        answered = true;
        stdin.write('n\n');
      }
    });
    const signal = new AbortController().signal;
    setMaxListeners(0, signal);
    const io: Io = { stdout: new Capture(), stderr, stdin, env: isolatedEnv(), signal };
    const context = await createContext({ verbose: false, debug: false, onlyShowErrors: false }, io);
    const options = { registry: { ...parseRegistryOptions({}, 'registry'), name: registry.host }, image: { repository: 'asked', tag: 'v1' }, yes: false };
    try {
      await expect(runDelete(options, context)).rejects.toBeInstanceOf(CancelledError);
    } finally {
      await context.close();
    }
    // A registry that leaves referrers behind is not promised to delete them (az's question says it does on ACR).
    expect(prompt).toContain(`Are you sure you want to delete the artifact '${pushed.descriptor.digest}'? (y/n)`);
    expect(await tags('asked')).toEqual(['v1']);
  });

  it('says which referrers stay behind when the registry does not delete them with their subject', async () => {
    const subject = await pushImage(registry.url, 'signed', { tags: ['v1'] });
    const { referrer } = await pushReferrer(registry.url, 'signed', { subject: subject.descriptor, artifactType: SIGNATURE_TYPE, content: 'a signature' });
    const result = await runCli(['manifest', 'delete', '-r', registry.host, '-n', 'signed:v1', '--yes']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`1 manifest(s) refer to it and stay behind without it (this registry does not delete referrers): ${referrer.descriptor.digest} (${SIGNATURE_TYPE})`);
    expect(sha256(skopeoRaw(registry.host, `signed@${referrer.descriptor.digest}`))).toBe(referrer.descriptor.digest);
  });

  it('lists a repository with a broken image, leaving out what its missing config would have said, with a warning', async () => {
    const whole = await pushImage(registry.url, 'broken', { tags: ['whole'], created: '2024-05-05T00:00:00Z' });
    const broken = await pushImage(registry.url, 'broken', { tags: ['broken'], created: '2024-06-06T00:00:00Z' });
    const config = JSON.parse(Buffer.from(broken.bytes).toString('utf8')).config.digest as string;
    const removed = await fetch(`${registry.url}/v2/broken/blobs/${config}`, { method: 'DELETE' });
    expect(removed.status).toBe(202);
    const result = await runCli(['manifest', 'list-metadata', '-r', registry.host, '-n', 'broken']);
    const listed = parseAzJson(result) as Array<{ digest: string; createdTime?: string; tags: string[] }>;
    expect(listed.find((manifest) => manifest.digest === whole.descriptor.digest)?.createdTime).toBe('2024-05-05T00:00:00Z');
    const left = listed.find((manifest) => manifest.digest === broken.descriptor.digest);
    expect(left).toMatchObject({ tags: ['broken'] });
    expect(left?.createdTime).toBeUndefined();
    expect(result.stderr).toContain(`the image config ${config} of 'broken@${broken.descriptor.digest}' is missing from the registry`);
  });

  it('exits 3 for a missing tag and deletes nothing', async () => {
    await pushImage(registry.url, 'still', { tags: ['here'] });
    const result = await runCli(['manifest', 'delete', '-r', registry.host, '-n', 'still:gone', '-y']);
    expect(result.code).toBe(3);
    expect(await tags('still')).toEqual(['here']);
  });
});
