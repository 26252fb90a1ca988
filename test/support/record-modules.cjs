// Preloaded with NODE_OPTIONS=--require by test/integration/startup.test.ts: on exit, writes the Node
// built-in modules the process loaded (process.moduleLoadList) to $ACRX_TEST_MODULES_FILE.
'use strict';
process.on('exit', () => {
  require('node:fs').writeFileSync(process.env.ACRX_TEST_MODULES_FILE, process.moduleLoadList.join('\n'));
});
