// Colour and progress as a user at a real terminal sees them (a pseudo-terminal through script(1),
// 80 columns), against a real loopback registry: the spinner's colour follows NO_COLOR and
// FORCE_COLOR, and --verbose says what was listed and how long it took.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACRX_BIN, isolatedEnv, runCli } from '../support/cli.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { pushImage } from '../support/seed.js';
import { missingToolMessage, requireBinary } from '../support/tools.js';

const hasScript = requireBinary('script') !== undefined;
if (!hasScript && process.env.CI === 'true') throw new Error(missingToolMessage('script'));

const CYAN = '\u001b[36m';
let registry: RunningRegistry;

beforeAll(async () => {
  registry = await startRegistry();
  await pushImage(registry.url, 'hello', { tags: ['v1', 'v2'] });
});
afterAll(() => registry?.stop());

/** Everything acrx wrote to the terminal (stdout and stderr together), as the terminal received it. */
function onTerminal(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const command = ['stty cols 80;', process.execPath, ACRX_BIN, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', command, '/dev/null'], { env: isolatedEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let transcript = '';
    child.stdout.on('data', (chunk: Buffer) => (transcript += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', () => resolve(transcript));
  });
}

describe.skipIf(!hasScript)('the spinner on a terminal', () => {
  const list = () => ['repository', 'show-tags', '-n', registry.host, '--repository', 'hello'];

  it('is drawn in cyan', async () => {
    const transcript = await onTerminal(list());
    expect(transcript).toContain('listing tags of hello');
    expect(transcript).toContain(CYAN);
  });

  it.each([[{ NO_COLOR: '1' }], [{ FORCE_COLOR: '0' }]])('has no colour with %j', async (env) => {
    const transcript = await onTerminal(list(), env);
    expect(transcript).toContain('listing tags of hello');
    expect(transcript).not.toContain(CYAN);
  });
});

describe('--verbose', () => {
  it('says what was listed and how long it took', async () => {
    const result = await runCli(['repository', 'show-tags', '-n', registry.host, '--repository', 'hello', '--verbose']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^INFO: listed 2 tags of hello in \d+\.\d s$/m);
  });

  it('says how many repositories were listed', async () => {
    const result = await runCli(['repository', 'list', '-n', registry.host, '--verbose']);
    expect(result.stderr).toMatch(/^INFO: listed 1 repository in \d+\.\d s$/m);
  });
});
