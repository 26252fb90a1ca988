// Start-up patches to bundled dependencies, applied by esbuild as it reads their files (scripts/build.mjs).
// Each replaces an eager load of a Node built-in that acrx's own use of the library never needs with a
// lazy one or a stand-in, and says why that is safe. Each names the exact text it replaces: when a new
// version of the library changes that text, the build fails instead of quietly bundling the old load.
import { readFile } from 'node:fs/promises';

const PATCHES = [
  {
    file: 'commander/lib/command.js',
    // child_process and what it pulls in (~5 ms) serve executable subcommands, which acrx has none of.
    from: "const childProcess = require('node:child_process');",
    to: "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };",
  },
  {
    file: 'undici/lib/dispatcher/client.js',
    // The HTTP/2 half, and with it node:http2 (~6 ms), loads when a connection first negotiates h2.
    from: "const connectH2 = require('./client-h2.js')",
    to: "const connectH2 = (...args) => require('./client-h2.js')(...args)",
  },
  {
    file: 'undici/lib/dispatcher/client.js',
    // node:http (~5 ms) is read here for its default maxHeaderSize only, which undici uses when the
    // agent is given none; acrx's agent is always given one (src/transport/base.ts).
    from: "const http = require('node:http')",
    to: 'const http = { maxHeaderSize: 16384 }',
  },
  {
    file: 'undici/lib/core/util.js',
    // node:http is read here to recognise a request body that is an incoming HTTP message (a proxied
    // request); acrx's request bodies are buffers, strings and file streams, never that.
    from: "const { IncomingMessage } = require('node:http')",
    to: 'const IncomingMessage = class NeverAnIncomingMessage {}',
  },
];

// undici checks its own invariants with node:assert, which costs ~4 ms to load at every start (it loads
// its own error formatting and call tracking). Its files call assert(value[, message]) and nothing
// else of the module; they get this function instead, which loads node:assert only to throw as it would.
const LAZY_ASSERT = `module.exports = function assert(value, message) {
  if (!value) require('node:assert')(value, message);
};`;

export function startupPatches() {
  return {
    name: 'acrx-startup-patches',
    setup(build) {
      build.onResolve({ filter: /^(node:)?assert$/ }, (args) =>
        /[\\/]node_modules[\\/]undici[\\/]/.test(args.importer) ? { path: 'undici-assert', namespace: 'acrx-lazy-assert' } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'acrx-lazy-assert' }, () => ({ contents: LAZY_ASSERT, loader: 'js' }));
      for (const file of new Set(PATCHES.map((patch) => patch.file))) {
        // node_modules/<file>, with either separator.
        const filter = new RegExp(`[\\\\/]node_modules[\\\\/]${file.replace(/[.]/g, '\\.').replace(/\//g, '[\\\\/]')}$`);
        build.onLoad({ filter }, async (args) => {
          let source = await readFile(args.path, 'utf8');
          for (const patch of PATCHES.filter((candidate) => candidate.file === file)) {
            if (!source.includes(patch.from)) throw new Error(`${args.path} no longer has the text ${patch.from} (scripts/build-patches.mjs)`);
            source = source.replace(patch.from, patch.to);
          }
          return { contents: source, loader: 'js' };
        });
      }
    },
  };
}
