// bin/acrx.cjs answers `--help` from texts stored at build time when stdout is not a terminal: they
// must be exactly what commander prints.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { helpTexts } from '../../../src/cli/help-texts.js';
import { runCli, spawnCli } from '../../support/cli.js';

describe('--help', () => {
  const texts = helpTexts();

  it('stores a text for every command and group', () => {
    expect(Object.keys(texts)).toEqual(expect.arrayContaining(['', 'repository', 'repository show-tags', 'manifest', 'manifest list-referrers', 'tag lock', 'login', 'configure']));
  });

  it.each(Object.keys(texts))("'%s --help' prints the stored text, as commander prints it", async (path) => {
    const result = await runCli([...(path ? path.split(' ') : []), '--help']);
    expect(result).toEqual({ code: 0, stdout: texts[path], stderr: '' });
  });

  it('the built bundle stores the same texts, and the program answers from them', async () => {
    const built = JSON.parse(readFileSync(new URL('../../../dist/help.json', import.meta.url), 'utf8')) as Record<string, string>;
    expect(built).toEqual(texts);
    expect(await spawnCli(['manifest', 'show', '-h'])).toEqual({ code: 0, stdout: texts['manifest show'], stderr: '' });
    // Not a stored path: commander answers, as it would have anyway.
    expect(await spawnCli(['repository', 'nope', '--help'])).toEqual(await runCli(['repository', 'nope', '--help']));
  });
});
