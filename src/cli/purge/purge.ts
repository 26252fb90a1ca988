// acrx purge: acr purge's clean-up against any registry. The plan comes first — every tag and manifest
// that goes, the bytes freed, and what is protected and why — and is carried out exactly (after a
// confirmation, or --yes), in a safe order, each item's result reported.
import { setMaxListeners } from 'node:events';
import { IncompleteError, InterruptedError, UsageError } from '../../errors.js';
import { parseAgo } from '../../purge/duration.js';
import { parseFilter, type Filter } from '../../purge/filter.js';
import type { UntaggedMode } from '../../purge/plan.js';
import type { RegistryService } from '../../registry/service/types.js';
import { defineCommand } from '../command.js';
import { confirm, ensureCanConfirm } from '../confirm.js';
import type { CommandContext } from '../context.js';
import { addRegistryOptions, flagValue, listValue, parseRegistryOptions, parseWholeNumber, repeatable, textValue, type OptionValues, type RegistryOptions } from '../options.js';
import { purgeTable, summary, type PurgeResult } from './result.js';

export interface PurgeOptions {
  registry: RegistryOptions;
  filters: Filter[];
  agoMs: number;
  keep?: number;
  untagged: UntaggedMode;
  includeLocked: boolean;
  dryRun: boolean;
  yes: boolean;
  filterTimeoutMs: number;
}

/** acr purge deletes five at a time by default. */
const DEFAULT_DELETIONS_IN_FLIGHT = 5;

export async function runPurge(options: PurgeOptions, context: CommandContext): Promise<PurgeResult> {
  if (!options.dryRun) ensureCanConfirm(context, options.yes);
  // Ctrl-C while reading stops the reading at once; while deleting, the requests in flight finish.
  const requests = new AbortController();
  // As on io.signal: every request in flight listens on it.
  setMaxListeners(0, requests.signal);
  let deleting = false;
  const interrupted = context.io.signal;
  const onInterrupt = (): void => {
    if (!deleting) requests.abort(interrupted.reason);
  };
  interrupted.addEventListener('abort', onInterrupt, { once: true });
  try {
    const { service, loginServer } = await context.openRegistry(options.registry, 'stored', requests.signal);
    const { readPurgePlan } = await import('../../purge/read-plan.js');
    const plan = await readPurgePlan(
      service,
      {
        filters: options.filters,
        agoMs: options.agoMs,
        ...(options.keep !== undefined ? { keep: options.keep } : {}),
        untagged: options.untagged,
        includeLocked: options.includeLocked,
        filterTimeoutMs: options.filterTimeoutMs,
        now: (context.io.now ?? Date.now)(),
      },
      context.status,
    );
    if (interrupted.aborted) throw new InterruptedError();
    const planned: PurgeResult = {
      registry: loginServer,
      dryRun: options.dryRun,
      tags: plan.tags,
      manifests: plan.manifests,
      protected: plan.protected,
      bytesFreed: plan.bytesFreed,
    };
    if (options.dryRun) return planned;
    if (plan.tags.length === 0 && plan.manifests.length === 0) return { ...planned, results: [] };
    if (!options.yes) {
      const { formatTable } = await import('../../output/formats/table.js');
      const statement = `${summary(planned)}\n${formatTable(purgeTable(planned), { sortKeys: false })}`;
      await confirm(context, statement, 'Are you sure you want to delete these tags and manifests?', false);
    }

    deleting = true;
    const { executePlan } = await import('../../purge/execute.js');
    const total = plan.tags.length + plan.manifests.length;
    const results = await context.status.progress(`purging ${loginServer}`, (update) => {
      let done = 0;
      return executePlan(plan.tags, plan.order, purgeActions(service), {
        concurrency: options.registry.concurrency ?? DEFAULT_DELETIONS_IN_FLIGHT,
        stopped: () => interrupted.aborted,
        tagsGoWithManifests: (repository) => plan.tagsGoWithManifests.get(repository) === true,
        onResult: () => update(`purging ${loginServer}: ${++done}/${total}`),
      });
    });
    const result: PurgeResult = { ...planned, results };
    if (interrupted.aborted) throw new InterruptedError('interrupted: the requests in flight finished; the results say what was done', { result });
    const unfinished = results.filter((item) => item.status === 'failed' || item.status === 'not-started');
    if (unfinished.length > 0) {
      throw new IncompleteError(`${summary(result)}. Run the same command again to finish: it plans again from what is left`, { result });
    }
    return result;
  } finally {
    interrupted.removeEventListener('abort', onInterrupt);
  }
}

