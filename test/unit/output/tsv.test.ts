// -o tsv. Expected strings are what knack's _TsvOutput prints: a line per item; dict values in
// sorted-key order (insertion order for the OrderedDicts a --query multi-select hash builds);
// nested list → its length, nested dict → empty field, other values → str() (True, None, 2.5);
// an item that is a bool → true/false.
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/output/render.js';
import { compileQuery } from '../../../src/output/query.js';
import { MANIFESTS, METADATA, NUMBERS, REPOSITORIES, TAG, UNICODE } from './fixtures.js';

const tsv = (result: unknown, query?: string) =>
  render(result, { format: 'tsv', color: false, query: query === undefined ? undefined : compileQuery(query) });

describe('tsv', () => {
  it('prints one line per string (repository list)', async () => {
    expect(await tsv(REPOSITORIES)).toBe('hello-world\nsamples/ubuntu\n');
  });

  it('prints object values in sorted-key order, a nested list as its length', async () => {
    // python: 'sha256:aaa\t2\t2023-02-28T18:36:41.1794832Z\nsha256:bbb\t0\t2023-02-27T10:00:00.0000000Z\n'
    expect(await tsv(MANIFESTS)).toBe(
      'sha256:aaa\t2\t2023-02-28T18:36:41.1794832Z\nsha256:bbb\t0\t2023-02-27T10:00:00.0000000Z\n',
    );
  });

  it('prints a nested dict as an empty field and a nested bool as True/False', async () => {
    // python: '\t2023-07-27T02:11:58.5316473Z\tsha256:75399abc\t2023-07-27T02:11:58.5316473Z\tv1\tFalse\n'
    expect(await tsv(TAG)).toBe(
      '\t2023-07-27T02:11:58.5316473Z\tsha256:75399abc\t2023-07-27T02:11:58.5316473Z\tv1\tFalse\n',
    );
  });

  it('prints non-ASCII text and numbers as Python str()', async () => {
    expect(await tsv(UNICODE)).toBe('Größe 日本語 😀\té\n');
    expect(await tsv(NUMBERS)).toBe('42\t0.5\t-7\t524288\t0.0001\t1.5e-07\t0\n');
  });

  it('follows _TsvOutput for every kind of item', async () => {
    // python: '\t3\tNone\tTrue\t2.5\nx\tTrue\tNone\t0\t\ntrue\nNone\ns\n'
    const items = [{ b: [1, 2, 3], a: { x: 1 }, c: null, d: true, e: 2.5 }, ['x', true, null, [], {}], true, null, 's'];
    expect(await tsv(items)).toBe('\t3\tNone\tTrue\t2.5\nx\tTrue\tNone\t0\t\ntrue\nNone\ns\n');
  });

  it('prints nothing for an empty list', async () => {
    expect(await tsv([])).toBe('');
  });

  it('prints query results: scalars lower-case bools, filters keep sorting', async () => {
    expect(await tsv([TAG], '[0].name')).toBe('v1\n');
    expect(await tsv(REPOSITORIES, 'length(@)')).toBe('2\n');
    expect(await tsv(TAG, 'signed')).toBe('false\n');
    // objects passed through from the input are plain dicts: sorted
    expect(await tsv(METADATA, '[?tags==null]')).toBe('sha256:bbb\t1024\tapplication/vnd.oci.image.manifest.v1+json\n');
  });

  it('keeps the order of a multi-select hash (an OrderedDict in Python)', async () => {
    // python: '2023-02-28T18:36:41.1794832Z\tsha256:aaa\n2023-02-27T10:00:00.0000000Z\tsha256:bbb\n'
    expect(await tsv(MANIFESTS, '[].{ts: timestamp, d: digest}')).toBe(
      '2023-02-28T18:36:41.1794832Z\tsha256:aaa\n2023-02-27T10:00:00.0000000Z\tsha256:bbb\n',
    );
    // a multi-select list row: its items in order, the nested list as its length
    expect(await tsv(MANIFESTS, '[].[digest, tags]')).toBe('sha256:aaa\t2\nsha256:bbb\t0\n');
  });
});
