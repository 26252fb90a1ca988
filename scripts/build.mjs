// npm run build: type-checks src/ (tsc), then bundles the two programs with esbuild so that a start
// reads a few files instead of hundreds. Paths a command may never take (the JMESPath engine, YAML,
// the spinner, the registry stack for --help) stay in chunks of their own, loaded on first use;
// @azure/identity is left outside the bundle and loaded from node_modules only for Entra ID.
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: { acrx: 'src/cli/run.ts', 'docker-credential-acrx': 'src/credential-helper/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  chunkNames: 'chunk-[hash]',
  external: ['@azure/identity'],
  // Bundled CommonJS (commander, undici) calls require() for Node's built-ins.
  banner: { js: "import { createRequire as __acrxRequire } from 'node:module'; const require = __acrxRequire(import.meta.url);" },
  minifyWhitespace: true,
  minifySyntax: true,
  // Error classes name themselves (new.target.name): keep the names.
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
});

// The --help texts bin/acrx.cjs answers from without loading the CLI.
const { helpTexts } = await import(new URL('../dist/acrx.js', import.meta.url).href);
writeFileSync(new URL('../dist/help.json', import.meta.url), `${JSON.stringify(await helpTexts())}\n`);
