import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { isLoopbackHost, resolveRegistry, validateRegistryName } from '../../../src/reference/login-server.js';


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
    expect(() => resolveRegistry('ghcr.io', { env, suffix: 'x' })).toThrow(/suffix applies only to a registry name/);
  });
  it.each([
    ['1.2.3.4.5', /neither a host name nor an IPv4 address/],
    ['127.1:5000', /neither a host name nor an IPv4 address/],
    ['0x7f.1', /neither a host name nor an IPv4 address/],
    ['xn--a.com', /neither a host name nor an IPv4 address/],
    ['[1::2::3]:5000', /is not an IPv6 address/],
    ['localhost:0', /port '0' is not a number from 1 to 65535/],
    ['localhost:05000', /port '05000'/],
    [`${'a'.repeat(64)}.io`, /longer than 63 characters/],
    ['abc', /it has 3 characters: a registry name is 5-50 letters and digits/],
    ['my_reg', /'_' is not allowed/],
    ['\u212aube.io', /expected host\[:port\]/],
  ])('refuses %j, saying why', (name, message) => {
    expect(() => validateRegistryName(name)).toThrow(message);
  });
  it('takes a tenant suffix only on a registry name, as one DNS label', () => {
    expect(validateRegistryName('myreg', 'eu-1')).toBe('myreg-eu-1.azurecr.io');
    expect(() => validateRegistryName('myreg', '-x')).toThrow(/invalid tenant suffix '-x'/);
    expect(() => validateRegistryName('myreg', 'x'.repeat(60))).toThrow(/longer than 63/);
  });
  it('knows loopback hosts', () => {
    expect(isLoopbackHost('127.9.8.7')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
  });
});
