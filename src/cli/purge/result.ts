// What `acrx purge` prints: the plan (and, once carried out, each item's result), as JSON for scripts,
// and a table row per item (the default on a terminal, and what the confirmation shows).
import type { TableRows } from '../../output/render.js';
import { formatBytes } from '../../output/transfers.js';
import type { ItemResult } from '../../purge/execute.js';
import type { PlannedManifest, PlannedTag, ProtectedItem } from '../../purge/plan.js';

export interface PurgeResult {
  registry: string;
  dryRun: boolean;
  /** Tags that go (on registries that cannot untag, with their manifest). */
  tags: PlannedTag[];
  /** Manifests that go, in the order they are deleted. */
  manifests: PlannedManifest[];
  protected: ProtectedItem[];
  bytesFreed: number;
  /** Absent for a dry run. */
  results?: ItemResult[];
}

interface Row {
  action: string;
  repository: string;
  item: string;
  reason: string;
  time: string;
  result: string;
}

function rows(result: PurgeResult): Row[] {
  const byItem = new Map((result.results ?? []).map((item) => [`${item.kind} ${item.repository} ${item.name}`, item]));
  const outcome = (kind: ItemResult['kind'], repository: string, name: string): string => {
    const found = byItem.get(`${kind} ${repository} ${name}`);
    return found ? `${found.status}${found.error ? `: ${found.error}` : ''}` : '';
  };
  const when = (item: { time?: string; timeSource?: string }) => (item.time ? `${item.time} (${item.timeSource ?? 'time'})` : '');
  return [
    ...result.tags.map((tag) => ({
      action: 'remove tag',
      repository: tag.repository,
      item: tag.tag,
      reason: `a tag of ${tag.digest.slice(0, 'sha256:'.length + 12)}…${tag.unlock ? ', unlocked first' : ''}`,
      time: when(tag),
      result: outcome('tag', tag.repository, tag.tag),
    })),
    ...result.manifests.map((manifest) => ({
      action: 'delete manifest',
      repository: manifest.repository,
      item: manifest.digest,
      reason: `${manifest.reason}${manifest.tags.length > 0 ? ` (tags ${manifest.tags.join(', ')})` : ''}${manifest.unlock ? ', unlocked first' : ''}`,
      time: when(manifest),
      result: outcome('manifest', manifest.repository, manifest.digest),
    })),
    ...result.protected.map((item) => ({
      action: 'keep',
      repository: item.repository,
      item: item.tag ?? item.digest,
      reason: `${item.protection}: ${item.reason}`,
      time: '',
      result: '',
    })),
  ];
}

export function purgeTable(result: PurgeResult): TableRows {
  return rows(result).map((row) => ({
    Action: row.action,
    Repository: row.repository,
    Item: row.item,
    Reason: row.reason,
    Time: row.time,
    Result: row.result,
  }));
}

export function summary(result: PurgeResult): string {
  const counts = `${result.tags.length} tag(s) removed, ${result.manifests.length} manifest(s) deleted, ${formatBytes(result.bytesFreed)} freed; ${result.protected.length} item(s) protected`;
  if (result.dryRun) return `Purge plan for ${result.registry} (dry run, nothing deleted): ${counts}`;
  if (result.results === undefined) return `Purge plan for ${result.registry}: ${counts}`;
  const failed = result.results.filter((item) => item.status === 'failed').length;
  const skipped = result.results.filter((item) => item.status === 'not-started').length;
  return `Purged ${result.registry}: ${counts}${failed || skipped ? ` — ${failed} failed, ${skipped} not started` : ''}`;
}
