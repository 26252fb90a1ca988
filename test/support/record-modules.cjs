// Preloaded with NODE_OPTIONS=--require by test/integration/startup.test.ts: on exit, writes the Node
// built-in modules the process loaded (process.moduleLoadList) to $ACRX_TEST_MODULES_FILE, then one
// line 'process.<name>' for each of Node's standard streams the process asked for.
'use strict';
const asked = new Set();
for (const name of ['stdin', 'stdout', 'stderr']) {
  const own = Object.getOwnPropertyDescriptor(process, name);
  Object.defineProperty(process, name, {
    ...own,
    get() {
      asked.add(name);
      return own.get.call(process);
    },
  });
}
process.on('exit', () => {
  const lines = [...process.moduleLoadList, ...[...asked].map((name) => `process.${name}`)];
  require('node:fs').writeFileSync(process.env.ACRX_TEST_MODULES_FILE, lines.join('\n'));
});
