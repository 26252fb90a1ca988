// Everything acrx writes to stderr: warnings, errors, verbose and debug lines, and progress.
// TTY and colour decisions are made here and nowhere else.

export type Verbosity = 'errors' | 'normal' | 'verbose' | 'debug';

export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export function colorAllowed(stream: OutputStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

const PAINT: Record<string, [string, string]> = {
  ERROR: ['\u001b[31m', '\u001b[39m'],
  WARNING: ['\u001b[33m', '\u001b[39m'],
  INFO: ['\u001b[36m', '\u001b[39m'],
  DEBUG: ['\u001b[90m', '\u001b[39m'],
};

export class Status {
  private spinnerActive = false;

  constructor(
    private readonly stderr: OutputStream,
    readonly verbosity: Verbosity,
    private readonly color: boolean,
  ) {}

  error(message: string): void {
    this.line('ERROR', message);
  }

  warn(message: string): void {
    if (this.verbosity !== 'errors') this.line('WARNING', message);
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
    const interactive = this.stderr.isTTY === true && this.verbosity === 'normal' && !this.spinnerActive;
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

  private line(level: keyof typeof PAINT, message: string): void {
    const [open, close] = this.color ? (PAINT[level] ?? ['', '']) : ['', ''];
    this.stderr.write(`${open}${level}: ${message}${close}\n`);
  }
}
