// The whole purge plan: the repositories the filters name, each one's contents read and planned, the
// referrers of what goes looked up where the listing cannot show them, and the deletions put in order.
import { NotFoundError } from '../errors.js';
import type { RepositoryContents } from '../registry/contents.js';
import { isReferrersTag, referrersTag } from '../registry/referrers.js';
import type { RegistryService, Reporter } from '../registry/service/types.js';
import { createMatcher, type Filter, type Matcher } from './filter.js';
import { deletionOrder, type DeletionOrder } from './order.js';
import { planRepository, type PlannedManifest, type PlannedTag, type ProtectedItem, type PurgeCriteria, type RepositoryPlan, type UntaggedMode } from './plan.js';

export interface PurgeRequest {
  filters: readonly Filter[];
  /** --ago in milliseconds; 0 for any age. */
  agoMs: number;
  keep?: number;
  untagged: UntaggedMode;
  includeLocked: boolean;
  filterTimeoutMs: number;
  /** Epoch milliseconds the ages are measured from. */
  now: number;
}

export interface PurgePlan {
  tags: PlannedTag[];
  /** In the order they are deleted. */
  manifests: PlannedManifest[];
  protected: ProtectedItem[];
  bytesFreed: number;
  order: DeletionOrder;
  /** Whether each repository's tags go with their manifests (registries that cannot untag). */
  tagsGoWithManifests: ReadonlyMap<string, boolean>;
}

/** A repository name with no character a regular expression treats specially. */
const LITERAL_NAME = /^[a-z0-9_-]+(?:\/[a-z0-9_-]+)*$/;

const UNTAGGED_UNSEEN =
  'untagged manifests cannot be listed through the OCI distribution API: only the untagged manifests that a tag leads to (platform images of indexes, referrers in a referrers tag index) are considered';

export async function readPurgePlan(service: RegistryService, request: PurgeRequest, reporter: Reporter): Promise<PurgePlan> {
  const matcher = createMatcher(request.filterTimeoutMs);
  // Filters that name their repositories plainly need no catalog (which a repository-scoped token may not read).
  const literal = request.filters.every((filter) => LITERAL_NAME.test(filter.repository));
  const catalog = literal ? [...new Set(request.filters.map((filter) => filter.repository))].sort() : await service.listRepositories();
  const named = request.filters.map((filter) => matcher.match(filter.repository, catalog));
  // Each repository with the filters that name it: the repository expressions are matched once.
  const repositories = catalog
    .map((repository, index) => ({ repository, tagFilters: request.filters.filter((_filter, which) => named[which]?.[index] === true) }))
    .filter(({ tagFilters }) => tagFilters.length > 0);
  const contents = new Map<string, RepositoryContents>();
  const plans: RepositoryPlan[] = [];
  let warned = false;
  for (const { repository, tagFilters } of repositories) {
    let read: RepositoryContents | undefined;
    try {
      read = await readRepository(service, repository, request, (names) => matchedTags(matcher, tagFilters, names).size > 0);
    } catch (error) {
      // A repository named outright that does not exist holds nothing to purge.
      if (!(literal && error instanceof NotFoundError)) throw error;
      reporter.warn(`repository '${repository}' was not found; nothing to purge there`);
    }
    if (!read) continue;
    if (!read.untaggedVisible && request.untagged !== 'none' && !warned) {
      reporter.warn(UNTAGGED_UNSEEN);
      warned = true;
    }
    const names = read.tags.map((tag) => tag.name).filter((tag) => !isReferrersTag(tag));
    const criteria: PurgeCriteria = {
      matchedTags: request.untagged === 'only' ? new Set() : matchedTags(matcher, tagFilters, names),
      ...(request.agoMs > 0 ? { cutoff: request.now - request.agoMs } : {}),
      ...(request.keep !== undefined ? { keep: request.keep } : {}),
      untagged: request.untagged,
      includeLocked: request.includeLocked,
    };
    contents.set(repository, read);
    plans.push(await planWithReferrers(service, read, criteria));
  }
  const manifests = plans.flatMap((plan) => plan.manifests);
  const order = deletionOrder(manifests, (repository) => contents.get(repository) as RepositoryContents);
  return {
    tags: plans.flatMap((plan) => plan.tags),
    manifests: order.levels.flat(),
    protected: plans.flatMap((plan) => plan.protected),
    bytesFreed: plans.reduce((sum, plan) => sum + plan.bytesFreed, 0),
    order,
    tagsGoWithManifests: new Map([...contents].map(([repository, read]) => [repository, !read.canUntag])),
  };
}

/** The repository's contents; undefined when only tags can go and none matches (a cheap listing first). */
async function readRepository(
  service: RegistryService,
  repository: string,
  request: PurgeRequest,
  anyMatch: (names: string[]) => boolean,
): Promise<RepositoryContents | undefined> {
  if (request.untagged === 'none' && !anyMatch((await service.listTagNames(repository, {})).filter((tag) => !isReferrersTag(tag)))) return undefined;
  return service.readContents(repository, { bodies: request.untagged === 'none' ? 'none' : 'all' });
}

/**
 * Plans again until the referrers of everything that goes are known: where the listing cannot show
 * untagged manifests, the registry is asked for the referrers of each manifest about to go.
 */
async function planWithReferrers(service: RegistryService, contents: RepositoryContents, criteria: PurgeCriteria): Promise<RepositoryPlan> {
  const asked = new Set<string>();
  const indexed = new Set(contents.tags.map((tag) => tag.name));
  for (;;) {
    const plan = planRepository(contents, criteria);
    if (contents.untaggedVisible) return plan;
    // A subject with a referrers tag index has its referrers read already, as that index's children.
    const subjects = plan.manifests.map((manifest) => manifest.digest).filter((digest) => !asked.has(digest) && !indexed.has(referrersTag(digest)));
    if (subjects.length === 0) return plan;
    for (const subject of subjects) asked.add(subject);
    if ((await service.addReferrers(contents, subjects)) === 0) return plan;
  }
}

function matchedTags(matcher: Matcher, filters: readonly Filter[], names: readonly string[]): Set<string> {
  const matched = new Set<string>();
  for (const filter of filters) {
    const hits = matcher.match(filter.tag, names);
    names.forEach((name, index) => {
      if (hits[index]) matched.add(name);
    });
  }
  return matched;
}
