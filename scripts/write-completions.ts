// npm run completions: writes completions/ from the commander tree, as `acrx completion SHELL` prints
// the scripts. A test fails while the committed files differ from what this writes.
import { writeFileSync } from 'node:fs';
import { COMPLETION_SHELLS } from '../src/cli/completion/shells.js';
import { COMPLETION_FILES, completionScript } from '../src/cli/completion/script.js';
import { buildProgram } from '../src/cli/program.js';

const silent = { write: () => true };
const program = buildProgram({ stdout: silent, stderr: silent, env: {}, signal: new AbortController().signal });
for (const shell of COMPLETION_SHELLS) {
  const file = new URL(`../completions/${COMPLETION_FILES[shell]}`, import.meta.url);
  writeFileSync(file, completionScript(shell, program));
  console.log(`wrote completions/${COMPLETION_FILES[shell]}`);
}
