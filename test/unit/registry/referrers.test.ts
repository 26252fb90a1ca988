import { describe, expect, it } from 'vitest';
import type { ReferrerDescriptor } from '../../../src/registry/attributes.js';
import { collectReferrers, referrersTag } from '../../../src/registry/referrers.js';

const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const referrer = (n: number, artifactType: string): ReferrerDescriptor => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digest(n), size: n, artifactType });

describe('referrers tag schema', () => {
  it('names the index of a digest <alg>-<hex>', () => {
    expect(referrersTag(digest(1))).toBe(`sha256-${'1'.repeat(64)}`);
  });
  it('cuts the algorithm to 32 and the encoded part to 64 characters, as the distribution spec says', () => {
    expect(referrersTag(`${'a'.repeat(40)}:${'b'.repeat(100)}`)).toBe(`${'a'.repeat(32)}-${'b'.repeat(64)}`);
  });
});

describe('collecting referrers', () => {
  // subject 1 ← 2 (sbom), 3 (sig); 2 ← 4 (sig); 4 ← 5 (sig)
  const graph: Record<string, ReferrerDescriptor[]> = {
    [digest(1)]: [referrer(2, 'sbom'), referrer(3, 'sig')],
    [digest(2)]: [referrer(4, 'sig')],
    [digest(4)]: [referrer(5, 'sig')],
  };
  const asked: Array<[string, string | undefined]> = [];
  const list = async (subject: string, artifactType?: string) => {
    asked.push([subject, artifactType]);
    return [...(graph[subject] ?? [])];
  };

  it('lists one level without --recursive', async () => {
    expect((await collectReferrers(list, digest(1), {})).map((r) => r.size)).toEqual([2, 3]);
  });

  it('follows referrers of referrers to every depth, breadth first, as az appends them', async () => {
    expect((await collectReferrers(list, digest(1), { recursive: true })).map((r) => r.size)).toEqual([2, 3, 4, 5]);
  });

  it('filters by artifact type at the first level only, and asks the registry to filter there', async () => {
    asked.length = 0;
    const found = await collectReferrers(list, digest(1), { artifactType: 'sbom', recursive: true });
    expect(found.map((r) => r.size)).toEqual([2, 4, 5]);
    expect(asked[0]).toEqual([digest(1), 'sbom']);
    expect(asked.slice(1).every(([, type]) => type === undefined)).toBe(true);
  });

  it('visits a digest once, so a registry answering in circles cannot loop', async () => {
    const circular = async (subject: string) => (subject === digest(1) ? [referrer(2, 'x')] : [referrer(1, 'x'), referrer(2, 'x')]);
    const found = await collectReferrers(circular, digest(1), { recursive: true });
    expect(found.map((r) => r.size)).toEqual([2, 1, 2]);
  });
});
