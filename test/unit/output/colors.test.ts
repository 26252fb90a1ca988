// One colour decision from the terminal, NO_COLOR and FORCE_COLOR, and everything that colours
// (error lines, the spinner) following it.
import { setMaxListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { colorAllowed, painter, Status } from '../../../src/output/status.js';

const RED = '\u001b[31m';
const CYAN = '\u001b[36m';

class Terminal {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns = 80,
  ) {}
  write(chunk: string | Uint8Array): boolean {
    this.text += chunk.toString();
    return true;
  }
  // What ora asks of a terminal stream.
  cursorTo(): boolean {
    return true;
  }
  clearLine(): boolean {
    return true;
  }
  moveCursor(): boolean {
    return true;
  }
}

describe('the colour decision', () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { TERM: 'dumb' }, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [true, { FORCE_COLOR: '0' }, false],
    [true, { FORCE_COLOR: 'false' }, false],
    [false, { FORCE_COLOR: '1' }, true],
    [false, { FORCE_COLOR: '3' }, true],
    [false, { FORCE_COLOR: '' }, true],
    [false, { FORCE_COLOR: '1', NO_COLOR: '1' }, false],
  ] as const)('on a terminal: %s, with %j: colour %s', (isTTY, env, expected) => {
    expect(colorAllowed(new Terminal(isTTY), env)).toBe(expected);
  });
});

async function errorLine(isTTY: boolean, env: NodeJS.ProcessEnv): Promise<string> {
  const stderr = new Terminal(isTTY);
  const signal = new AbortController().signal;
  setMaxListeners(0, signal);
  const code = await main(['repository', 'list', '--top', 'none'], { stdout: new Terminal(isTTY), stderr, env, signal });
  expect(code).toBe(2);
  return stderr.text;
}

describe('error lines follow the decision', () => {
  it('are red on a terminal, and not with FORCE_COLOR=0 there', async () => {
    expect(await errorLine(true, {})).toContain(RED);
    expect(await errorLine(true, { FORCE_COLOR: '0' })).not.toContain('\u001b[');
  });

  it('are red in a pipe with FORCE_COLOR=1, and never with NO_COLOR', async () => {
    expect(await errorLine(false, { FORCE_COLOR: '1' })).toContain(RED);
    expect(await errorLine(false, { NO_COLOR: '1', FORCE_COLOR: '1' })).not.toContain('\u001b[');
  });
});

describe('the spinner follows the decision', () => {
  const spin = async (color: boolean): Promise<string> => {
    const stderr = new Terminal(true);
    await new Status(stderr, 'normal', await painter(color)).progress('listing tags of hello', async () => 'done');
    return stderr.text;
  };

  it('is cyan when colour is on', async () => {
    const drawn = await spin(true);
    expect(drawn).toContain('listing tags of hello');
    expect(drawn).toContain(CYAN);
  });

  it('has no colour when colour is off', async () => {
    const drawn = await spin(false);
    expect(drawn).toContain('listing tags of hello');
    expect(drawn).not.toContain(CYAN);
  });
});

describe('--verbose progress lines', () => {
  it('say what was done and how long it took', async () => {
    const stderr = new Terminal(false);
    const names = await new Status(stderr, 'verbose', undefined).progress(
      'listing tags of hello',
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 120));
        return Array.from({ length: 1000 }, (_, index) => `t${index}`);
      },
      (listed) => `listed ${listed.length.toLocaleString('en-US')} tags of hello`,
    );
    expect(names).toHaveLength(1000);
    expect(stderr.text).toMatch(/^INFO: listed 1,000 tags of hello in 0\.[1-9] s\n$/);
  });

  it('fall back to the label, and stay silent without --verbose', async () => {
    const verbose = new Terminal(false);
    await new Status(verbose, 'verbose', undefined).progress('reading hello', async () => 1);
    expect(verbose.text).toMatch(/^INFO: reading hello in \d+\.\d s\n$/);
    const quiet = new Terminal(false);
    await new Status(quiet, 'normal', undefined).progress('reading hello', async () => 1);
    expect(quiet.text).toBe('');
  });
});
