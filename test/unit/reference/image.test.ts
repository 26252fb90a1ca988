import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { isDigest, parseImage, parseTaggedImage, validateDigest, validateRepositoryName, validateTag } from '../../../src/reference/image.js';

const SHA = `sha256:${'a'.repeat(64)}`;

describe('repository names', () => {
  it.each(['hello', 'team-a/svc/web', 'a.b_c__d--e/f', 'x'])('accepts %s', (name) => {
    expect(validateRepositoryName(name)).toBe(name);
  });
  it.each(['Hello', 'team-a//web', '-lead', 'trail-', 'a/', '/a', 'a:b', 'a___b', '', 'a'.repeat(256)])('rejects %s', (name) => {
    expect(() => validateRepositoryName(name)).toThrow(UsageError);
  });
});

describe('tags', () => {
  it.each(['latest', 'v1.0.0', '_x', 'A-b.c_d', 'a'.repeat(128)])('accepts %s', (tag) => expect(validateTag(tag)).toBe(tag));
  it.each(['.x', '-x', 'a/b', 'a:b', '', 'a'.repeat(129)])('rejects %s', (tag) => expect(() => validateTag(tag)).toThrow(UsageError));
});

describe('digests', () => {
  it('accepts sha256 and sha512 of the right length, lowercase hex only', () => {
    expect(isDigest(SHA)).toBe(true);
    expect(isDigest(`sha512:${'b'.repeat(128)}`)).toBe(true);
    expect(isDigest(`sha256:${'A'.repeat(64)}`)).toBe(false);
    expect(isDigest(`sha256:${'a'.repeat(63)}`)).toBe(false);
    expect(isDigest('sha256')).toBe(false);
  });
  it('refuses algorithms registries do not know, as distribution does', () => {
    expect(isDigest('multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8')).toBe(false);
    expect(isDigest(`sha384:${'c'.repeat(96)}`)).toBe(true);
    expect(() => validateDigest(`md5:${'a'.repeat(32)}`)).toThrow(/unsupported algorithm 'md5'/);
  });
});

describe('--image', () => {
  it('defaults a bare name to latest, as az does', () => {
    expect(parseImage('team-a/web')).toEqual({ repository: 'team-a/web', tag: 'latest' });
  });
  it('splits name:tag and name@digest', () => {
    expect(parseImage('hello:v1')).toEqual({ repository: 'hello', tag: 'v1' });
    expect(parseImage(`hello@${SHA}`)).toEqual({ repository: 'hello', digest: SHA });
  });
  it('refuses a digest where only tags are allowed, and tag plus digest', () => {
    expect(() => parseTaggedImage(`hello@${SHA}`)).toThrow(UsageError);
    expect(() => parseTaggedImage('hello', { requireTag: true })).toThrow(/needs a tag/);
    expect(parseTaggedImage('hello')).toEqual({ repository: 'hello', tag: 'latest' });
    expect(() => parseImage(`hello:v1@${SHA}`)).toThrow(/either/);
  });
  it('refuses malformed parts with a message naming them', () => {
    expect(() => parseImage('hello:.bad')).toThrow(/invalid tag '.bad'/);
    expect(() => parseImage('hello@sha256:xyz')).toThrow(/invalid digest/);
    expect(() => parseImage('Hello:v1')).toThrow(/invalid repository name/);
  });
});
