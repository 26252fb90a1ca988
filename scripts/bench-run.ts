// Runs measured processes for scripts/bench.ts, sides interleaved round by round. Wall time from start
// to exit is taken by a small perl process that forks the command and waits for it, as an outside
// timer (hyperfine, time(1)) takes it: timed from here, each run would also count forking this process,
// whose heap grows as it seeds and measures (seen: 10-20 ms a run on a 2-core VM, which lowered every
// start-up ratio). perl is Essential on Debian and Ubuntu; without it, runs are timed from here. Peak
// RSS comes from /usr/bin/time (the kernel's maxrss of the process it waited for, the same for node and
// skopeo). For short runs it is read in untimed runs of its own: the wrapper adds ~4 ms to a process,
// too much beside `node -e 0`'s ~70 ms.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { isExecutable } from '../test/support/tools.js';

const TIME = '/usr/bin/time';
const PERL = '/usr/bin/perl';
// Forks the command, waits for it, writes the seconds between to the file named first, and exits as
// the command did (128 + the signal that killed it).
const PERL_TIMER = [
  'use Time::HiRes qw(time);',
  'my $out = shift;',
  'my $started = time;',
  'my $pid = fork() // die "fork: $!";',
  'if ($pid == 0) { exec { $ARGV[0] } @ARGV; exit 127 }',
  'waitpid($pid, 0);',
  'my $status = $?;',
  'my $seconds = time - $started;',
  'open(my $fh, ">", $out) or die "$out: $!"; print $fh $seconds; close $fh;',
  'exit($status & 127 ? 128 + ($status & 127) : $status >> 8);',
].join(' ');
/** Untimed runs that read the peak RSS of short runs: a busy machine moves it (GC falls behind). */
const RSS_SAMPLES = 3;

export interface Command {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed; stdin is empty otherwise. */
  input?: string;
  /** Throws when the output is not the answer expected: every run is checked, the timing is not. */
  check?: (stdout: string) => void;
  /** The exit status the run must end with (0 unless said): a failure measured on purpose. */
  exitCode?: number;
}

export interface Run {
  seconds: number;
  /** Peak resident set of the process, KiB; undefined when not run under /usr/bin/time. */
  rssKiB: number | undefined;
}

/** One side of a comparison: a command, or a batch of commands run one after another (a skopeo sample). */
export interface Side {
  name: string;
  commands: Command[];
  /** Multiplies the batch's time, for a sample extrapolated to the whole (1 otherwise). */
  scale?: number;
  /** Read before and after each run: e.g. requests a test server recorded meanwhile. */
  counter?: () => number;
  /** Untimed, before each run: puts back the state a run starts from (a blob the last push left). */
  prepare?: () => Promise<void>;
}

export interface SideResult {
  name: string;
  runs: Run[];
  counts: number[];
  seconds: number;
  rssKiB: number | undefined;
}

// Process groups of measured children, killed if the bench is interrupted while they run.
const live = new Set<ChildProcess>();

export function killLiveChildren(): void {
  for (const child of live) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  live.clear();
}

export function hasTimeCommand(): boolean {
  return isExecutable(TIME);
}

const measuresRss = hasTimeCommand();

/** Whether runs are timed by perl (else from this process: see the top of this file). */
export const timedOutside = isExecutable(PERL);

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

let runSerial = 0;

