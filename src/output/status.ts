// Everything acrx writes to stderr: warnings, errors, verbose and debug lines, and progress.
// TTY and colour decisions are made here and nowhere else.
import { Chalk, type ChalkInstance } from 'chalk';

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
    // A terminal that reports no width (some pseudo-terminals) would make the spinner redraw endlessly.
    const sized = (this.stderr.columns ?? 0) > 0;
    const interactive = this.stderr.isTTY === true && sized && this.verbosity === 'normal' && !this.spinnerActive;
    if (!interactive) return task(() => undefined);
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

  private line(level: Level, message: string): void {
    this.stderr.write(`${PAINT[level](this.chalk)(`${level}: ${message}`)}\n`);
  }
}
