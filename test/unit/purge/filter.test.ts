// --filter and --ago as acr purge reads them: expressions matched whole, a time limit on matching, and
// durations in days, hours, minutes and seconds.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { parseAgo } from '../../../src/purge/duration.js';
import { createMatcher, parseFilter } from '../../../src/purge/filter.js';

describe('purge --filter', () => {
  it('splits at the first colon that is not part of a non-capturing group', () => {
    expect(parseFilter('team/.*:^v1\\..*')).toMatchObject({ repository: 'team/.*', tag: '^v1\\..*' });
    expect(parseFilter('(?:a|b):(?:v1|v2)')).toMatchObject({ repository: '(?:a|b)', tag: '(?:v1|v2)' });
  });

  it.each(['web', 'web:', ':v1', 'web:(', '[:v1'])("refuses '%s' as a usage error", (text) => {
    expect(() => parseFilter(text)).toThrow(UsageError);
  });

  it('matches whole names only', () => {
    const matcher = createMatcher(1000);
    expect(matcher.match('v1', ['v1', 'v10', 'xv1'])).toEqual([true, false, false]);
    expect(matcher.match('v1|v2', ['v1', 'v2', 'v12'])).toEqual([true, true, false]);
    expect(matcher.match('.*', ['anything', ''])).toEqual([true, true]);
  });

  it('stops a catastrophically backtracking expression with a usage error', () => {
    const matcher = createMatcher(200);
    expect(() => matcher.match('(a+)+b', [`${'a'.repeat(40)}c`])).toThrow(/took longer than 0.2 s/);
  });
});

describe('purge --ago', () => {
  it.each([
    ['30d', 30 * 86_400_000],
    ['1d3h', 86_400_000 + 3 * 3_600_000],
    ['90m', 90 * 60_000],
    ['2h30m15s', 2 * 3_600_000 + 30 * 60_000 + 15_000],
    ['0d', 0],
  ])("reads '%s'", (text, ms) => {
    expect(parseAgo(text)).toBe(ms);
  });

  it.each(['', '30', 'd', '3h1d', '1w', '30 d', '-1d', '1d1d'])("refuses '%s' as a usage error", (text) => {
    expect(() => parseAgo(text)).toThrow(UsageError);
  });
});
