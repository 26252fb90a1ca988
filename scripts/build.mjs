// npm run build: type-checks src/ (tsc), then bundles each program into one CommonJS file with esbuild,
// so that a start reads one file and never starts Node's ES module loader. bin/ compiles the bundle
// through V8's code cache (bin/load-bundle.cjs). Code a command may never run (the completion
// generators, the renderers) is bundled too, but only evaluated on first use. The larger third-party
// libraries that only some commands use (YAML, tar, the JMESPath engine, the spinner, undici's
// fallback parser) are parts of their own in dist/parts/, read only by the commands that use them;
// @azure/identity stays outside the bundle and is loaded from node_modules only for Entra ID.
import { build } from 'esbuild';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startupPatches } from './build-patches.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

// Each part's entry: what it exports, as the bundle imports it. Only third-party code, which imports
// nothing of acrx's, so no module of acrx's is ever in two files.
const PARTS = {
  yaml: "export * from 'yaml';",
  tar: "export * from 'tar';",
  jmespath: "export * from '@jmespath-community/jmespath';",
  // The function itself: the bundle's import('ora') takes a CommonJS module's exports as its default.
  ora: "module.exports = require('ora').default;",
  // undici's llhttp without SIMD, for CPUs whose WebAssembly lacks it.
  'llhttp-wasm': "module.exports = require('undici/lib/llhttp/llhttp-wasm.js');",
};
const PART_OF = { yaml: 'yaml', tar: 'tar', '@jmespath-community/jmespath': 'jmespath', ora: 'ora' };

// Every file in dist/ is one function expression, not a module: bin/load-bundle.cjs compiles it as it
// stands (no wrapper to add, so V8 never copies the source to join one on) and calls it with what a
// CommonJS module gets, plus the function that loads a part.
const common = {
  absWorkingDir: root,
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  // src/ is ES modules; the one use of import.meta (version.ts: the package.json beside dist/) gets
  // the bundle's own URL.
  define: { 'import.meta.url': '__acrxBundleUrl' },
  banner: {
    js: "(function (exports, require, module, __filename, __dirname, __acrxPart) {const __acrxBundleUrl = require('node:url').pathToFileURL(__filename).href;",
  },
  footer: { js: '\n})' },
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: true,
  // Error classes name themselves (new.target.name): keep the names.
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
};

// In the programs' bundles, an import of a part's library becomes a call that loads the part.
const partsOutside = {
  name: 'acrx-parts-outside',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(PART_OF).map((name) => name.replace(/[.]/g, '\\.')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: PART_OF[args.path], namespace: 'acrx-part' }));
    build.onResolve({ filter: /[\\/]llhttp[\\/]llhttp-wasm\.js$|^\.\.\/llhttp\/llhttp-wasm\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]undici[\\/]/.test(args.importer) ? { path: 'llhttp-wasm', namespace: 'acrx-part' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'acrx-part' }, (args) => ({
      contents: `module.exports = __acrxPart(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

// The parts' own entries, written out of PARTS.
const partEntries = {
  name: 'acrx-part-entries',
  setup(build) {
    build.onResolve({ filter: /^acrx-part:/ }, (args) => ({ path: args.path.slice('acrx-part:'.length), namespace: 'acrx-part-entry' }));
    build.onLoad({ filter: /.*/, namespace: 'acrx-part-entry' }, (args) => ({ contents: PARTS[args.path], resolveDir: root, loader: 'js' }));
  },
};

await build({
  ...common,
  entryPoints: Object.fromEntries(Object.keys(PARTS).map((part) => [`parts/${part}`, `acrx-part:${part}`])),
  plugins: [partEntries],
});

await build({
  ...common,
  entryPoints: { acrx: 'src/cli/run.ts', 'docker-credential-acrx': 'src/credential-helper/main.ts' },
  external: ['@azure/identity'],
  // Eager loads of Node built-ins in commander and undici that acrx never uses (build-patches.mjs).
  plugins: [partsOutside, startupPatches()],
});

// bin/load-bundle.cjs compiles the bundles as vm scripts, where Node 20 has no import(): none may be
// left. It reads them as latin1, which holds for ASCII (esbuild's default charset escapes the rest).
const bundles = ['acrx.cjs', 'docker-credential-acrx.cjs', ...readdirSync(new URL('../dist/parts', import.meta.url)).map((file) => `parts/${file}`)];
for (const bundle of bundles) {
  const text = readFileSync(new URL(`../dist/${bundle}`, import.meta.url), 'latin1');
  const found = /(?<![\w$.])import\(/.exec(text);
  if (found) throw new Error(`dist/${bundle} calls import() (${text.slice(found.index, found.index + 60)}): load it with require() or process.getBuiltinModule()`);
  if (/[^\x00-\x7f]/.test(text)) throw new Error(`dist/${bundle} is not ASCII: bin/load-bundle.cjs reads it as latin1`);
}

// The --help texts bin/acrx.cjs answers from without loading the CLI (and without a code cache: the
// build is not a user's run).
process.env.NODE_DISABLE_COMPILE_CACHE = '1';
const { helpTexts } = createRequire(import.meta.url)('../bin/load-bundle.cjs').loadBundle('acrx');
writeFileSync(new URL('../dist/help.json', import.meta.url), `${JSON.stringify(await helpTexts())}\n`);
