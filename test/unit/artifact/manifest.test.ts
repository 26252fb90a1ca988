import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildManifest, EMPTY_CONFIG, EMPTY_CONFIG_DIGEST, UNKNOWN_ARTIFACT_TYPE } from '../../../src/artifact/manifest.js';

const layer = { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${'a'.repeat(64)}`, size: 3, annotations: { 'org.opencontainers.image.title': 'a.txt' } };

describe('artifact manifests', () => {
  it('the empty config is {} and its digest the one the image spec names', () => {
    expect(`sha256:${createHash('sha256').update(EMPTY_CONFIG).digest('hex')}`).toBe(EMPTY_CONFIG_DIGEST);
  });

  it('image-spec 1.1: artifactType, the empty config, layers, subject and annotations, in that order, and the digest of exactly those bytes', () => {
    const subject = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'b'.repeat(64)}`, size: 10 };
    const built = buildManifest({ imageSpec: 'v1.1', artifactType: 'application/x.sbom', layers: [layer], subject, annotations: { 'org.opencontainers.image.created': '2024-01-01T00:00:00Z' } });
    const json = JSON.parse(built.bytes.toString('utf8')) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['schemaVersion', 'mediaType', 'artifactType', 'config', 'layers', 'subject', 'annotations']);
    expect(json.config).toEqual({ mediaType: 'application/vnd.oci.empty.v1+json', digest: EMPTY_CONFIG_DIGEST, size: 2 });
    expect(json.subject).toEqual(subject);
    expect(built.digest).toBe(`sha256:${createHash('sha256').update(built.bytes).digest('hex')}`);
    expect(built.artifactType).toBe('application/x.sbom');
  });

  it("names an untyped 1.1 artifact as oras does, and carries the type in the config's media type for 1.0", () => {
    expect(JSON.parse(buildManifest({ imageSpec: 'v1.1', layers: [layer], annotations: {} }).bytes.toString()).artifactType).toBe(UNKNOWN_ARTIFACT_TYPE);
    const old = buildManifest({ imageSpec: 'v1.0', artifactType: 'application/x.sbom', layers: [layer], annotations: {} });
    const json = JSON.parse(old.bytes.toString()) as { artifactType?: string; config: { mediaType: string } };
    expect(json.artifactType).toBeUndefined();
    expect(json.config.mediaType).toBe('application/x.sbom');
    expect(old.artifactType).toBe('application/x.sbom');
  });

  it("keeps a user's config and gives no artifactType unless asked", () => {
    const config = { mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: `sha256:${'c'.repeat(64)}`, size: 20 };
    const json = JSON.parse(buildManifest({ imageSpec: 'v1.1', config, layers: [layer], annotations: {} }).bytes.toString()) as Record<string, unknown>;
    expect(json.config).toEqual(config);
    expect('artifactType' in json).toBe(false);
    expect('annotations' in json).toBe(false);
  });
});
