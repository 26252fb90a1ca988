// Result shapes acrx emits (PRODUCT §2, acr-and-az-facts §2.1), shared by the output tests.
// Not a test file itself (no .test.ts suffix).

/** `repository list` / `repository show-tags`. */
export const REPOSITORIES = ['hello-world', 'samples/ubuntu'];

/** `repository show-manifests` without --detail. */
export const MANIFESTS = [
  { digest: 'sha256:aaa', tags: ['latest', 'v1'], timestamp: '2023-02-28T18:36:41.1794832Z' },
  { digest: 'sha256:bbb', tags: [], timestamp: '2023-02-27T10:00:00.0000000Z' },
];

/** `repository show --image R:T` / `manifest show-metadata R:T` (keys deliberately unsorted). */
export const TAG = {
  name: 'v1',
  signed: false,
  digest: 'sha256:75399abc',
  createdTime: '2023-07-27T02:11:58.5316473Z',
  lastUpdateTime: '2023-07-27T02:11:58.5316473Z',
  changeableAttributes: { writeEnabled: true, readEnabled: true, listEnabled: true, deleteEnabled: true },
};

/** `manifest list-metadata`: untagged manifests have no `tags` key. */
export const METADATA = [
  { digest: 'sha256:aaa', imageSize: 524288, tags: ['latest'], mediaType: 'application/vnd.oci.image.manifest.v1+json' },
  { digest: 'sha256:bbb', imageSize: 1024, mediaType: 'application/vnd.oci.image.manifest.v1+json' },
];

export const UNICODE = { name: 'é', description: 'Größe 日本語 😀' };

export const NUMBERS = { count: 42, neg: -7, half: 0.5, tiny: 1.5e-7, small: 0.0001, zero: 0, size: 524288 };
