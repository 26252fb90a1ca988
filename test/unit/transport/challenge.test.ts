import { describe, expect, it } from 'vitest';
import { parseChallenges } from '../../../src/transport/challenge.js';

describe('WWW-Authenticate', () => {
  it('reads a docker bearer challenge with quoted values', () => {
    expect(parseChallenges('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull,push' } },
    ]);
  });
  it('reads several challenges in one header and unquoted values', () => {
    expect(parseChallenges('Basic realm="Registry Realm", Bearer realm=https://x/token, error=insufficient_scope')).toEqual([
      { scheme: 'basic', params: { realm: 'Registry Realm' } },
      { scheme: 'bearer', params: { realm: 'https://x/token', error: 'insufficient_scope' } },
    ]);
  });
  it('handles escapes, commas inside quotes and odd spacing', () => {
    expect(parseChallenges('Bearer  realm = "a,\\"b\\"" ,  scope="x y"')).toEqual([{ scheme: 'bearer', params: { realm: 'a,"b"', scope: 'x y' } }]);
  });
  it('returns nothing for an empty header', () => {
    expect(parseChallenges(undefined)).toEqual([]);
    expect(parseChallenges('')).toEqual([]);
  });
});
