// Values for fuzzing references and flags: mostly near the grammar's edges (valid values with a part
// broken, empty parts, wrong case, lengths around the limits, stray ':' and '@'), some anything at all.
import fc from 'fast-check';

/** Characters that break a reference in different ways: separators, case, unicode, controls, spoofing. */
const TRICKY = [
  ':', '@', '/', '//', '.', '..', '_', '__', '___', '-', '--', '+', '*', '%', '?', '#', ',', '=', ' ', '\t', '\n', '\r',
  'A', 'Z', 'é', 'ß', '😀', '\u0000', '\u001b[31m', '\u202e', '\u200b', '\ufeff', '\u212a' /* Kelvin sign */, '\u017f' /* long s */,
  '\u2028' /* line separator */, '\u0085' /* next line */, '\ud800' /* lone surrogate */, 'sha256:', 'xn--', '0x', '[', ']', '"', "'",
];

export const trickyText = fc.constantFrom(...TRICKY);

/** Anything: any code units, any length up to a few hundred. */
export const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 300, size: 'max' }),
);

const COMPONENT = /^[a-z0-9]{1,5}(?:(?:[._]|__|-{1,2})[a-z0-9]{1,5}){0,2}$/;
const component = fc.stringMatching(COMPONENT);
export const validRepository = fc.array(component, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
export const validTag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);

const HEX_LENGTHS = { sha256: 64, sha384: 96, sha512: 128, blake3: 64 } as const;
const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
export const validDigest = fc
  .constantFrom(...(Object.entries(HEX_LENGTHS) as Array<[string, number]>))
  .chain(([algorithm, length]) => hex(length).map((encoded) => `${algorithm}:${encoded}`));

/** Digests with one thing wrong, or right: lengths off by one, upper case, other algorithms. */
export const nearDigest = fc.oneof(
  validDigest,
  fc.tuple(fc.constantFrom('sha256', 'sha512', 'sha384', 'blake3', 'SHA256', 'md5', 'sha1', 'sha256+b64', ''), fc.constantFrom(0, 1, 31, 32, 63, 64, 65, 95, 96, 127, 128, 129))
    .chain(([algorithm, length]) => fc.tuple(hex(length), fc.boolean()).map(([encoded, upper]) => `${algorithm}:${upper ? encoded.toUpperCase() : encoded}`)),
);

interface Mutation {
  kind: 'insert' | 'delete' | 'replace' | 'upper';
  at: number;
  text: string;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('insert', 'delete', 'replace', 'upper'),
  at: fc.nat(),
  text: fc.oneof({ weight: 3, arbitrary: trickyText }, { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }) }),
});

function mutate(value: string, { kind, at, text }: Mutation): string {
  const index = value.length === 0 ? 0 : at % (value.length + 1);
  if (kind === 'insert') return value.slice(0, index) + text + value.slice(index);
  if (kind === 'delete') return value.slice(0, index) + value.slice(index + 1);
  if (kind === 'replace') return value.slice(0, index) + text + value.slice(index + 1);
  return value.slice(0, index) + value.slice(index).toUpperCase();
}

/** A valid value, left alone about a third of the time, otherwise broken in one or two places. */
export function nearValid(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(valid, fc.array(mutation, { maxLength: 2 })).map(([value, mutations]) => mutations.reduce(mutate, value));
}

/** Names and tags right at their length limits (255 and 128), and one past. */
export const boundaryRepository = fc
  .tuple(fc.constantFrom(254, 255, 256, 300), fc.boolean())
  .map(([length, nested]) => (nested ? `team/${'a'.repeat(length - 5)}` : 'b'.repeat(length)));
export const boundaryTag = fc.constantFrom(127, 128, 129).map((length) => `v${'1'.repeat(length - 1)}`);

export const nearRepository = fc.oneof(
  { weight: 4, arbitrary: nearValid(validRepository) },
  { weight: 1, arbitrary: boundaryRepository },
  { weight: 1, arbitrary: anyText },
);
export const nearTag = fc.oneof({ weight: 4, arbitrary: nearValid(validTag) }, { weight: 1, arbitrary: boundaryTag }, { weight: 1, arbitrary: anyText });

/** Image references: name, then ':' tag and/or '@' digest in any combination, each part near-valid. */
export const nearImage = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(nearValid(validRepository), fc.option(nearValid(validTag)), fc.option(nearDigest))
      .map(([name, tag, digest]) => `${name}${tag !== null ? `:${tag}` : ''}${digest !== null ? `@${digest}` : ''}`),
  },
  { weight: 1, arbitrary: boundaryRepository.map((name) => `${name}:v1`) },
  { weight: 1, arbitrary: nearValid(fc.constantFrom(':1.0.0', '@sha256:', 'a:', 'a@', ':', '@', 'a:b:c', 'a@b@c', 'a:b@c:d', '/a:b', 'a/:b')) },
  { weight: 1, arbitrary: anyText },
);

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.constantFrom('256', '00', '01', '999', '0x7f'));
const port = fc.oneof(fc.integer({ min: 1, max: 65535 }).map(String), fc.constantFrom('0', '65536', '05000', '99999', '', '-1', '1e3'));
const ipv6 = fc.oneof(
  fc.constantFrom('::1', '::', 'fe80::1', '2001:db8::8a2e:370:7334', '1:2:3:4:5:6:7:8', ':::', '1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', 'g::1'),
  fc.array(fc.stringMatching(/^[0-9a-f]{0,5}$/), { minLength: 1, maxLength: 9 }).map((groups) => groups.join(':')),
);
const host = fc.oneof(
  { weight: 4, arbitrary: fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.')) },
  { weight: 2, arbitrary: fc.array(octet, { minLength: 3, maxLength: 5 }).map((octets) => octets.join('.')) },
  { weight: 1, arbitrary: ipv6.map((address) => `[${address}]`) },
  { weight: 1, arbitrary: fc.constantFrom('localhost', 'LOCALHOST', 'ghcr.io', 'xn--80ak6aa92e.com', 'xn--a.com', 'a.xn--zz', `${'l'.repeat(63)}.io`, `${'l'.repeat(64)}.io`, `${'a.'.repeat(127)}io`) },
);
const loginServer = fc.tuple(host, fc.option(port)).map(([name, number]) => (number === null ? name : `${name}:${number}`));
const acrName = fc.stringMatching(/^[A-Za-z0-9]{3,52}$/);

/** What -n/-r may be given: login servers, ACR registry names, both with one or two things broken. */
export const nearRegistry = fc.oneof(
  { weight: 4, arbitrary: nearValid(loginServer) },
  { weight: 2, arbitrary: nearValid(acrName) },
  { weight: 1, arbitrary: nearValid(fc.constantFrom('https://ghcr.io', 'ghcr.io/org', 'oci://x.io', 'ghcr.io:443/a')) },
  { weight: 1, arbitrary: anyText },
);
export const nearSuffix = fc.oneof(nearValid(fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,6}[a-z0-9])?$/)), fc.constantFrom('x'.repeat(12), 'x'.repeat(13)));
