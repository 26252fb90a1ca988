// The purge plan as the contract (issue 10) has it, and comparisons of a printed plan with what a test
// expects from its ground truth: the same tags, manifests (with reasons) and protections (with codes),
// bytes freed, times and their source, a safe execution order, and results that match the plan.
import { expect } from 'vitest';
import type { CliResult } from './cli.js';
import { bytesFreed, type Item, type Truth } from './purge-seed.js';

export interface PlanTag {
  repository: string;
  tag: string;
  digest: string;
  time?: string;
  timeSource?: string;
  unlock?: boolean;
}

export interface PlanManifest {
  repository: string;
  digest: string;
  mediaType: string;
  tags: string[];
  reason: string;
  time?: string;
  timeSource?: string;
  unlock?: boolean;
}

export interface PlanProtected {
  repository: string;
  digest: string;
  tag?: string;
  protection: string;
  reason: string;
}

export interface PlanResult {
  repository: string;
  kind: 'tag' | 'manifest';
  name: string;
  status: string;
  error?: string;
}

export interface Plan {
  registry: string;
  dryRun: boolean;
  tags: PlanTag[];
  manifests: PlanManifest[];
  protected: PlanProtected[];
  bytesFreed: number;
  results?: PlanResult[];
}

/** The plan printed on stdout (whatever the exit code), after checking it is az-style JSON. */
export function planOf(result: CliResult): Plan {
  let plan: Plan;
  try {
    plan = JSON.parse(result.stdout) as Plan;
  } catch {
    throw new Error(`purge printed no JSON (exit ${result.code}):\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
  for (const key of ['tags', 'manifests', 'protected'] as const) {
    if (!Array.isArray(plan[key])) throw new Error(`the plan has no ${key} array: ${result.stdout}`);
  }
  return plan;
}

/** `repository:tag` (a tag) with its manifest's digest. */
export interface ExpectedTag {
  item: Item;
  tag: string;
  unlock?: boolean;
  /** ISO time the plan must give; default the item's created time (OCI). */
  time?: string;
}

export type ManifestReason = 'untagged' | 'all-tags-purged' | 'subject-deleted' | 'referrers-index';

export interface ExpectedManifest {
  item: Item;
  reason: ManifestReason;
  unlock?: boolean;
  time?: string;
}

export interface ExpectedProtection {
  item: Item;
  protection: string;
  /** The tag the entry names, when it must name one. */
  tag?: string;
  /** Words the entry's reason must contain (e.g. the tag that keeps a manifest). */
  mentions?: string[];
}

export interface ExpectedPlan {
  tags: ExpectedTag[];
  manifests: ExpectedManifest[];
  protected: ExpectedProtection[];
  /** Default: the ground truth's bytes freed by deleting the expected manifests. */
  bytesFreed?: number;
  /** "created" on OCI registries, "lastUpdateTime" on ACR. */
  timeSource: 'created' | 'lastUpdateTime';
  /** OCI: the `sha256-<hex>` tags of deleted referrers indexes may be listed in tags[] (the contract is silent). */
  referrersTagsMayBeListed?: boolean;
}

const REFERRERS_TAG = /^sha256-[0-9a-f]{64}$/;

const tagKey = (repository: string, tag: string, digest: string) => `${repository}:${tag}@${digest}`;
const manifestKey = (repository: string, digest: string, reason: string) => `${repository}@${digest} ${reason}`;
const protectionKey = (repository: string, digest: string, protection: string) => `${repository}@${digest} ${protection}`;

function sameTime(actual: string | undefined, expected: string | undefined, what: string): void {
  if (expected === undefined) return;
  expect(actual, `${what}: time`).toBeDefined();
  expect(Date.parse(actual as string), `${what}: time ${actual} is ${expected}`).toBe(Date.parse(expected));
}

/** Compares a printed plan with the expected one, item by item. */
export function expectPlan(plan: Plan, truth: Truth, expected: ExpectedPlan): void {
  // Tags.
  const listedTags = plan.tags.filter((entry) => !(expected.referrersTagsMayBeListed && REFERRERS_TAG.test(entry.tag)));
  expect(listedTags.map((entry) => tagKey(entry.repository, entry.tag, entry.digest)).sort(), 'tags[]').toEqual(
    expected.tags.map((entry) => tagKey(entry.item.repository, entry.tag, entry.item.digest)).sort(),
  );
  if (expected.referrersTagsMayBeListed) {
    const deletedIndexes = new Set(expected.manifests.filter((entry) => entry.reason.includes('referrers-index')).map((entry) => entry.item.digest));
    for (const entry of plan.tags.filter((tag) => REFERRERS_TAG.test(tag.tag))) {
      expect(deletedIndexes.has(entry.digest), `referrers tag ${entry.tag} in tags[] belongs to a deleted referrers index`).toBe(true);
    }
  }
  for (const want of expected.tags) {
    const entry = plan.tags.find((tag) => tag.repository === want.item.repository && tag.tag === want.tag);
    const what = `tag ${want.item.repository}:${want.tag}`;
    sameTime(entry?.time, want.time ?? (expected.timeSource === 'created' ? want.item.created : undefined), what);
    if (want.time !== undefined || (expected.timeSource === 'created' && want.item.created)) expect(entry?.timeSource, `${what}: timeSource`).toBe(expected.timeSource);
    expect(entry?.unlock === true, `${what}: unlock`).toBe(want.unlock === true);
  }

  // Manifests.
  expect(plan.manifests.map((entry) => manifestKey(entry.repository, entry.digest, entry.reason)).sort(), 'manifests[]').toEqual(
    expected.manifests.map((entry) => manifestKey(entry.item.repository, entry.item.digest, entry.reason)).sort(),
  );
  for (const want of expected.manifests) {
    const entry = plan.manifests.find((manifest) => manifest.repository === want.item.repository && manifest.digest === want.item.digest);
    const what = `manifest ${want.item.repository}@${want.item.digest} (${want.reason})`;
    expect(entry?.mediaType, `${what}: mediaType`).toBe(want.item.mediaType);
    expect([...(entry?.tags ?? [])].sort(), `${what}: tags`).toEqual(
      want.reason === 'all-tags-purged' || want.reason === 'referrers-index' ? truth.tagsOf(want.item.repository, want.item.digest) : (entry?.tags ?? []),
    );
    sameTime(entry?.time, want.time, what);
    expect(entry?.unlock === true, `${what}: unlock`).toBe(want.unlock === true);
  }
  expectSafeOrder(plan, truth);

  // Protections.
  expect([...new Set(plan.protected.map((entry) => protectionKey(entry.repository, entry.digest, entry.protection)))].sort(), 'protected[]').toEqual(
    [...new Set(expected.protected.map((entry) => protectionKey(entry.item.repository, entry.item.digest, entry.protection)))].sort(),
  );
  for (const want of expected.protected) {
    const entries = plan.protected.filter((entry) => entry.repository === want.item.repository && entry.digest === want.item.digest && entry.protection === want.protection);
    const what = `protected ${want.item.repository}@${want.item.digest} (${want.protection})`;
    for (const entry of entries) expect(typeof entry.reason === 'string' && entry.reason.length > 0, `${what}: has a reason sentence`).toBe(true);
    if (want.tag !== undefined) expect(entries.map((entry) => entry.tag), `${what}: names tag ${want.tag}`).toContain(want.tag);
    for (const word of want.mentions ?? []) {
      expect(entries.some((entry) => entry.reason.includes(word)), `${what}: reason mentions ${word}: ${JSON.stringify(entries)}`).toBe(true);
    }
  }

  // Bytes.
  const freed = expected.bytesFreed ?? bytesFreed(truth, expected.manifests.map(({ item }) => item));
  expect(plan.bytesFreed, 'bytesFreed').toBe(freed);
}

/** Referrers before their subjects, an index before the manifests it lists. */
export function expectSafeOrder(plan: Plan, truth: Truth): void {
  const position = new Map(plan.manifests.map((entry, index) => [`${entry.repository}@${entry.digest}`, index]));
  for (const [index, entry] of plan.manifests.entries()) {
    if (!truth.has(entry.repository, entry.digest)) continue;
    const item = truth.item(entry.repository, entry.digest);
    if (item.subject !== undefined) {
      const subject = position.get(`${entry.repository}@${item.subject}`);
      if (subject !== undefined) expect(index, `referrer ${item.digest} is deleted before its subject ${item.subject}`).toBeLessThan(subject);
    }
    for (const child of item.children) {
      const at = position.get(`${entry.repository}@${child}`);
      if (at !== undefined) expect(index, `index ${item.digest} is deleted before its child ${child}`).toBeLessThan(at);
    }
  }
}

/** Every planned tag and manifest has one result, with one of `statuses`; nothing else has one. */
export function expectResults(plan: Plan, statuses: { tag: string[]; manifest: string[] }): void {
  expect(plan.results, 'results[] after an execution').toBeDefined();
  const results = plan.results ?? [];
  const planned = [
    ...plan.tags.map((entry) => `tag ${entry.repository} ${entry.tag}`),
    ...plan.manifests.map((entry) => `manifest ${entry.repository} ${entry.digest}`),
  ].sort();
  expect(results.map((entry) => `${entry.kind} ${entry.repository} ${entry.name}`).sort(), 'one result per planned item').toEqual(planned);
  for (const entry of results) {
    expect(statuses[entry.kind], `${entry.kind} ${entry.repository} ${entry.name}: ${entry.status} ${entry.error ?? ''}`).toContain(entry.status);
  }
}

/** A short text of a CLI run for failure messages. */
export function shown(result: CliResult): string {
  return `exit ${result.code}\nstdout: ${result.stdout.slice(0, 4000)}\nstderr: ${result.stderr.slice(0, 4000)}`;
}
