// The seeded registry is what every integration test compares acrx with, so it is checked here against
// the ground truth by clients that share no code with acrx: skopeo and plain fetch.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { describeWithRegistry, type IntegrationRegistry } from '../support/inject.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import {
  MediaType,
  SBOM_TYPE,
  SIGNATURE_TYPE,
  fetchReferrersIndex,
  pushImage,
  pushReferrer,
  referrersTag,
  type Descriptor,
  type ManifestTruth,
  type RepoTruth,
} from '../support/seed.js';
import { missingToolMessage, requireBinary } from '../support/tools.js';

const run = promisify(execFile);
const ALL_MANIFEST_TYPES = [MediaType.ociManifest, MediaType.ociIndex, MediaType.dockerManifest].join(', ');

const skopeo = requireBinary('skopeo');
// In CI a missing skopeo fails the skopeo tests instead of skipping them.
const skipSkopeo = !skopeo && process.env.CI !== 'true';

async function runSkopeo(args: string[]): Promise<Buffer> {
  if (!skopeo) throw new Error(missingToolMessage('skopeo'));
  const { stdout } = await run(skopeo, [...args], { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function manifestsOf(registry: IntegrationRegistry): Array<[string, string, ManifestTruth]> {
  return Object.entries(registry.truth.repos).flatMap(([repo, repoTruth]) =>
    Object.entries(repoTruth.manifests).map(([digest, manifest]): [string, string, ManifestTruth] => [repo, digest, manifest]),
  );
}

interface ConfigBlob {
  created: string;
  architecture: string;
  os: string;
}

interface ManifestBody {
  artifactType?: string;
  config: { mediaType: string; digest: string };
  subject?: { digest: string };
  annotations?: Record<string, string>;
  manifests?: Array<{ digest: string; platform?: { architecture: string; os: string } }>;
}

describeWithRegistry('seeded registry', (registry) => {
  const { url, host, truth } = registry;
  const repoTruth = (repo: string): RepoTruth => {
    const recorded = truth.repos[repo];
    if (!recorded) throw new Error(`${repo} was not seeded`);
    return recorded;
  };

  describe.skipIf(skipSkopeo)('read by skopeo', () => {
    const transport = (reference: string) => ['--tls-verify=false', '--no-creds', `docker://${host}/${reference}`];

    test('lists every tag of hello', async () => {
      const listed = JSON.parse((await runSkopeo(['list-tags', ...transport('hello')])).toString()) as { Tags: string[] };
      expect([...listed.Tags].sort()).toEqual(Object.keys(repoTruth('hello').tags).sort());
    });

    test('lists all 3000 tags of many', async () => {
      const listed = JSON.parse((await runSkopeo(['list-tags', ...transport('many')])).toString()) as { Tags: string[] };
      expect(listed.Tags).toHaveLength(3000);
    });

    test.each([
      ['hello', 'v1'],
      ['hello', 'latest'],
      ['hello', 'v1-sbom'],
      ['legacy/app', '1.0'],
      ['multi', 'latest'],
      ['team-a/svc/web', 'stable'],
    ])('raw manifest of %s:%s hashes to the recorded digest', async (repo, tag) => {
      const raw = await runSkopeo(['inspect', '--raw', ...transport(`${repo}:${tag}`)]);
      expect(sha256(raw)).toBe(repoTruth(repo).tags[tag]);
    });

    test('finds the untagged hello image by digest', async () => {
      const [digest] = Object.entries(repoTruth('hello').manifests).find(([, manifest]) => manifest.tags.length === 0) ?? [];
      expect(digest).toBeDefined();
      const raw = await runSkopeo(['inspect', '--raw', ...transport(`hello@${digest}`)]);
      expect(sha256(raw)).toBe(digest);
    });

    test('reads the creation time, platform and digest that were recorded for hello:old', async () => {
      const inspected = JSON.parse((await runSkopeo(['inspect', ...transport('hello:old')])).toString()) as {
        Digest: string;
        Created: string;
        Architecture: string;
        Os: string;
      };
      const digest = repoTruth('hello').tags.old ?? '';
      const recorded = repoTruth('hello').manifests[digest];
      expect(inspected).toMatchObject({ Digest: digest, Architecture: recorded?.architecture, Os: recorded?.os });
      expect(new Date(inspected.Created).toISOString()).toBe(new Date(recorded?.created ?? 0).toISOString());
    });
  });

  describe('read over plain HTTP', () => {
    test('the catalog pages by 5 and its pages together hold every repository', async () => {
      const pages: string[][] = [];
      let next: string | undefined = '/v2/_catalog';
      while (next) {
        const response = await fetch(new URL(next, url));
        expect(response.status).toBe(200);
        pages.push(((await response.json()) as { repositories: string[] }).repositories);
        next = /^<([^>]+)>; rel="next"$/.exec(response.headers.get('link') ?? '')?.[1];
      }
      expect(pages.length).toBeGreaterThanOrEqual(2);
      expect(pages.every((page) => page.length <= 5)).toBe(true);
      expect(pages.flat()).toEqual(truth.repositories);
    });

    test('every repository lists exactly its recorded tags', async () => {
      for (const repo of truth.repositories) {
        const response = await fetch(`${url}/v2/${repo}/tags/list`);
        const listed = ((await response.json()) as { tags: string[] }).tags;
        expect([...listed].sort(), repo).toEqual(Object.keys(repoTruth(repo).tags).sort());
      }
    });

    test('every recorded manifest is served with its digest, size, media type and contents', async () => {
      const manifests = manifestsOf(registry);
      expect(manifests.length).toBeGreaterThanOrEqual(75);
      for (const [repo, digest, recorded] of manifests) {
        const response = await fetch(`${url}/v2/${repo}/manifests/${digest}`, { headers: { accept: ALL_MANIFEST_TYPES } });
        const bytes = new Uint8Array(await response.arrayBuffer());
        const where = `${repo}@${digest}`;
        expect(response.headers.get('content-type'), where).toBe(recorded.mediaType);
        expect(sha256(bytes), where).toBe(digest);
        expect(bytes.byteLength, where).toBe(recorded.size);

        const body = JSON.parse(Buffer.from(bytes).toString()) as ManifestBody;
        if (recorded.children) {
          expect(body.manifests?.map((child) => child.digest), where).toEqual(recorded.children);
          for (const child of body.manifests ?? []) {
            const childTruth = repoTruth(repo).manifests[child.digest];
            // Children of a referrers tag index are artifacts: no platform in the index, none in the truth.
            const platform = childTruth?.architecture ? { architecture: childTruth.architecture, os: childTruth.os } : undefined;
            expect(child.platform, where).toEqual(platform);
          }
          continue;
        }
        expect(body.config.mediaType, where).toBe(recorded.configMediaType);
        expect(body.artifactType, where).toBe(recorded.artifactType);
        expect(body.subject?.digest, where).toBe(recorded.subject);
        expect(body.annotations, where).toEqual(recorded.annotations);
        if (recorded.created) {
          const config = (await (await fetch(`${url}/v2/${repo}/blobs/${body.config.digest}`)).json()) as ConfigBlob;
          expect(config, where).toMatchObject({ created: recorded.created, architecture: recorded.architecture, os: recorded.os });
        }
      }
    });

    test('every tag outside many resolves to its recorded digest', async () => {
      for (const repo of truth.repositories.filter((name) => name !== 'many')) {
        for (const [tag, digest] of Object.entries(repoTruth(repo).tags)) {
          const response = await fetch(`${url}/v2/${repo}/manifests/${tag}`, { method: 'HEAD', headers: { accept: ALL_MANIFEST_TYPES } });
          expect(response.headers.get('docker-content-digest'), `${repo}:${tag}`).toBe(digest);
        }
      }
    });

    test('time order differs from name order in hello, so --orderby is observable', () => {
      const hello = repoTruth('hello');
      const createdOf = (tag: string) => hello.manifests[hello.tags[tag] ?? '']?.created ?? '';
      const images = ['v1', 'v2', 'latest', 'old'];
      const byTime = [...images].sort((a, b) => createdOf(a).localeCompare(createdOf(b)));
      expect(byTime[0]).toBe('old');
      expect(byTime).not.toEqual([...images].sort());
    });
  });

  describe('referrers kept the referrers-tag-schema way', () => {
    const subjects = Object.entries(truth.repos).flatMap(([repo, recorded]) =>
      Object.entries(recorded.referrers).map(([subject, referrers]): [string, string, Descriptor[]] => [repo, subject, referrers]),
    );

    test('signed: v1 has an SBOM with annotations and a signature, the SBOM a signature of its own, v2 none', () => {
      const signed = repoTruth('signed');
      const v1 = signed.tags.v1 ?? '';
      const v2 = signed.tags.v2 ?? '';
      expect(signed.referrers[v1]).toHaveLength(2);
      const [sbom, signature] = signed.referrers[v1] ?? [];
      expect(sbom).toMatchObject({ mediaType: MediaType.ociManifest, artifactType: SBOM_TYPE, annotations: expect.any(Object) });
      expect(signature).toMatchObject({ mediaType: MediaType.ociManifest, artifactType: SIGNATURE_TYPE });
      expect(signature?.annotations).toBeUndefined();
      expect(signed.referrers[sbom?.digest ?? '']?.map((entry) => entry.artifactType)).toEqual([SIGNATURE_TYPE]);
      expect(signed.referrers[v2]).toBeUndefined();
      expect(Object.keys(signed.referrers).sort()).toEqual([v1, sbom?.digest].sort());
      // The referrers are untagged; the referrers tags are tags like any other.
      expect(Object.keys(signed.tags).sort()).toEqual(['v1', 'v2', referrersTag(v1), referrersTag(sbom?.digest ?? '')].sort());
      expect(Object.keys(signed.manifests)).toHaveLength(7);
    });

    test('each referrers tag holds an OCI index listing exactly the recorded descriptors, in order', async () => {
      expect(subjects.length).toBeGreaterThanOrEqual(2);
      for (const [repo, subject, referrers] of subjects) {
        const tag = referrersTag(subject);
        expect(tag, subject).toBe(`sha256-${subject.slice('sha256:'.length)}`);
        const response = await fetch(`${url}/v2/${repo}/manifests/${tag}`, { headers: { accept: MediaType.ociIndex } });
        const where = `${repo}:${tag}`;
        expect(response.status, where).toBe(200);
        expect(response.headers.get('content-type'), where).toBe(MediaType.ociIndex);
        const bytes = new Uint8Array(await response.arrayBuffer());
        expect(sha256(bytes), where).toBe(repoTruth(repo).tags[tag]);
        expect(JSON.parse(Buffer.from(bytes).toString()), where).toEqual({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: referrers });
      }
    });

    test('every listed referrer is stored with that subject, artifactType and annotations', async () => {
      for (const [repo, subject, referrers] of subjects) {
        for (const descriptor of referrers) {
          const where = `${repo}@${descriptor.digest}`;
          const response = await fetch(`${url}/v2/${repo}/manifests/${descriptor.digest}`, { headers: { accept: descriptor.mediaType } });
          const bytes = new Uint8Array(await response.arrayBuffer());
          expect(response.status, where).toBe(200);
          expect(sha256(bytes), where).toBe(descriptor.digest);
          expect(bytes.byteLength, where).toBe(descriptor.size);
          const body = JSON.parse(Buffer.from(bytes).toString()) as ManifestBody;
          expect(body.subject?.digest, where).toBe(subject);
          expect(body.artifactType, where).toBe(descriptor.artifactType);
          expect(body.annotations, where).toEqual(descriptor.annotations);
          expect(repoTruth(repo).manifests[descriptor.digest]?.tags, where).toEqual([]);
        }
      }
    });

    test.skipIf(skipSkopeo)('skopeo reads each referrers tag as the recorded index', async () => {
      for (const [repo, subject, referrers] of subjects) {
        const tag = referrersTag(subject);
        const raw = await runSkopeo(['inspect', '--raw', '--tls-verify=false', '--no-creds', `docker://${host}/${repo}:${tag}`]);
        expect(sha256(raw), `${repo}:${tag}`).toBe(repoTruth(repo).tags[tag]);
        expect((JSON.parse(raw.toString()) as { manifests: Descriptor[] }).manifests).toEqual(referrers);
      }
    });
  });

  describe('pushReferrer on a throw-away registry', () => {
    let scratch: RunningRegistry;
    beforeAll(async () => {
      scratch = await startRegistry();
    });
    afterAll(async () => {
      await scratch?.stop();
    });

    const status = async (path: string) => (await fetch(`${scratch.url}${path}`, { method: 'HEAD', headers: { accept: ALL_MANIFEST_TYPES } })).status;

    test('appends each referrer once, deletes the index it replaced unless asked to keep it', async () => {
      const image = await pushImage(scratch.url, 'app', { tags: ['v1'] });
      const subject = image.descriptor;
      const first = await pushReferrer(scratch.url, 'app', { subject, artifactType: SBOM_TYPE, content: 'sbom' });
      expect(first.replaced).toBeUndefined();
      expect(first.referrers).toEqual([{ ...first.referrer.descriptor, artifactType: SBOM_TYPE }]);
      expect(first.index.truth).toMatchObject({ tags: [referrersTag(subject.digest)], children: [first.referrer.descriptor.digest] });

      const second = await pushReferrer(scratch.url, 'app', { subject, artifactType: SIGNATURE_TYPE, content: 'signature', annotations: { 'org.example.key': 'k1' } });
      expect(second.replaced).toEqual({ digest: first.index.descriptor.digest, deleted: true });
      expect(second.referrers.map((entry) => entry.digest)).toEqual([first.referrer.descriptor.digest, second.referrer.descriptor.digest]);
      expect(second.referrers[1]?.annotations).toEqual({ 'org.example.key': 'k1' });
      expect(await status(`/v2/app/manifests/${first.index.descriptor.digest}`)).toBe(404);

      // The same artifact again: already listed, so the index stays as it is.
      const again = await pushReferrer(scratch.url, 'app', { subject, artifactType: SBOM_TYPE, content: 'sbom' });
      expect(again.replaced).toBeUndefined();
      expect(again.index.descriptor.digest).toBe(second.index.descriptor.digest);

      const kept = await pushReferrer(scratch.url, 'app', { subject, artifactType: SIGNATURE_TYPE, content: 'signature 2', keepPreviousIndex: true });
      expect(kept.replaced).toEqual({ digest: second.index.descriptor.digest, deleted: false });
      expect(await status(`/v2/app/manifests/${second.index.descriptor.digest}`)).toBe(200);
      expect((await fetchReferrersIndex(scratch.url, 'app', subject.digest))?.referrers).toEqual(kept.referrers);
      expect(kept.referrers).toHaveLength(3);
    });

    test('refuses to overwrite a referrers tag that holds something other than an OCI index', async () => {
      const image = await pushImage(scratch.url, 'clash', { tags: ['v1'] });
      await pushImage(scratch.url, 'clash', { tags: [referrersTag(image.descriptor.digest)], layerText: 'not an index\n' });
      await expect(pushReferrer(scratch.url, 'clash', { subject: image.descriptor, artifactType: SBOM_TYPE, content: 'sbom' })).rejects.toThrow(/not an OCI image index/);
      expect(await fetchReferrersIndex(scratch.url, 'clash', `sha256:${'0'.repeat(64)}`)).toBeUndefined();
    });
  });

  // What distribution 2.8 does differently from the spec; acrx must cope, and these tests say so
  // loudly if the packaged registry changes.
  describe('distribution 2.8 behaviour acrx depends on', () => {
    test('refuses a catalog page size above catalog.maxentries with 400 PAGINATION_NUMBER_INVALID', async () => {
      const response = await fetch(`${url}/v2/_catalog?n=1000`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ errors: [{ code: 'PAGINATION_NUMBER_INVALID' }] });
    });

    test('ignores n on tags/list and never sends a Link', async () => {
      const response = await fetch(`${url}/v2/many/tags/list?n=10`);
      expect(response.headers.get('link')).toBeNull();
      expect(((await response.json()) as { tags: string[] }).tags).toHaveLength(3000);
    });

    test('answers the referrers API with a plain-text 404, the signal to fall back to the referrers tag', async () => {
      const subject = repoTruth('signed').tags.v1 ?? '';
      // Distribution 2.8.2 has no such route: 404, `Content-Type: text/plain; charset=utf-8`, body
      // "404 page not found\n" (no JSON errors envelope), with or without a filter, whatever the subject.
      for (const path of [`/v2/signed/referrers/${subject}`, `/v2/signed/referrers/${subject}?artifactType=${encodeURIComponent(SBOM_TYPE)}`]) {
        const response = await fetch(`${url}${path}`);
        expect(response.status, path).toBe(404);
        expect(response.headers.get('content-type'), path).toBe('text/plain; charset=utf-8');
        expect(await response.text(), path).toBe('404 page not found\n');
      }
    });

    test('answers 404 MANIFEST_UNKNOWN for an OCI manifest requested without the OCI Accept', async () => {
      const head = await fetch(`${url}/v2/hello/manifests/v1`, { method: 'HEAD' });
      expect(head.status).toBe(404);
      const get = await fetch(`${url}/v2/hello/manifests/v1`);
      expect(await get.json()).toMatchObject({ errors: [{ code: 'MANIFEST_UNKNOWN' }] });
    });
  });
});
