// The benchmark's tables, as markdown: printed to the terminal and written to bench/results.md.
import { median, type SideResult } from './bench-run.js';

export interface Target {
  /** e.g. "≤ 1.3×" or "peak ≤ 60 MB" */
  text: string;
  met: boolean;
}

export interface RatioRow {
  what: string;
  acrx: SideResult;
  baseline: SideResult;
  targets: Target[];
  note?: string;
}

export interface CountRow {
  what: string;
  /** "METHOD path-pattern" → requests */
  requests: Map<string, number>;
  perItem: number;
  target: Target;
}

export interface Section {
  title: string;
  intro: string;
  ratios?: RatioRow[];
  counts?: CountRow[];
  /** Lines of plain markdown after the tables. */
  after?: string[];
}

const MIB = 1024;

export function megabytes(kib: number | undefined): string {
  return kib === undefined ? 'n/a' : `${(kib / MIB).toFixed(0)} MB`;
}

function seconds(value: number): string {
  return value < 10 ? `${value.toFixed(3)} s` : `${value.toFixed(1)} s`;
}

function figure(side: SideResult): string {
  return `${seconds(side.seconds)} · ${megabytes(side.rssKiB)}`;
}

/**
 * The median of the rounds' own ratios (acrx's run over the baseline's run next to it): a slow minute
 * that hits one round moves both of its runs, not the ratio. Targets are judged on this one.
 */
export function ratio(row: { acrx: SideResult; baseline: SideResult }): number {
  const pairs = row.acrx.runs.map((run, index) => run.seconds / (row.baseline.runs[index]?.seconds ?? Number.NaN));
  return median(pairs);
}

function ratioOfMedians(row: { acrx: SideResult; baseline: SideResult }): number {
  return row.acrx.seconds / row.baseline.seconds;
}

export function timeTarget(limit: number, row: { acrx: SideResult; baseline: SideResult }): Target {
  return { text: `≤ ${limit}×`, met: ratio(row) <= limit };
}

export function rssTarget(limitMb: number, side: SideResult): Target {
  return { text: `peak ≤ ${limitMb} MB`, met: side.rssKiB !== undefined && side.rssKiB <= limitMb * MIB };
}

function verdicts(targets: Target[]): string {
  return targets.map((target) => (target.met ? 'met' : '**not met**')).join(' · ');
}

function ratioTable(rows: RatioRow[]): string[] {
  const lines = [
    '| measurement | acrx: time · peak RSS | baseline | baseline: time · peak RSS | ratio: paired (of medians) | target | |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.what} | ${figure(row.acrx)} | ${row.baseline.name} | ${figure(row.baseline)} | **${ratio(row).toFixed(2)}×** (${ratioOfMedians(row).toFixed(2)}×) | ${row.targets.map((t) => t.text).join(' · ')} | ${verdicts(row.targets)} |`,
    );
  }
  const notes = rows.filter((row) => row.note).map((row) => `- ${row.what}: ${row.note}`);
  return notes.length > 0 ? [...lines, '', ...notes] : lines;
}

function countTable(rows: CountRow[]): string[] {
  const lines = ['| command | requests, by path | per-tag or per-manifest requests | target | |', '|---|---|---|---|---|'];
  for (const row of rows) {
    const requests = [...row.requests.entries()].map(([path, count]) => `${count} × \`${path}\``).join('<br>');
    lines.push(`| ${row.what} | ${requests} | ${row.perItem} | ${row.target.text} | ${verdicts([row.target])} |`);
  }
  return lines;
}

export function renderSections(sections: Section[]): string[] {
  const lines: string[] = [];
  for (const section of sections) {
    lines.push(`## ${section.title}`, '', section.intro, '');
    if (section.ratios?.length) lines.push(...ratioTable(section.ratios), '');
    if (section.counts?.length) lines.push(...countTable(section.counts), '');
    if (section.after?.length) lines.push(...section.after, '');
  }
  return lines;
}

/** Every run's seconds, so a reader can see the spread behind each median. */
export function renderRawRuns(rows: RatioRow[]): string[] {
  const lines = ['## Every run (seconds, in the order run)', ''];
  const seen = new Set<SideResult>();
  for (const row of rows) {
    for (const side of [row.acrx, row.baseline]) {
      if (seen.has(side)) continue;
      seen.add(side);
      lines.push(`- ${row.what} — ${side.name}: ${side.runs.map((run) => run.seconds.toFixed(3)).join(' ')}`);
    }
  }
  return [...lines, ''];
}