function purgeActions(service: RegistryService) {
  const unlocked = { deleteEnabled: true, writeEnabled: true };
  return {
    untag: async (tag: { repository: string; tag: string; unlock?: true }) => {
      if (tag.unlock) await service.updateAttributes({ image: { repository: tag.repository, tag: tag.tag } }, unlocked);
      await service.untag({ repository: tag.repository, tag: tag.tag });
    },
    deleteManifest: async (manifest: { repository: string; digest: string; unlock?: true }) => {
      if (manifest.unlock) await service.updateAttributes({ image: { repository: manifest.repository, digest: manifest.digest } }, unlocked);
      await service.deleteManifest(manifest.repository, manifest.digest);
    },
  };
}

function parsePurgeOptions(values: OptionValues): PurgeOptions {
  const filters = (listValue(values, 'filter') ?? []).map(parseFilter);
  if (filters.length === 0) throw new UsageError("the following arguments are required: --filter (e.g. --filter 'web:.*')");
  const untagged = flagValue(values, 'untagged');
  const untaggedOnly = flagValue(values, 'untaggedOnly');
  if (untagged && untaggedOnly) throw new UsageError('--untagged and --untagged-only are mutually exclusive');
  const keepText = textValue(values, 'keep');
  const keep = keepText === undefined ? undefined : parseWholeNumber('--keep', keepText, Number.MAX_SAFE_INTEGER, 0);
  if (keep !== undefined && untaggedOnly) throw new UsageError('--keep counts tags; it has no meaning with --untagged-only');
  const timeoutText = textValue(values, 'filterTimeoutSeconds');
  const timeout = timeoutText === undefined ? 60 : parseWholeNumber('--filter-timeout-seconds', timeoutText);
  return {
    registry: parseRegistryOptions(values),
    filters,
    agoMs: parseAgo(textValue(values, 'ago') ?? '0d'),
    ...(keep !== undefined ? { keep } : {}),
    untagged: untaggedOnly ? 'only' : untagged ? 'also' : 'none',
    includeLocked: flagValue(values, 'includeLocked'),
    dryRun: flagValue(values, 'dryRun'),
    yes: flagValue(values, 'yes'),
    filterTimeoutMs: timeout * 1000,
  };
}


export const purgeCommand = defineCommand<PurgeOptions, PurgeResult>({
  name: 'purge',
  summary: 'Delete tags and manifests by name and age, as acr purge does, after showing the plan; never what a kept image needs.',
  examples: [
    { summary: 'Show what deleting the tags of hello-world older than 30 days would delete.', command: 'acrx purge -n myregistry --filter \'hello-world:.*\' --ago 30d --dry-run' },
    { summary: 'Delete every tag but the 5 newest of each repository, and manifests left untagged.', command: 'acrx purge -n myregistry --filter \'.*:.*\' --keep 5 --untagged --yes' },
  ],
  flags: (command) => {
    addRegistryOptions(command, 'name', { concurrencyHelp: `deletions in flight at once (default ${DEFAULT_DELETIONS_IN_FLIGHT})` })
      .requiredOption('--filter <repository:tag>', "regular expressions of repositories and tags, each matched whole, e.g. 'web:.*' or 'team/.*:^v1\\..*' (repeatable)", repeatable)
      .option('--ago <duration>', 'only what is older than this: 30d, 1d3h, 90m; 0d means any age', '0d')
      .option('--keep <n>', 'of the matching tags old enough to go, keep the n most recent (per repository)')
      .option('--untagged', 'also delete manifests left without tags')
      .option('--untagged-only', 'delete only manifests without tags; no tag is removed')
      .option('--include-locked', 'unlock and delete locked tags and manifests too (a locked repository stays locked)')
      .option('--dry-run', 'show the plan and delete nothing')
      .option('--filter-timeout-seconds <s>', 'give up on a filter expression that takes longer than this to match (default 60)')
      .option('-y, --yes', 'do not prompt for confirmation');
  },
  parse: ({ values }) => parsePurgeOptions(values),
  run: runPurge,
  table: purgeTable,
  terminalFormat: 'table',
});
