// Progress of blob transfers on stderr: on a terminal one bar per blob (bytes, total, rate), redrawn
// in place a few times a second; elsewhere nothing, or with --verbose one line per finished blob.

/** The part of stderr the bars need. */
interface Terminal {
  write(chunk: string): unknown;
  columns?: number;
}

export interface Transfer {
  /** Bytes moved since the last call. */
  advance(bytes: number): void;
  /** Finished: `outcome` says how ('pushed', 'exists', 'mounted', 'pulled', ...). */
  done(outcome: string): void;
}

interface Bar {
  label: string;
  total: number;
  moved: number;
  started: number;
  outcome?: string;
}

const REDRAW_MS = 120;

/** Bars drawn in place; the terminal must be a TTY with a known width. */
export class TransferBars {
  private readonly bars: Bar[] = [];
  private drawnLines = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: Terminal,
    private readonly now: () => number = Date.now,
  ) {}

  start(label: string, total: number): Transfer {
    const bar: Bar = { label, total, moved: 0, started: this.now() };
    this.bars.push(bar);
    this.timer ??= setInterval(() => this.draw(), REDRAW_MS).unref();
    return {
      advance: (bytes) => {
        bar.moved += bytes;
      },
      done: (outcome) => {
        bar.outcome = outcome;
        bar.moved = bar.total;
        this.draw();
        if (this.bars.every((each) => each.outcome !== undefined)) this.stop();
      },
    };
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private draw(): void {
    const width = Math.max(40, this.stream.columns ?? 80);
    const lines = this.bars.map((bar) => barLine(bar, width, this.now()));
    // Back to the first bar's line, then every bar again, each line cleared first.
    const up = this.drawnLines > 0 ? `\x1b[${this.drawnLines}F` : '';
    this.stream.write(`${up}${lines.map((line) => `\x1b[2K${line}\n`).join('')}`);
    this.drawnLines = lines.length;
  }
}

/** One line per finished blob, for logs (--verbose off a terminal). */
export function transferLines(write: (line: string) => void, now: () => number = Date.now): (label: string, total: number) => Transfer {
  return (label, total) => {
    const started = now();
    return {
      advance: () => undefined,
      done: (outcome) => write(`${outcome} ${label} (${formatBytes(total)}) in ${((now() - started) / 1000).toFixed(1)} s`),
    };
  };
}

function barLine(bar: Bar, width: number, now: number): string {
  const seconds = Math.max((now - bar.started) / 1000, 0.001);
  const figures = bar.outcome
    ? `${bar.outcome} ${formatBytes(bar.total)}`
    : `${formatBytes(bar.moved)} / ${formatBytes(bar.total)}  ${formatBytes(bar.moved / seconds)}/s`;
  const labelWidth = Math.min(40, Math.max(10, width - figures.length - 16));
  const label = bar.label.length > labelWidth ? `…${bar.label.slice(bar.label.length - labelWidth + 1)}` : bar.label.padEnd(labelWidth);
  const cells = Math.max(5, width - labelWidth - figures.length - 6);
  const filled = bar.total > 0 ? Math.min(cells, Math.round((bar.moved / bar.total) * cells)) : cells;
  return `${label} [${'='.repeat(filled)}${' '.repeat(cells - filled)}] ${figures}`.slice(0, width - 1);
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}
