#!/usr/bin/env node
// acrx. The answers scripts ask for most often come straight from files beside the bundle, without
// loading the CLI: `--version` (`-v`, `version`), and `--help` (`-h`, `help WORDS...`) when stdout is
// not a terminal (the help texts are rendered at build time for that case: 80 columns, no colour).
// CommonJS, like the bundle, so that no path starts Node's ES module loader.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const args = process.argv.slice(2);
const last = args[args.length - 1];
const helpPath = args[0] === 'help' ? args.slice(1) : last === '--help' || last === '-h' ? args.slice(0, -1) : undefined;
const help = !process.stdout.isTTY && helpPath !== undefined ? storedHelp(helpPath) : undefined;
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v' || args[0] === 'version')) {
  process.stdout.write(`${JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version}\n`);
} else if (help !== undefined) {
  process.stdout.write(help);
} else {
  // undici parses HTTP/1.1 with llhttp compiled to WebAssembly; V8's optimizing tier would compile it on
  // every start (a 100-tag read: 109 ms and 88 MB instead of 48 ms and 52 MB), for responses the baseline
  // compiler parses about as fast. Set before the bundle is compiled: V8 takes a code cache only under
  // the flags it was made with.
  require('node:v8').setFlagsFromString('--liftoff-only');
  require('./load-bundle.cjs').loadBundle('acrx', args[0]).run();
}

function storedHelp(path) {
  try {
    const texts = JSON.parse(readFileSync(join(__dirname, '..', 'dist', 'help.json'), 'utf8'));
    return Object.hasOwn(texts, path.join(' ')) ? texts[path.join(' ')] : undefined;
  } catch {
    return undefined;
  }
}
