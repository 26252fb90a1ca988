// Process glue for bin/acrx.cjs: the standard streams, Ctrl-C as exit 130, the exit code.
import { setMaxListeners } from 'node:events';
import { flushed, standardStream } from '../output/standard-stream.js';

/** Every command's --help text, for the build to store beside the bundle (see help-texts.ts). */
export async function helpTexts(): Promise<Record<string, string>> {
  return (await import('./help-texts.js')).helpTexts();
}

export async function run(): Promise<void> {
  const args = process.argv.slice(2);
  const { main } = await import('./main.js');
  const controller = new AbortController();
  // Every in-flight request listens on this one signal; thousands may be pending in a large listing.
  setMaxListeners(0, controller.signal);
  const onInterrupt = (): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onInterrupt);
  const stdout = standardStream(1);
  const stderr = standardStream(2);
  const code = await main(args, {
    stdout,
    stderr,
    // Read only by the commands that take input: opening stdin loads Node's stream modules (~4 ms).
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    signal: controller.signal,
    exitsAfterRun: true,
  });
  process.exitCode = code;
  // Nothing is pending once main() returned but the registry connections, left open for the operating
  // system to close (exitsAfterRun): exit as soon as the output is flushed.
  await Promise.all([flushed(stdout), flushed(stderr)]);
  process.exit(code);
}
