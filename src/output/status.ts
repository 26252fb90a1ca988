// Everything acrx writes to stderr: warnings, errors, verbose and debug lines, and progress.
// TTY and colour decisions are made here and nowhere else.
import type { ChalkInstance } from 'chalk';
import { TransferBars, transferLines, type Transfer } from './transfers.js';

export type Verbosity = 'errors' | 'normal' | 'verbose' | 'debug';

export interface OutputStream {
  write(chunk: string | Uint8Array): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * Whether to colour what goes to this stream: never with NO_COLOR (any non-empty value); with
 * FORCE_COLOR, 0 (or false) means never, even on a terminal, and 1/2/3 (or empty, or true) means
 * always, even into a pipe; otherwise on a terminal that is not dumb.
 */
export function colorAllowed(stream: OutputStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR?.toLowerCase();
  if (force === '0' || force === 'false') return false;
  if (force === '' || force === '1' || force === '2' || force === '3' || force === 'true') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** The colour decision for both streams, made once per run and handed to chalk, ora, the renderers and commander. */
export interface ColorDecision {
  stdout: boolean;
  stderr: boolean;
}

export function decideColors(io: { stdout: OutputStream; stderr: OutputStream; env: NodeJS.ProcessEnv }): ColorDecision {
  return { stdout: colorAllowed(io.stdout, io.env), stderr: colorAllowed(io.stderr, io.env) };
}


/**
 * What colours the lines of a stream that gets colour (chalk), else undefined. chalk loads only here, and
 * only when it will paint: on load it reads the environment and the terminal, ~4 ms that a run writing
 * into a pipe would spend for nothing.
 */
export async function painter(color: boolean): Promise<ChalkInstance | undefined> {
  return color ? new (await import('chalk')).Chalk({ level: 1 }) : undefined;
}

/** ora's default ('dots'). */
const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

type Level = 'ERROR' | 'WARNING' | 'INFO' | 'DEBUG';
const PAINT: Record<Level, (chalk: ChalkInstance) => ChalkInstance> = {
  ERROR: (chalk) => chalk.red,
  WARNING: (chalk) => chalk.yellow,
  INFO: (chalk) => chalk.cyan,
  DEBUG: (chalk) => chalk.gray,
};

export class Status {
  private spinnerActive = false;
  private bars: TransferBars | undefined;

  /** `paint`: from painter(), when stderr gets colour. */
  constructor(
    private readonly stderr: OutputStream,
    readonly verbosity: Verbosity,
    private readonly paint: ChalkInstance | undefined,
  ) {}

  error(message: string): void {
    this.line('ERROR', message);
  }

  warn(message: string): void {
    if (this.verbosity !== 'errors') this.line('WARNING', message);
  }

  /** A plain line for the user (docker's 'Login Succeeded'); not shown with --only-show-errors. */
  note(message: string): void {
    if (this.verbosity !== 'errors') this.stderr.write(`${message}\n`);
  }

  info(message: string): void {
    if (this.verbosity === 'verbose' || this.verbosity === 'debug') this.line('INFO', message);
  }

  debug(message: string): void {
    if (this.verbosity === 'debug') this.line('DEBUG', message);
  }

  get debugging(): boolean {
    return this.verbosity === 'debug';
  }

  /**
   * Runs a task that may take a while, with a spinner on a TTY that shows the seconds passing once
   * there is more than one. `report` updates the spinner text; without a TTY (or with
   * --only-show-errors / --debug) nothing is drawn. With --verbose a line says what was done (`done`,
   * else the label) and how long it took: 'listed 1,000 tags of hello in 0.4 s'.
   */
  async progress<T>(label: string, task: (report: (text: string) => void) => Promise<T>, done?: (result: T) => string): Promise<T> {
    const started = Date.now();
    const result = await this.withSpinner(label, task);
    if (this.verbosity === 'verbose' || this.verbosity === 'debug') this.info(`${done ? done(result) : label} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
  }

  private async withSpinner<T>(label: string, task: (report: (text: string) => void) => Promise<T>): Promise<T> {
    if (!this.interactive() || this.spinnerActive || this.bars) return task(() => undefined);
    const { default: ora } = await import('ora');
    // The frames are coloured here, by this run's decision: ora's own colour follows chalk's global
    // guess from the environment, which knows nothing of FORCE_COLOR=0 on a terminal.
    const frames = SPINNER_FRAMES.map((frame) => (this.paint ? this.paint.cyan(frame) : frame));
    const spinner = ora({ text: label, stream: this.stderr as NodeJS.WritableStream, spinner: { frames, interval: 80 }, color: false, isEnabled: true }).start();
    const started = Date.now();
    const clock = setInterval(() => {
      const seconds = (Date.now() - started) / 1000;
      if (seconds >= 1) spinner.suffixText = `(${seconds.toFixed(0)} s)`;
    }, 250);
    this.spinnerActive = true;
    try {
      return await task((text) => {
        spinner.text = text;
      });
    } finally {
      clearInterval(clock);
      spinner.stop();
      this.spinnerActive = false;
    }
  }

  /** A blob moving: a bar on a terminal, a line per blob with --verbose elsewhere, otherwise nothing. */
  transfer(label: string, total: number): Transfer {
    if (this.interactive()) return (this.bars ??= new TransferBars(this.stderr)).start(label, total);
    if (this.verbosity === 'verbose' || this.verbosity === 'debug') return transferLines((line) => this.info(line))(label, total);
    return { advance: () => undefined, done: () => undefined };
  }

  private interactive(): boolean {
    // A terminal that reports no width (some pseudo-terminals) would make a redraw loop endlessly.
    return this.stderr.isTTY === true && (this.stderr.columns ?? 0) > 0 && this.verbosity === 'normal';
  }

  private line(level: Level, message: string): void {
    const text = `${level}: ${message}`;
    this.stderr.write(`${this.paint ? PAINT[level](this.paint)(text) : text}\n`);
  }
}