/** Runs the command once; fails with its stderr when it exits non-zero or its answer is wrong. */
export function runOnce(command: Command, scratch: string, options: { rss?: boolean } = {}): Promise<Run> {
  const rssFile = path.join(scratch, `rss-${process.pid}-${++runSerial}`);
  const timeFile = path.join(scratch, `time-${process.pid}-${runSerial}`);
  const wrapped = measuresRss && options.rss === true;
  const [measured, measuredArgs] = wrapped ? [TIME, ['-f', '%M', '-o', rssFile, command.file, ...command.args]] : [command.file, command.args];
  const [file, args] = timedOutside ? [PERL, ['-e', PERL_TIMER, timeFile, measured, ...measuredArgs]] : [measured, measuredArgs];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // Its own process group, so an interrupted bench can kill what /usr/bin/time started too.
    const child = spawn(file, args, { env: command.env, stdio: [command.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], detached: true });
    live.add(child);
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
    });
    child.stdin?.end(command.input);
    child.on('error', (error) => {
      live.delete(child);
      reject(error);
    });
    child.on('close', (status, signal) => {
      let seconds = Number(process.hrtime.bigint() - started) / 1e9;
      live.delete(child);
      if (timedOutside) {
        try {
          seconds = Number(readFileSync(timeFile, 'utf8'));
        } catch (error) {
          reject(new Error(`the timer wrote no time for ${path.basename(command.file)} ${command.args.join(' ')}: ${String(error)}`));
          return;
        }
        rmSync(timeFile, { force: true });
      }
      let rssKiB: number | undefined;
      if (wrapped) {
        // With -o, /usr/bin/time writes "Command exited with non-zero status N" there too, before %M.
        const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
        rssKiB = Number(lines[lines.length - 1]);
        rmSync(rssFile, { force: true });
      }
      const output = Buffer.concat(stdout).toString('utf8');
      const shown = `${path.basename(command.file)} ${command.args.join(' ')}`;
      if (status !== (command.exitCode ?? 0)) {
        reject(new Error(`${shown} exited ${status ?? signal}: ${stderr.trim() || output.slice(0, 2_000)}`));
        return;
      }
      try {
        command.check?.(output);
      } catch (error) {
        reject(new Error(`${shown}: ${error instanceof Error ? error.message : String(error)}`));
        return;
      }
      resolve({ seconds, rssKiB });
    });
  });
}

async function runSide(side: Side, scratch: string, rss: boolean): Promise<{ run: Run; count: number }> {
  await side.prepare?.();
  const before = side.counter?.() ?? 0;
  let seconds = 0;
  let rssKiB: number | undefined;
  for (const [index, command] of side.commands.entries()) {
    // In a batch of short processes (a sample), one wrapped process per run is enough to read its peak.
    const run = await runOnce(command, scratch, { rss: rss && index === 0 });
    seconds += run.seconds;
    if (run.rssKiB !== undefined) rssKiB = Math.max(rssKiB ?? 0, run.rssKiB);
  }
  return { run: { seconds: seconds * (side.scale ?? 1), rssKiB }, count: (side.counter?.() ?? 0) - before };
}

export interface CompareOptions {
  /**
   * Runs of seconds: no warm-up (it would cost a whole round; all the data is on tmpfs and was just
   * read), every run under /usr/bin/time (its ~4 ms are noise there), peak RSS the median of the runs.
   */
  long?: boolean;
}

async function sampleRss(sides: Side[], samples: number, scratch: string): Promise<Array<number | undefined>> {
  const peaks: number[][] = sides.map(() => []);
  for (let sample = 0; sample < samples; sample++) {
    for (const [index, side] of sides.entries()) {
      const { rssKiB } = (await runSide(side, scratch, true)).run;
      if (rssKiB !== undefined) peaks[index]?.push(rssKiB);
    }
  }
  return peaks.map((values) => (values.length > 0 ? median(values) : undefined));
}

/**
 * Untimed runs first, A B (C) in turn, that read each side's peak RSS and warm up (page cache, the
 * registry's own caches); then `rounds` timed rounds of A B (C), so a slow minute of the machine hits
 * every side alike. Times are medians; peak RSS is the median of the untimed runs (with `long`, of the
 * timed runs).
 */
export async function compare(label: string, sides: Side[], rounds: number, scratch: string, options: CompareOptions = {}): Promise<SideResult[]> {
  const results: SideResult[] = sides.map((side) => ({ name: side.name, runs: [], counts: [], seconds: 0, rssKiB: undefined }));
  if (!options.long) {
    process.stderr.write(`  ${label}: warm-up and peak RSS`);
    const peaks = await sampleRss(sides, RSS_SAMPLES, scratch);
    peaks.forEach((peak, index) => ((results[index] as SideResult).rssKiB = peak));
  }
  for (let round = 1; round <= rounds; round++) {
    process.stderr.write(`\r  ${label}: round ${round}/${rounds}   `);
    for (const [index, side] of sides.entries()) {
      const { run, count } = await runSide(side, scratch, options.long === true);
      const result = results[index] as SideResult;
      result.runs.push(run);
      result.counts.push(count);
    }
  }
  process.stderr.write('\n');
  for (const result of results) {
    result.seconds = median(result.runs.map((run) => run.seconds));
    const peaks = result.runs.flatMap((run) => (run.rssKiB === undefined ? [] : [run.rssKiB]));
    if (options.long && peaks.length > 0) result.rssKiB = median(peaks);
  }
  return results;
}
