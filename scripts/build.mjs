// npm run build: type-checks src/ (tsc), then bundles each program into one CommonJS file with esbuild,
// so that a start reads one file and never starts Node's ES module loader. bin/ compiles the bundle
// through V8's code cache (bin/load-bundle.cjs). Code a command may never run (the JMESPath engine,
// YAML, the spinner, the completion generators) is bundled too, but only evaluated on first use;
// @azure/identity stays outside the bundle and is loaded from node_modules only for Entra ID.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startupPatches } from './build-patches.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: { acrx: 'src/cli/run.ts', 'docker-credential-acrx': 'src/credential-helper/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  external: ['@azure/identity'],
  // src/ is ES modules; the one use of import.meta (version.ts: the package.json beside dist/) gets
  // the bundle's own URL.
  define: { 'import.meta.url': '__acrxBundleUrl' },
  banner: { js: "const __acrxBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: true,
  // Error classes name themselves (new.target.name): keep the names.
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
  // Eager loads of Node built-ins in commander and undici that acrx never uses (build-patches.mjs).
  plugins: [startupPatches()],
});

// bin/load-bundle.cjs compiles the bundles as vm scripts, where Node 20 has no import(): none may be
// left. It reads them as latin1, which holds for ASCII (esbuild's default charset escapes the rest).
for (const bundle of ['acrx', 'docker-credential-acrx']) {
  const text = readFileSync(new URL(`../dist/${bundle}.cjs`, import.meta.url), 'latin1');
  const found = /(?<![\w$.])import\(/.exec(text);
  if (found) throw new Error(`dist/${bundle}.cjs calls import() (${text.slice(found.index, found.index + 60)}): load it with require() or process.getBuiltinModule()`);
  if (/[^\x00-\x7f]/.test(text)) throw new Error(`dist/${bundle}.cjs is not ASCII: bin/load-bundle.cjs reads it as latin1`);
}

// The --help texts bin/acrx.cjs answers from without loading the CLI.
const { helpTexts } = createRequire(import.meta.url)('../dist/acrx.cjs');
writeFileSync(new URL('../dist/help.json', import.meta.url), `${JSON.stringify(await helpTexts())}\n`);
