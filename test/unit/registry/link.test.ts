import { describe, expect, it } from 'vitest';
import { nextLink } from '../../../src/registry/link.js';

describe('Link header', () => {
  it('finds rel="next" among several links', () => {
    expect(nextLink('</v2/_catalog?last=a&n=2>; rel="prev", </v2/_catalog?last=b&n=2>; rel="next"')).toBe('/v2/_catalog?last=b&n=2');
    expect(nextLink('<https://r.example/v2/x/tags/list?last=t>; rel=next')).toBe('https://r.example/v2/x/tags/list?last=t');
    expect(nextLink('</a>; title="x"; rel="first next"')).toBe('/a');
  });
  it('is undefined without a next link', () => {
    expect(nextLink('</a>; rel="prev"')).toBeUndefined();
    expect(nextLink(undefined)).toBeUndefined();
  });
});
