import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { isDigest, isLoopbackHost, parseImage, resolveRegistry, validateRepositoryName, validateTag } from '../../src/registry/reference.js';

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
  it('lets unknown algorithms that match the grammar through', () => {
    expect(isDigest('multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8')).toBe(true);
  });
});

describe('--image', () => {
  it('defaults a bare name to latest, as az does', () => {
    expect(parseImage('team-a/web', { allowDigest: true })).toEqual({ repository: 'team-a/web', tag: 'latest' });
  });
  it('splits name:tag and name@digest', () => {
    expect(parseImage('hello:v1', { allowDigest: true })).toEqual({ repository: 'hello', tag: 'v1' });
    expect(parseImage(`hello@${SHA}`, { allowDigest: true })).toEqual({ repository: 'hello', digest: SHA });
  });
  it('refuses a digest where only tags are allowed, and tag plus digest', () => {
    expect(() => parseImage(`hello@${SHA}`, { allowDigest: false })).toThrow(UsageError);
    expect(() => parseImage(`hello:v1@${SHA}`, { allowDigest: true })).toThrow(/either/);
  });
  it('refuses malformed parts with a message naming them', () => {
    expect(() => parseImage('hello:.bad', { allowDigest: true })).toThrow(/invalid tag '.bad'/);
    expect(() => parseImage('hello@sha256:xyz', { allowDigest: true })).toThrow(/invalid digest/);
    expect(() => parseImage('Hello:v1', { allowDigest: true })).toThrow(/invalid repository name/);
  });
});

describe('registry addressing', () => {
  const env = {};
  it('expands a bare name to an ACR login server, with the tenant suffix', () => {
    expect(resolveRegistry('myreg', { env })).toEqual({ loginServer: 'myreg.azurecr.io', protocol: 'https:', plainHttpFallback: false, acrApi: true });
    expect(resolveRegistry('MyReg', { suffix: 't', env }).loginServer).toBe('myreg-t.azurecr.io');
    expect(resolveRegistry('myreg', { env: { ACRX_LOGIN_SERVER_SUFFIX: '.azurecr.cn' } }).loginServer).toBe('myreg.azurecr.cn');
  });
  it('takes anything with a dot, a colon or localhost as a login server; loopback may fall back to plain HTTP', () => {
    expect(resolveRegistry('ghcr.io', { env })).toEqual({ loginServer: 'ghcr.io', protocol: 'https:', plainHttpFallback: false, acrApi: false });
    expect(resolveRegistry('localhost', { env })).toMatchObject({ protocol: 'https:', plainHttpFallback: true });
    expect(resolveRegistry('localhost:5000', { env })).toMatchObject({ protocol: 'https:', plainHttpFallback: true });
    expect(resolveRegistry('127.0.0.1:5000', { env })).toMatchObject({ protocol: 'https:', plainHttpFallback: true });
    expect(resolveRegistry('[::1]:5000', { env })).toMatchObject({ protocol: 'https:', plainHttpFallback: true });
  });
  it('uses HTTPS without fallback for everything else, plain HTTP only with --plain-http', () => {
    expect(resolveRegistry('registry.example.com:5000', { env }).plainHttpFallback).toBe(false);
    expect(resolveRegistry('registry.example.com:5000', { env }).protocol).toBe('https:');
    expect(resolveRegistry('registry.example.com', { env, plainHttp: true }).protocol).toBe('http:');
  });
  it('matches ACR hosts anchored, so look-alikes do not get the ACR API', () => {
    expect(resolveRegistry('x.azurecr.io.evil.example', { env }).acrApi).toBe(false);
    expect(resolveRegistry('myreg.azurecr.us', { env }).acrApi).toBe(true);
    expect(resolveRegistry('registry.example.com', { env: { ACRX_ACR_API: '1' } }).acrApi).toBe(true);
  });
  it('rejects schemes, paths and bad ports before any request', () => {
    expect(() => resolveRegistry('https://ghcr.io', { env })).toThrow(/without a scheme/);
    expect(() => resolveRegistry('ghcr.io/org', { env })).toThrow(UsageError);
    expect(() => resolveRegistry('localhost:99999', { env })).toThrow(UsageError);
    expect(() => resolveRegistry('my_reg', { env })).toThrow(UsageError);
    expect(() => resolveRegistry('ghcr.io', { env, suffix: 'x' })).toThrow(/--suffix/);
  });
  it('knows loopback hosts', () => {
    expect(isLoopbackHost('127.9.8.7')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
  });
});
