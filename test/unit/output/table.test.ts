// -o table. Expected strings are what knack's format_table prints: _TableOutput rows fed to
// tabulate(rows, headers="keys", tablefmt="simple", disable_numparse=True) + '\n', with wcwidth
// installed (as az bundles it). Column width = max(len(header) + 2, widest cell).
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/output/render.js';
import { compileQuery } from '../../../src/output/query.js';
import { AcrxError } from '../../../src/errors.js';
import { formatTable, TABLE_UNAVAILABLE } from '../../../src/output/formats/table.js';
import { MANIFESTS, METADATA, NUMBERS, REPOSITORIES, TAG, UNICODE } from './fixtures.js';

const table = (result: unknown, query?: string) =>
  render(result, { format: 'table', color: false, query: query === undefined ? undefined : compileQuery(query) });

describe('table', () => {
  it('prints a list of strings as one Result column (repository list)', async () => {
    // python: 'Result\n--------------\nhello-world\nsamples/ubuntu\n'
    expect(await table(REPOSITORIES)).toBe('Result\n--------------\nhello-world\nsamples/ubuntu\n');
  });

  it('drops nested lists (show-manifests → Digest, Timestamp)', async () => {
    expect(await table(MANIFESTS)).toBe(
      'Digest      Timestamp\n' +
        '----------  ----------------------------\n' +
        'sha256:aaa  2023-02-28T18:36:41.1794832Z\n' +
        'sha256:bbb  2023-02-27T10:00:00.0000000Z\n',
    );
  });

  it('prints a single object as one row, nested dict dropped, bools as Python prints them', async () => {
    expect(await table(TAG)).toBe(
      'CreatedTime                   Digest           LastUpdateTime                Name    Signed\n' +
        '----------------------------  ---------------  ----------------------------  ------  --------\n' +
        '2023-07-27T02:11:58.5316473Z  sha256:75399abc  2023-07-27T02:11:58.5316473Z  v1      False\n',
    );
    expect(await table([TAG, { ...TAG, name: 'latest', signed: true }])).toBe(
      'CreatedTime                   Digest           LastUpdateTime                Name    Signed\n' +
        '----------------------------  ---------------  ----------------------------  ------  --------\n' +
        '2023-07-27T02:11:58.5316473Z  sha256:75399abc  2023-07-27T02:11:58.5316473Z  v1      False\n' +
        '2023-07-27T02:11:58.5316473Z  sha256:75399abc  2023-07-27T02:11:58.5316473Z  latest  True\n',
    );
  });

  it('skips the keys id, type and etag (exact, case-sensitive) and None values', async () => {
    // python: 'Id    Name\n----  ------\nkept  n\n'
    const row = { id: '/x', type: 't', etag: 'e', name: 'n', Id: 'kept', tags: ['a'], attrs: { a: 1 }, none: null };
    expect(await table([row])).toBe('Id    Name\n----  ------\nkept  n\n');
  });

  it('measures East Asian wide characters as two columns', async () => {
    // python: 'Description      Name\n---------------  ------\nGröße 日本語 😀  é\nx                日本\n'
    expect(await table([UNICODE, { name: '日本', description: 'x' }])).toBe(
      'Description      Name\n---------------  ------\nGröße 日本語 😀  é\nx                日本\n',
    );
  });

  it('prints numbers without parsing them (disable_numparse), left-aligned', async () => {
    expect(await table(NUMBERS)).toBe(
      'Count    Half    Neg    Size    Small    Tiny     Zero\n' +
        '-------  ------  -----  ------  -------  -------  ------\n' +
        '42       0.5     -7     524288  0.0001   1.5e-07  0\n',
    );
  });

  it('prints scalars one per row, None as an empty cell', async () => {
    // python: 'Result\n--------\na\n\nTrue\n3\n0.5\n'
    expect(await table(['a', null, true, 3, 0.5])).toBe('Result\n--------\na\n\nTrue\n3\n0.5\n');
  });

  it('prints an empty list, or rows without a single column, as an empty line', async () => {
    expect(await table([])).toBe('\n');
    // repository delete's body has only lists: python prints '\n'
    expect(await table({ manifestsDeleted: ['sha256:a'], tagsDeleted: ['v1'] })).toBe('\n');
  });

  it('strips cells and splits multi-line cells over several lines', async () => {
    expect(await table([{ name: '  padded  ' }])).toBe('Name\n------\npadded\n');
    // python: 'Name    Note\n------  ------\na       line1\n        line2\nbb      x\n'
    expect(await table([{ name: 'a', note: 'line1\nline2' }, { name: 'bb', note: 'x' }])).toBe(
      'Name    Note\n------  ------\na       line1\n        line2\nbb      x\n',
    );
  });

  it('keeps key order instead of sorting when a query is active', async () => {
    // python (query '[]'): 'Zeta    Alpha    Beta\n------  -------  ------\n1       x        True\n'
    expect(await table([{ zeta: 1, alpha: 'x', Beta: true }], '[]')).toBe(
      'Zeta    Alpha    Beta\n------  -------  ------\n1       x        True\n',
    );
    // python (query '[].{ts: timestamp, d: digest}')
    expect(await table(MANIFESTS, '[].{ts: timestamp, d: digest}')).toBe(
      'Ts                            D\n' +
        '----------------------------  ----------\n' +
        '2023-02-28T18:36:41.1794832Z  sha256:aaa\n' +
        '2023-02-27T10:00:00.0000000Z  sha256:bbb\n',
    );
  });

  it('prints query results: filters, scalars, lists of lists', async () => {
    // [?tags==null] keeps the untagged manifest
    expect(await table(METADATA, '[?tags==null]')).toBe(
      'Digest      ImageSize    MediaType\n' +
        '----------  -----------  ------------------------------------------\n' +
        'sha256:bbb  1024         application/vnd.oci.image.manifest.v1+json\n',
    );
    expect(await table([TAG], '[0].name')).toBe('Result\n--------\nv1\n');
    expect(await table(REPOSITORIES, 'length(@)')).toBe('Result\n--------\n2\n');
    expect(await table(TAG, 'signed')).toBe('Result\n--------\nFalse\n');
    // a list row gives Column1.. columns, nested values printed with Python's str()
    expect(await table(MANIFESTS, '[].[digest, tags]')).toBe(
      "Column1     Column2\n----------  ----------------\nsha256:aaa  ['latest', 'v1']\nsha256:bbb  []\n",
    );
  });

  it("has knack's message for a table that cannot be made", () => {
    expect(TABLE_UNAVAILABLE).toBe(
      'Table output unavailable. Use the --query option to specify an appropriate query. Use --debug for more info.',
    );
    // With tabulate 0.8.9 rows without a usable column give '' (printed as '\n'), not the error.
    expect(formatTable([{ id: 'x' }, { type: 'y' }], { sortKeys: true })).toBe('\n');
  });

  it('wraps unexpected failures in the table unavailable error', () => {
    const hostile = [{ get name(): string { throw new Error('boom'); } }];
    expect(() => formatTable(hostile, { sortKeys: true })).toThrow(AcrxError);
    expect(() => formatTable(hostile, { sortKeys: true })).toThrow(TABLE_UNAVAILABLE);
  });
});
