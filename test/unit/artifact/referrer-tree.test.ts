import { describe, expect, it } from 'vitest';
import { drawReferrerTree, type ReferrerNode } from '../../../src/artifact/referrer-tree.js';

const node = (digit: string, artifactType: string, manifests: ReferrerNode[] = []): ReferrerNode => ({
  reference: `r.example/app@sha256:${digit.repeat(64)}`,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: `sha256:${digit.repeat(64)}`,
  size: 1,
  artifactType,
  manifests,
});

describe('the referrers tree', () => {
  it('draws referrers grouped by artifact type, each with its own referrers below it, as oras does', () => {
    const root = { ...node('0', 'x'), manifests: [node('1', 'sbom', [node('2', 'sig')]), node('3', 'sig'), node('4', 'sig')] };
    const d = (digit: string) => `sha256:${digit.repeat(64)}`;
    expect(drawReferrerTree(root)).toBe(
      [
        root.reference,
        '├── sbom',
        `│   └── ${d('1')}`,
        '│       └── sig',
        `│           └── ${d('2')}`,
        '└── sig',
        `    ├── ${d('3')}`,
        `    └── ${d('4')}`,
        '',
      ].join('\n'),
    );
  });
});
