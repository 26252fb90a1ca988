// Every place a command takes a reference, a name or a number, with values the oracle calls invalid:
// each case builds the command line around one such value.
import fc from 'fast-check';
import { anyText, nearImage, nearRegistry, nearRepository, nearSuffix, nearValid, trickyText } from '../reference/arbitraries.js';
import { imageIsValid, registryIsValid, repositoryIsValid, tagIsValid, taggedImageIsValid } from '../reference/oracle.js';

export interface Where {
  /** The counting listener's host:port, the registry every case names. */
  registry: string;
  /** A readable file, for the commands that push one. */
  file: string;
}

export interface UsageCase {
  name: string;
  values: fc.Arbitrary<string>;
  args(value: string, where: Where): string[];
}

// RFC 6838 restricted names, as media types and artifact types are written.
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;
const isWholeNumber = (text: string, min: number, max: number): boolean => /^[0-9]+$/.test(text) && Number(text) >= min && Number(text) <= max;

const numberish = fc.oneof(
  fc.integer({ min: -3, max: 70 }).map(String),
  fc.constantFrom('', ' 1', '1 ', '1.5', '1e3', '0x10', '+1', '-0', '١', '٣', '1_000', '99999999999999999999', '9007199254740992', 'Infinity', 'NaN'),
  anyText,
);
const word = (choices: string[]) => fc.oneof(nearValid(fc.constantFrom(...choices)), anyText, trickyText);

/** `REPO:TAG[,TAG...]`, as artifact push names its tags. */
const pushReferenceIsValid = (text: string): boolean => {
  const [first = '', ...more] = text.split(',');
  return taggedImageIsValid(first, false) && more.every(tagIsValid);
};

const invalid = (values: fc.Arbitrary<string>, valid: (text: string) => boolean) => values.filter((value) => !valid(value));
const positional = (value: string) => ['--', value];

export const USAGE_CASES: UsageCase[] = [
  { name: 'repository show --image', values: invalid(nearImage, imageIsValid), args: (v, w) => ['repository', 'show', '--image', v, '-n', w.registry] },
  { name: 'repository show --repository', values: invalid(nearRepository, repositoryIsValid), args: (v, w) => ['repository', 'show', '--repository', v, '-n', w.registry] },
  { name: 'repository show-tags --repository', values: invalid(nearRepository, repositoryIsValid), args: (v, w) => ['repository', 'show-tags', '--repository', v, '-n', w.registry] },
  { name: 'repository delete --image', values: invalid(nearImage, imageIsValid), args: (v, w) => ['repository', 'delete', '--yes', '--image', v, '-n', w.registry] },
  { name: 'repository untag --image', values: invalid(nearImage, (v) => taggedImageIsValid(v, false)), args: (v, w) => ['repository', 'untag', '--image', v, '-n', w.registry] },
  { name: 'repository show-usage --repository', values: invalid(nearRepository, repositoryIsValid), args: (v, w) => ['repository', 'show-usage', '--repository', v, '-n', w.registry] },
  { name: 'tag lock --image', values: invalid(nearImage, (v) => taggedImageIsValid(v, true)), args: (v, w) => ['tag', 'lock', '--image', v, '-n', w.registry] },
  { name: 'manifest show -n', values: invalid(nearImage, imageIsValid), args: (v, w) => ['manifest', 'show', '-n', v, '-r', w.registry] },
  { name: 'manifest show MANIFEST_ID', values: invalid(nearImage, imageIsValid), args: (v, w) => ['manifest', 'show', `${w.registry}/${v}`] },
  { name: 'manifest list-metadata -n', values: invalid(nearRepository, repositoryIsValid), args: (v, w) => ['manifest', 'list-metadata', '-n', v, '-r', w.registry] },
  { name: 'manifest list-metadata REPO_ID', values: invalid(nearRepository, repositoryIsValid), args: (v, w) => ['manifest', 'list-metadata', `${w.registry}/${v}`] },
  { name: 'artifact discover REFERENCE', values: invalid(nearImage, imageIsValid), args: (v, w) => ['artifact', 'discover', '-n', w.registry, ...positional(v)] },
  { name: 'artifact push REFERENCE', values: invalid(nearImage, pushReferenceIsValid), args: (v, w) => ['artifact', 'push', '-n', w.registry, ...positional(v), w.file] },
  { name: 'artifact push --from', values: invalid(nearRepository, repositoryIsValid), args: (v, w) => ['artifact', 'push', 'hello:v1', w.file, '--from', v, '-n', w.registry] },
  { name: 'repository list -n', values: invalid(nearRegistry, (v) => v === '' || registryIsValid(v)), args: (v) => ['repository', 'list', '-n', v] },
  { name: 'manifest show -r', values: invalid(nearRegistry, (v) => v === '' || registryIsValid(v)), args: (v) => ['manifest', 'show', '-n', 'hello:v1', '-r', v] },
  { name: 'repository list --suffix', values: invalid(nearSuffix, (v) => v === '' || registryIsValid('myregistry', v)), args: (v) => ['repository', 'list', '--suffix', v, '-n', 'myregistry'] },
  { name: 'repository list --top', values: invalid(numberish, (v) => isWholeNumber(v, 1, Number.MAX_SAFE_INTEGER)), args: (v, w) => ['repository', 'list', '--top', v, '-n', w.registry] },
  { name: 'repository show-tags --orderby', values: invalid(word(['time_asc', 'time_desc']), (v) => v === 'time_asc' || v === 'time_desc'), args: (v, w) => ['repository', 'show-tags', '--repository', 'hello', '--orderby', v, '-n', w.registry] },
  { name: 'repository show-manifests --concurrency', values: invalid(numberish, (v) => isWholeNumber(v, 1, 64)), args: (v, w) => ['repository', 'show-manifests', '--repository', 'hello', '--concurrency', v, '-n', w.registry] },
  { name: 'artifact discover --depth', values: invalid(numberish, (v) => isWholeNumber(v, 1, Number.MAX_SAFE_INTEGER)), args: (v, w) => ['artifact', 'discover', 'hello:v1', '--depth', v, '-n', w.registry] },
  { name: 'repository update --delete-enabled', values: invalid(word(['true', 'false']), (v) => ['true', 'false'].includes(v.toLowerCase())), args: (v, w) => ['repository', 'update', '--repository', 'hello', '--delete-enabled', v, '-n', w.registry] },
  { name: 'manifest list-referrers --artifact-type', values: invalid(word(['application/vnd.example+json']), (v) => MEDIA_TYPE.test(v)), args: (v, w) => ['manifest', 'list-referrers', '-n', 'hello:v1', '--artifact-type', v, '-r', w.registry] },
  { name: 'repository list -o', values: invalid(word(['json', 'table', 'tsv']), (v) => ['json', 'jsonc', 'yaml', 'yamlc', 'table', 'tsv', 'none'].includes(v)), args: (v, w) => ['repository', 'list', '-o', v, '-n', w.registry] },
];

/** One case and one of its values. */
export const usageCall = fc.constantFrom(...USAGE_CASES).chain((usage) => usage.values.map((value) => ({ usage, value })));
