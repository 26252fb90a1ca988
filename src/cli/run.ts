// Process glue for bin/acrx.js: real streams, Ctrl-C as exit 130, the exit code.
import { setMaxListeners } from 'node:events';
import { main } from './main.js';

export async function run(): Promise<void> {
  const controller = new AbortController();
  // Every in-flight request listens on this one signal; thousands may be pending in a large listing.
  setMaxListeners(0, controller.signal);
  const onInterrupt = (): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onInterrupt);
  const code = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    signal: controller.signal,
  });
  process.exitCode = code;
}
