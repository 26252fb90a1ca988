// Everything acrx writes to stderr: warnings, errors, verbose and debug lines, and progress.
// TTY and colour decisions are made here and nowhere else.
import { Chalk, type ChalkInstance } from 'chalk';
import { TransferBars, transferLines, type Transfer } from './transfers.js';

export type Verbosity = 'errors' | 'normal' | 'verbose' | 'debug';

export interface OutputStream {
  write(chunk: string | Uint8Array): unknown;
  isTTY?: boolean;
  columns?: number;
}

export function colorAllowed(stream: OutputStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

type Level = 'ERROR' | 'WARNING' | 'INFO' | 'DEBUG';
const PAINT: Record<Level, (chalk: ChalkInstance) => ChalkInstance> = {
  ERROR: (chalk) => chalk.red,
  WARNING: (chalk) => chalk.yellow,
  INFO: (chalk) => chalk.cyan,
  DEBUG: (chalk) => chalk.gray,
};

export class Status {
  private spinnerActive = false;
  private readonly chalk: ChalkInstance;
  private bars: TransferBars | undefined;

  constructor(
    private readonly stderr: OutputStream,
    readonly verbosity: Verbosity,
    color: boolean,
  ) {
    this.chalk = new Chalk({ level: color ? 1 : 0 });
  }

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
   * Runs a task that may take a while, with a spinner on a TTY. `report` updates the spinner text;
   * without a TTY (or with --only-show-errors / --debug) nothing is drawn.
   */
  async progress<T>(label: string, task: (report: (text: string) => void) => Promise<T>): Promise<T> {
    if (!this.interactive() || this.spinnerActive || this.bars) return task(() => undefined);
    const { default: ora } = await import('ora');
    const spinner = ora({ text: label, stream: this.stderr as NodeJS.WritableStream, color: 'cyan', isEnabled: true }).start();
    this.spinnerActive = true;
    try {
      return await task((text) => {
        spinner.text = text;
      });
    } finally {
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
    this.stderr.write(`${PAINT[level](this.chalk)(`${level}: ${message}`)}\n`);
  }
}
