// Property-based: the reference grammar accepts exactly what an independent regex oracle (oracle.ts,
// written from distribution's spec) accepts, and refuses everything else with one UsageError line.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { formatImage, parseImage, parseTaggedImage, validateDigest, validateRepositoryName, validateTag } from '../../../src/reference/image.js';
import { hostOf, registryBaseUrl, resolveRegistry, validateRegistryName } from '../../../src/reference/login-server.js';
import { quote } from '../../../src/reference/quote.js';
import { anyText, nearDigest, nearImage, nearRegistry, nearRepository, nearSuffix, nearTag, trickyText } from './arbitraries.js';
import { digestIsValid, imageIsValid, registryIsValid, repositoryIsValid, tagIsValid, taggedImageIsValid } from './oracle.js';

// Enough runs to reach the rare corners; a failure stops shrinking after a few seconds, not minutes.
const SETTINGS = { numRuns: 2000, interruptAfterTimeLimit: 10_000, markInterruptAsFailure: true };

type Outcome<T> = { accepted: true; value: T } | { accepted: false; error: unknown };

function outcome<T>(parse: () => T): Outcome<T> {
  try {
    return { accepted: true, value: parse() };
  } catch (error) {
    return { accepted: false, error };
  }
}

/** A refusal is a UsageError whose message names the part and fits on one short line. */
function expectUsageLine(error: unknown, prefix: RegExp): void {
  expect(error).toBeInstanceOf(UsageError);
  const { message } = error as UsageError;
  expect(message).toMatch(prefix);
  expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  expect(message.length).toBeLessThan(400);
}

/** Both sides of the grammar must be reached, or the property says nothing about one of them. */
class SideCounter {
  accepted = 0;
  refused = 0;
  count(accepted: boolean): void {
    if (accepted) this.accepted += 1;
    else this.refused += 1;
  }
  expectBothSides(): void {
    const total = this.accepted + this.refused;
    expect(this.accepted, 'accepted values generated').toBeGreaterThan(total * 0.05);
    expect(this.refused, 'refused values generated').toBeGreaterThan(total * 0.05);
  }
}

function agreesWithOracle<T>(name: string, values: fc.Arbitrary<string>, parse: (text: string) => T, oracle: (text: string) => boolean, prefix: RegExp): void {
  it(`${name}: accepted exactly when the oracle accepts, refused with one line naming it`, () => {
    const sides = new SideCounter();
    fc.assert(
      fc.property(values, (text) => {
        const result = outcome(() => parse(text));
        sides.count(result.accepted);
        expect(result.accepted, `grammar and oracle disagree on ${JSON.stringify(text)}`).toBe(oracle(text));
        if (!result.accepted) expectUsageLine(result.error, prefix);
      }),
      SETTINGS,
    );
    sides.expectBothSides();
  });
}

describe('the reference grammar against the oracle', () => {
  agreesWithOracle('repository names', nearRepository, validateRepositoryName, repositoryIsValid, /^invalid repository name '/);
  agreesWithOracle('tags', nearTag, validateTag, tagIsValid, /^invalid tag '/);
  agreesWithOracle('digests', fc.oneof(nearDigest, anyText), validateDigest, digestIsValid, /^invalid digest '/);
  agreesWithOracle('images (name, name:tag, name@digest)', nearImage, parseImage, imageIsValid, /^invalid (image|repository name|tag|digest) '/);
  agreesWithOracle('tagged images (untag: the tag is required)', nearImage, (text) => parseTaggedImage(text, { requireTag: true }), (text) => taggedImageIsValid(text, false), /^invalid (image|repository name|tag) '/);
  agreesWithOracle('tagged images (tag lock: a bare name means latest)', nearImage, (text) => parseTaggedImage(text), (text) => taggedImageIsValid(text, true), /^invalid (image|repository name|tag) '/);
  agreesWithOracle('registries (-n/-r)', nearRegistry, (text) => validateRegistryName(text), (text) => registryIsValid(text), /^invalid registry( name)? '/);

  it('registries with a tenant suffix: accepted exactly when the oracle accepts', () => {
    const sides = new SideCounter();
    fc.assert(
      fc.property(fc.oneof(nearRegistry, fc.stringMatching(/^[a-z0-9]{5,12}$/)), nearSuffix, (name, suffix) => {
        const result = outcome(() => validateRegistryName(name, suffix));
        sides.count(result.accepted);
        expect(result.accepted, `${JSON.stringify(name)} with suffix ${JSON.stringify(suffix)}`).toBe(registryIsValid(name, suffix));
        if (!result.accepted) expectUsageLine(result.error, /^(invalid (registry|registry name|tenant suffix) '|a tenant suffix applies only)/);
      }),
      SETTINGS,
    );
    sides.expectBothSides();
  });
});

describe('what an accepted value becomes', () => {
  it('an accepted image prints back as given, a bare name with :latest', () => {
    fc.assert(
      fc.property(nearImage, (text) => {
        const result = outcome(() => parseImage(text));
        if (result.accepted) expect(formatImage(result.value)).toBe(text.includes(':') || text.includes('@') ? text : `${text}:latest`);
      }),
      SETTINGS,
    );
  });

  it('an accepted registry is a URL host that no URL parser rewrites (no 127.1 meaning 127.0.0.1)', () => {
    fc.assert(
      fc.property(nearRegistry, (text) => {
        const result = outcome(() => resolveRegistry(text, { env: {} }));
        if (!result.accepted) return;
        const { loginServer } = result.value;
        expect(loginServer).toBe(loginServer.toLowerCase());
        const url = registryBaseUrl({ protocol: 'https:', loginServer });
        if (!loginServer.startsWith('[')) expect(url.hostname).toBe(hostOf(loginServer));
      }),
      SETTINGS,
    );
  });
});

describe('user text inside messages', () => {
  it('is quoted on one line without controls, and at most about a hundred characters', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.array(trickyText).map((parts) => parts.join(''))), (text) => {
        const shown = quote(text);
        expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028-\u202e\u200b-\u200f]/);
        expect([...shown].length).toBeLessThan(110);
        if ([...text].length <= 80 && !/[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]/.test(text)) {
          expect(shown).toBe(`'${text}'`);
        }
      }),
      SETTINGS,
    );
  });
});

describe('the cases the fault fuzzer reported (exit 1 instead of 2)', () => {
  it.each<[string, string, () => unknown, RegExp]>([
    ['--image', '😀:1.0.0', () => parseImage('😀:1.0.0'), /^invalid repository name '😀': '😀' is not allowed/],
    ['--repository', 'a*b', () => validateRepositoryName('a*b'), /^invalid repository name 'a\*b': '\*' is not allowed/],
    ['--image', ':1.0.0', () => parseImage(':1.0.0'), /^invalid image ':1.0.0': the repository name before ':' is empty$/],
    ['--repository', ' ', () => validateRepositoryName(' '), /^invalid repository name ' ': ' ' is not allowed/],
  ])('%s %j is a usage error saying what is wrong', (_flag, _value, parse, message) => {
    const result = outcome(parse);
    expect(result.accepted).toBe(false);
    if (!result.accepted) expectUsageLine(result.error, message);
  });
});
