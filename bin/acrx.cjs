#!/usr/bin/env node
// acrx. The answers scripts ask for most often come straight from files beside the bundle, without
// loading the CLI: `--version` (`-v`, `version`), and `--help` (`-h`, `help WORDS...`) when stdout is
// not a terminal (the help texts are rendered at build time for that case: 80 columns, no colour).
// CommonJS, like the bundle, so that no path starts Node's ES module loader.
'use strict';
const { fstatSync, readFileSync, writeSync } = require('node:fs');
const { join } = require('node:path');

// The first words of the commands that talk to a registry (src/cli/program.ts has them all).
const REGISTRY_COMMANDS = new Set(['repository', 'manifest', 'artifact', 'purge', 'login', 'logout', 'tag', '__complete']);

const args = process.argv.slice(2);
const last = args[args.length - 1];
const helpPath = args[0] === 'help' ? args.slice(1) : last === '--help' || last === '-h' ? args.slice(0, -1) : undefined;
const help = helpPath !== undefined && !stdoutIsTerminal() ? storedHelp(helpPath) : undefined;
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v' || args[0] === 'version')) {
  writeOut(`${JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version}\n`);
} else if (help !== undefined) {
  writeOut(help);
} else {
  // undici parses HTTP/1.1 with llhttp compiled to WebAssembly; V8's optimizing tier would compile it on
  // every start (a 100-tag read: 109 ms and 88 MB instead of 48 ms and 52 MB), for responses the baseline
  // compiler parses about as fast. Set before the bundle is compiled: V8 takes a code cache only under
  // the flags it was made with. That holds for Node's own modules too, whose caches were made under the
  // default flags: one loaded after this is compiled from its source. So what every run needs loads
  // first (the loader's vm and module; os, for the settings file; process, for commander), net when the
  // command talks to a registry, and tty when stdout or stderr may be a terminal (a character device:
  // a terminal, or /dev/null). tls and crypto, which only some registries need, still load after.
  const { loadBundle } = require('./load-bundle.cjs');
  require('node:os');
  require('node:process');
  if (REGISTRY_COMMANDS.has(args[0])) require('node:net');
  if (isCharacterDevice(1) || isCharacterDevice(2)) require('node:tty');
  require('node:v8').setFlagsFromString('--liftoff-only');
  loadBundle('acrx', args[0]).run();
}

// Only a character device can be a terminal: asking fstat first spares pipes and files the tty module.
function stdoutIsTerminal() {
  return isCharacterDevice(1) && require('node:tty').isatty(1);
}

function isCharacterDevice(fd) {
  try {
    return fstatSync(fd).isCharacterDevice();
  } catch {
    return false;
  }
}

// Written to fd 1 at once, as the CLI writes (src/output/standard-stream.ts): a pipe the caller left
// non-blocking that is full takes the rest through process.stdout, a reader that is gone is let go, and
// any other failure (a full disk) is exit 1.
function writeOut(text) {
  let bytes = Buffer.from(text, 'utf8');
  try {
    while (bytes.length > 0) bytes = bytes.subarray(writeSync(1, bytes));
  } catch (error) {
    if (error.code === 'EAGAIN') process.stdout.write(bytes);
    else if (error.code !== 'EPIPE') {
      process.stderr.write(`ERROR: cannot write the output: ${error.message}\n`);
      process.exitCode = 1;
    }
  }
}

function storedHelp(path) {
  try {
    const texts = JSON.parse(readFileSync(join(__dirname, '..', 'dist', 'help.json'), 'utf8'));
    return Object.hasOwn(texts, path.join(' ')) ? texts[path.join(' ')] : undefined;
  } catch {
    return undefined;
  }
}
