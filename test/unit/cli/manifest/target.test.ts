import { describe, expect, it } from 'vitest';
import { parseManifestTarget, parseRepositoryTarget } from '../../../../src/cli/manifest/target.js';
import { UsageError } from '../../../../src/errors.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const input = (values: Record<string, unknown>, ...args: string[]) => ({ values, args });

describe('what a manifest command acts on', () => {
  it('takes -r and -n NAME:TAG, NAME@DIGEST, or a bare NAME meaning :latest', () => {
    expect(parseManifestTarget(input({ registry: 'myreg', name: 'hello:v1' }))).toMatchObject({ registry: { name: 'myreg', flag: 'registry' }, image: { repository: 'hello', tag: 'v1' } });
    expect(parseManifestTarget(input({ registry: 'myreg', name: `hello@${DIGEST}` })).image).toEqual({ repository: 'hello', digest: DIGEST });
    expect(parseManifestTarget(input({ name: 'team/app' })).image).toEqual({ repository: 'team/app', tag: 'latest' });
  });

  it("takes az's fully qualified MANIFEST_ID, with or without https://, and its login server wins over -r", () => {
    for (const id of ['myreg.azurecr.io/hello:v1', 'https://myreg.azurecr.io/hello:v1']) {
      expect(parseManifestTarget(input({}, id))).toMatchObject({ registry: { name: 'myreg.azurecr.io' }, image: { repository: 'hello', tag: 'v1' } });
    }
    expect(parseManifestTarget(input({ registry: 'other' }, `localhost:5000/a/b@${DIGEST}`))).toMatchObject({ registry: { name: 'localhost:5000' }, image: { repository: 'a/b', digest: DIGEST } });
  });

  it("refuses both forms, neither, a MANIFEST_ID without a login server, and another scheme, with az's message where az has one", () => {
    expect(() => parseManifestTarget(input({ name: 'hello:v1' }, 'myreg.azurecr.io/hello:v1'))).toThrow(/You must provide either a fully qualified manifest specifier/);
    expect(() => parseManifestTarget(input({ registry: 'myreg' }))).toThrow(/You must provide either a fully qualified manifest specifier/);
    expect(() => parseManifestTarget(input({}, 'hello:v1'))).toThrow(UsageError);
    expect(() => parseManifestTarget(input({}, 'http://localhost:5000/hello:v1'))).toThrow(/without a scheme/);
  });
});

describe('what a repository command of the manifest group acts on', () => {
  it('takes -n NAME or REPO_ID', () => {
    expect(parseRepositoryTarget(input({ registry: 'myreg', name: 'team/app' })).repository).toBe('team/app');
    expect(parseRepositoryTarget(input({}, 'localhost:5000/team/app'))).toMatchObject({ registry: { name: 'localhost:5000' }, repository: 'team/app' });
  });

  it('refuses a tag or digest in either form, saying which', () => {
    expect(() => parseRepositoryTarget(input({}, 'myreg.azurecr.io/hello:v1'))).toThrow("The positional parameter 'repo_id' should not include a tag or digest.");
    expect(() => parseRepositoryTarget(input({ registry: 'myreg', name: 'hello:v1' }))).toThrow(/takes a repository here, not an image/);
    expect(() => parseRepositoryTarget(input({ name: 'hello', registry: 'r' }, 'r.io/hello'))).toThrow(/fully qualified repository specifier/);
  });
});
