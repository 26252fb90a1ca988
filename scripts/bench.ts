// npm run bench: speed and memory of acrx, each figure a ratio against a baseline measured in the same
// run, sides interleaved (A B A B ...) so a slow minute hits both; medians. Everything runs on loopback
// against throw-away registries. Prints the tables and writes them to bench/results.md.
//
//   npm run bench                          the full run (100,000 tags for show-tags; under 10 minutes)
//   ACRX_BENCH_QUICK=1 npm run bench       fewer rounds, smaller repositories, bench/results-quick.md
//                                          (also: npm run bench -- --quick)
//   ACRX_BENCH_ROUNDS=N                    N rounds in every comparison
//   ACRX_BENCH_LARGE_TAGS, ACRX_BENCH_HUGE_TAGS   the 10,000- and 100,000-tag repositories' sizes
//   ACRX_BENCH_SEED=api                    every tag through the registry API (see scripts/bench-seed.ts)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAcrServer, type AcrRecordedRequest, type AcrServer } from '../test/fixtures/acr-server.js';
import { basicAuthorization, fetchToken, startBasicTlsRegistry, startTokenRegistry, type BasicTlsRegistry, type TokenRegistry } from '../test/support/auth-registries.js';
import { startRegistry, type RunningRegistry } from '../test/support/registry.js';
import { withAuth } from '../test/support/seed.js';
import { createTestCa, type TestCa } from '../test/support/tls.js';
import { requireBinary } from '../test/support/tools.js';
import { renderRawRuns, renderSections, ratio, rssTarget, timeTarget, type CountRow, type RatioRow, type Section, type Target } from './bench-report.js';
import { compare, hasTimeCommand, killLiveChildren, runOnce, timedOutside, type Command, type Side, type SideResult } from './bench-run.js';
import { measureArtifacts } from './bench-artifacts.js';
import { measureHostile } from './bench-hostile.js';
import { seedRepository, type SeededRepository } from './bench-seed.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ACRX = path.join(ROOT, 'bin', 'acrx.cjs');
const HELPER = path.join(ROOT, 'bin', 'docker-credential-acrx.cjs');
const NODE = process.execPath;
const QUICK = process.env.ACRX_BENCH_QUICK === '1' || process.argv.includes('--quick');

function positiveInteger(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number above 0, not '${text}'`);
  return value;
}

const ROUNDS_OVERRIDE = process.env.ACRX_BENCH_ROUNDS ? positiveInteger('ACRX_BENCH_ROUNDS', 1) : undefined;
const rounds = (full: number, quick: number): number => ROUNDS_OVERRIDE ?? (QUICK ? quick : full);
/** Rounds per comparison: many where a run is short and the machine's noise is large beside it. */
const ROUNDS = {
  startup: rounds(11, 5),
  medium: rounds(7, 3),
  large: rounds(3, 2),
  auth: rounds(5, 3),
  huge: rounds(7, 3),
  artifacts: rounds(3, 1),
  hostile: rounds(3, 1),
};
const SIZES = {
  small: 100,
  medium: 1_000,
  large: positiveInteger('ACRX_BENCH_LARGE_TAGS', QUICK ? 2_000 : 10_000),
  huge: positiveInteger('ACRX_BENCH_HUGE_TAGS', QUICK ? 10_000 : 100_000),
  acr: 2_000,
};
/** Tags per distinct manifest: CI repositories carry a few tags per build (a version, a commit, latest). */
const TAGS_PER_IMAGE = 4;
/** The 100,000-tag repository only lists tags: a few images are enough. */
const HUGE_IMAGES = 10;
const SKOPEO_SAMPLE = 20;
const ACR_USER = { username: 'bench', password: 'bench-password' };

const started = Date.now();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'acrx-bench-'));
const floorDir = path.join(ROOT, 'node_modules', '.cache', 'acrx-bench');
// Registries and CA directories clean themselves up on exit (test/support); this covers the rest.
process.on('exit', () => {
  killLiveChildren();
  rmSync(scratch, { recursive: true, force: true });
  rmSync(floorDir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    process.stderr.write(`\n${signal}: stopping the measured processes and registries, removing temp files\n`);
    process.exit(130);
  });
}

/** What every measured process gets: nothing of the developer's configuration, no proxy. */
const BASE_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: path.join(scratch, 'home'),
  XDG_CONFIG_HOME: path.join(scratch, 'config'),
  DOCKER_CONFIG: path.join(scratch, 'docker'),
  REGISTRY_AUTH_FILE: path.join(scratch, 'containers-auth.json'),
  ACRX_AZURE_IDENTITY: '0',
  NO_PROXY: '127.0.0.1,localhost,::1',
  no_proxy: '127.0.0.1,localhost,::1',
  ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
};

// ---------------------------------------------------------------------------------------------------
// Checks: every run must give the whole answer, or its time means nothing.

function jsonArrayOf(length: number): (stdout: string) => void {
  return (stdout) => {
    const value = JSON.parse(stdout) as unknown;
    if (!Array.isArray(value) || value.length !== length) {
      throw new Error(`expected a JSON array of ${length}, got ${Array.isArray(value) ? `${value.length} items` : typeof value}`);
    }
  };
}

function printsCount(count: number): (stdout: string) => void {
  return (stdout) => {
    if (stdout.trim() !== String(count)) throw new Error(`expected ${count}, printed ${stdout.trim().slice(0, 80)}`);
  };
}

function nonEmpty(stdout: string): void {
  if (stdout.trim() === '') throw new Error('printed nothing');
}

// ---------------------------------------------------------------------------------------------------
// Sides.

function acrx(args: string[], env: NodeJS.ProcessEnv = BASE_ENV, check: (stdout: string) => void = nonEmpty): Command {
  return { file: NODE, args: [ACRX, ...args], env, check };
}

function acrxSide(args: string[], env?: NodeJS.ProcessEnv, check?: (stdout: string) => void): Side {
  return { name: 'acrx', commands: [acrx(args, env, check)] };
}

function nodeBaseline(env: NodeJS.ProcessEnv = BASE_ENV): Side {
  return { name: '`node -e 0`', commands: [{ file: NODE, args: ['-e', '0'], env }] };
}

function floorSide(floor: string, url: string, seeded: SeededRepository, extra: string[] = [], counter?: () => number): Side {
  return {
    name: 'equal-work floor',
    commands: [{ file: NODE, args: [floor, '--url', url, '--repository', seeded.repository, ...extra], env: BASE_ENV, check: printsCount(seeded.images) }],
    ...(counter ? { counter } : {}),
  };
}

/** `skopeo inspect` of SKOPEO_SAMPLE tags spread over the repository, one after another, scaled to all tags. */
function skopeoInspectSide(skopeo: string, host: string, seeded: SeededRepository): Side {
  const step = seeded.tags.length / SKOPEO_SAMPLE;
  const sample = Array.from({ length: SKOPEO_SAMPLE }, (_, index) => seeded.tags[Math.floor(index * step)] as string);
  return {
    name: `skopeo inspect ×${SKOPEO_SAMPLE}, extrapolated ×${(seeded.tags.length / SKOPEO_SAMPLE).toFixed(0)}`,
    scale: seeded.tags.length / SKOPEO_SAMPLE,
    // --no-tags: without it every inspect also downloads the repository's whole tag list.
    commands: sample.map((tag) => ({
      file: skopeo,
      args: ['inspect', '--tls-verify=false', '--no-tags', `docker://${host}/${seeded.repository}:${tag}`],
      env: BASE_ENV,
      check: nonEmpty,
    })),
  };
}

/** Transpiled to plain ESM beside node_modules, so `node` runs it with no loader and `undici` resolves as it does for acrx. */
async function buildFloor(): Promise<string> {
  const ts = (await import('typescript')).default;
  const source = readFileSync(path.join(ROOT, 'scripts', 'bench-floor.ts'), 'utf8');
  const output = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  mkdirSync(floorDir, { recursive: true });
  const file = path.join(floorDir, 'bench-floor.mjs');
  writeFileSync(file, output.outputText);
  return file;
}

// ---------------------------------------------------------------------------------------------------
// Registries and their data.

interface Fixtures {
  plain: RunningRegistry;
  small: SeededRepository;
  medium: SeededRepository;
  large: SeededRepository;
  huge: SeededRepository;
  acrSmall: SeededRepository;
  acrLarge: SeededRepository;
  basicTls: BasicTlsRegistry;
  basicUser: { username: string; password: string };
  basicSeeded: SeededRepository;
  token: TokenRegistry;
  tokenUser: { username: string; password: string };
  tokenSeeded: SeededRepository;
  acrCa: TestCa;
  acr: AcrServer;
  seedSeconds: number;
  linkedTags: number;
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const begun = Date.now();
  const result = await work();
  process.stderr.write(`  ${label}: ${((Date.now() - begun) / 1000).toFixed(1)} s\n`);
  return result;
}

async function startFixtures(stops: Array<() => Promise<void>>): Promise<Fixtures> {
  const begun = Date.now();
  process.stderr.write('starting registries and seeding\n');
  const plain = await startRegistry();
  stops.push(() => plain.stop());
  const seed = (repository: string, tags: number, tagsPerImage = TAGS_PER_IMAGE): Promise<SeededRepository> =>
    timed(`${repository}: ${tags.toLocaleString('en')} tags`, () => seedRepository(plain.url, plain.storageDir, { repository, tags, tagsPerImage }));
  const small = await seed('small', SIZES.small);
  const medium = await seed('medium', SIZES.medium);
  const large = await seed('large', SIZES.large);
  const huge = await seed('huge', SIZES.huge, Math.ceil(SIZES.huge / HUGE_IMAGES));
  const acrLarge = await seed('acr-large', SIZES.acr);
  const acrSmall = await seed('acr-small', SIZES.small);

  const basicTls = await startBasicTlsRegistry();
  stops.push(() => basicTls.stop());
  const basicUser = { username: 'alice', password: basicTls.users.alice ?? '' };
  const basicSeeded = await timed('TLS + Basic registry', () =>
    seedRepository(withAuth(basicTls.registry.url, basicAuthorization(basicUser.username, basicUser.password), basicTls.dispatcher), basicTls.registry.storageDir, {
      repository: 'medium',
      tags: SIZES.medium,
      tagsPerImage: TAGS_PER_IMAGE,
    }),
  );

  const token = await startTokenRegistry({ lifetimeSeconds: 3_600 });
  stops.push(() => token.stop());
  const tokenUser = { username: 'alice', password: token.users.alice ?? '' };
  const pushToken = await fetchToken(token.tokenServer, token.dispatcher, ['repository:medium:pull,push'], tokenUser);
  const tokenSeeded = await timed('TLS + token registry', () =>
    seedRepository(withAuth(token.registry.url, `Bearer ${pushToken}`, token.dispatcher), token.registry.storageDir, {
      repository: 'medium',
      tags: SIZES.medium,
      tagsPerImage: TAGS_PER_IMAGE,
    }),
  );
  token.tokenServer.reset();

  const acrCa = await createTestCa();
  stops.push(() => acrCa.cleanup());
  const acr = await startAcrServer({ upstream: plain.url, tls: { cert: acrCa.serverCert, key: acrCa.serverKey }, users: { [ACR_USER.username]: ACR_USER.password } });
  stops.push(() => acr.stop());
  const seeded = [small, medium, large, huge, acrLarge, acrSmall, basicSeeded, tokenSeeded];
  const seedSeconds = (Date.now() - begun) / 1000;
  process.stderr.write(`seeded in ${seedSeconds.toFixed(1)} s\n`);
  return {
    plain, small, medium, large, huge, acrSmall, acrLarge, basicTls, basicUser, basicSeeded, token, tokenUser, tokenSeeded, acrCa, acr, seedSeconds,
    linkedTags: seeded.reduce((sum, repo) => sum + repo.linkedTags, 0),
  };
}

function acrEnvironment(fixtures: Fixtures): NodeJS.ProcessEnv {
  return { ...BASE_ENV, ACRX_ACR_API: '1', NODE_EXTRA_CA_CERTS: fixtures.acrCa.caCertPath, ACRX_USERNAME: ACR_USER.username, ACRX_PASSWORD: ACR_USER.password };
}

function ratioRow(what: string, results: SideResult[], targets: (acrxResult: SideResult, baseline: SideResult) => Target[], note?: string): RatioRow {
  const [acrxResult, baseline] = results as [SideResult, SideResult];
  return { what, acrx: acrxResult, baseline, targets: targets(acrxResult, baseline), ...(note ? { note } : {}) };
}

// ---------------------------------------------------------------------------------------------------
// The measurements.

async function measureStartup(fixtures: Fixtures): Promise<RatioRow[]> {
  const { plain, small, acr, acrSmall } = fixtures;
  const rows: RatioRow[] = [];
  for (const [what, args, limit] of [
    ['`acrx --version`', ['--version'], 1.3],
    ['`acrx --help`', ['--help'], 1.3],
  ] as const) {
    const results = await compare(what, [acrxSide([...args]), nodeBaseline()], ROUNDS.startup, scratch);
    rows.push(ratioRow(what, results, (a, b) => [timeTarget(limit, { acrx: a, baseline: b })]));
  }

  const showTags = await compare(
    'show-tags, small',
    [acrxSide(['repository', 'show-tags', '-n', plain.host, '--repository', small.repository], BASE_ENV, jsonArrayOf(small.tags.length)), nodeBaseline()],
    ROUNDS.startup,
    scratch,
  );
  rows.push(
    ratioRow(`\`acrx repository show-tags\`, ${small.tags.length} tags, local registry`, showTags, (a, b) => [
      timeTarget(2.5, { acrx: a, baseline: b }),
      rssTarget(60, a),
    ]),
  );

  // docker asks for the registry's host; the helper answers from its own store (no ACR host: no Entra).
  await runOnce({ file: NODE, args: [HELPER, 'store'], env: BASE_ENV, input: JSON.stringify({ ServerURL: plain.host, Username: 'bench', Secret: 'bench-secret' }) }, scratch);
  const helperGet: Side = {
    name: 'docker-credential-acrx',
    commands: [
      {
        file: NODE,
        args: [HELPER, 'get'],
        env: BASE_ENV,
        input: plain.host,
        check: (stdout) => {
          if ((JSON.parse(stdout) as { Username?: string }).Username !== 'bench') throw new Error('did not answer the stored credential');
        },
      },
    ],
  };
  const helper = await compare('credential get', [helperGet, nodeBaseline()], ROUNDS.startup, scratch);
  rows.push(ratioRow('`docker-credential-acrx get` (a credential in its own store)', helper, (a, b) => [timeTarget(1.5, { acrx: a, baseline: b })]));

  const acrEnv = acrEnvironment(fixtures);
  const acrRead = await compare(
    'show-manifests, ACR test server',
    [acrxSide(['repository', 'show-manifests', '-n', acr.host, '--repository', acrSmall.repository], acrEnv, jsonArrayOf(acrSmall.images)), nodeBaseline(acrEnv)],
    ROUNDS.startup,
    scratch,
  );
  rows.push(
    ratioRow(
      `\`acrx repository show-manifests\` on the ACR test server over TLS with a token exchange, ${acrSmall.tags.length} tags (${acrSmall.images} manifests)`,
      acrRead,
      (a, b) => [timeTarget(2.5, { acrx: a, baseline: b }), rssTarget(60, a)],
      '`node -e 0` runs with the same environment, NODE_EXTRA_CA_CERTS included.',
    ),
  );
  return rows;
}

async function measurePerTag(fixtures: Fixtures, floor: string, skopeo: string): Promise<RatioRow[]> {
  const { plain } = fixtures;
  const rows: RatioRow[] = [];
  for (const [seeded, count] of [
    [fixtures.medium, ROUNDS.medium],
    [fixtures.large, ROUNDS.large],
  ] as const) {
    const [acrxResult, floorResult, skopeoResult] = (await compare(
      `show-manifests, ${seeded.tags.length} tags`,
      [
        acrxSide(['repository', 'show-manifests', '-n', plain.host, '--repository', seeded.repository], BASE_ENV, jsonArrayOf(seeded.images)),
        floorSide(floor, plain.url, seeded),
        skopeoInspectSide(skopeo, plain.host, seeded),
      ],
      count,
      scratch,
      { long: true },
    )) as [SideResult, SideResult, SideResult];
    const what = `\`acrx repository show-manifests\`, ${seeded.tags.length.toLocaleString('en')} tags (${seeded.images.toLocaleString('en')} manifests)`;
    rows.push(ratioRow(what, [acrxResult, floorResult], (a, b) => [timeTarget(1.25, { acrx: a, baseline: b })]));
    rows.push(
      ratioRow(
        what,
        [acrxResult, skopeoResult],
        (a, b) => [{ text: '≤ 0.2× (≥ 5× faster)', met: ratio({ acrx: a, baseline: b }) <= 0.2 }],
        `skopeo's time is **extrapolated** from ${SKOPEO_SAMPLE} tags inspected one after another; its peak RSS is one inspect's.`,
      ),
    );
  }

  const { basicTls, basicUser, basicSeeded } = fixtures;
  const basicEnv: NodeJS.ProcessEnv = { ...BASE_ENV, NODE_EXTRA_CA_CERTS: basicTls.ca.caCertPath, ACRX_USERNAME: basicUser.username, ACRX_PASSWORD: basicUser.password };
  const basicResults = await compare(
    'show-manifests, TLS + Basic',
    [
      acrxSide(['repository', 'show-manifests', '-n', basicTls.registry.host, '--repository', basicSeeded.repository], basicEnv, jsonArrayOf(basicSeeded.images)),
      floorSide(floor, basicTls.registry.url, basicSeeded, ['--username', basicUser.username, '--password', basicUser.password, '--ca', basicTls.ca.caCertPath]),
    ],
    ROUNDS.auth,
    scratch,
    { long: true },
  );
  rows.push(
    ratioRow(
      `\`acrx repository show-manifests\`, ${basicSeeded.tags.length.toLocaleString('en')} tags, TLS registry with Basic auth (HTTP/2 offered)`,
      basicResults,
      (a, b) => [timeTarget(1.25, { acrx: a, baseline: b })],
      'distribution checks the bcrypt password on every request, so each request costs the registry more here.',
    ),
  );

  const { token, tokenUser, tokenSeeded } = fixtures;
  const tokenRequests = (): number => token.tokenServer.requests.length;
  const tokenEnv: NodeJS.ProcessEnv = { ...BASE_ENV, NODE_EXTRA_CA_CERTS: token.ca.caCertPath, ACRX_USERNAME: tokenUser.username, ACRX_PASSWORD: tokenUser.password };
  const tokenResults = await compare(
    'show-manifests, TLS + token server',
    [
      {
        ...acrxSide(['repository', 'show-manifests', '-n', token.registry.host, '--repository', tokenSeeded.repository], tokenEnv, jsonArrayOf(tokenSeeded.images)),
        counter: tokenRequests,
      },
      floorSide(floor, token.registry.url, tokenSeeded, ['--username', tokenUser.username, '--password', tokenUser.password, '--ca', token.ca.caCertPath], tokenRequests),
    ],
    ROUNDS.auth,
    scratch,
    { long: true },
  );
  const [acrxTokens, floorTokens] = tokenResults as [SideResult, SideResult];
  const perRun = (side: SideResult): string => [...new Set(side.counts)].join(' or ');
  rows.push(
    ratioRow(
      `\`acrx repository show-manifests\`, ${tokenSeeded.tags.length.toLocaleString('en')} tags, TLS registry behind the token server`,
      tokenResults,
      (a, b) => [timeTarget(1.25, { acrx: a, baseline: b }), { text: 'one token request per run', met: acrxTokens.counts.every((count) => count === 1) }],
      `token requests per run (the token server's log): acrx ${perRun(acrxTokens)}, floor ${perRun(floorTokens)}.`,
    ),
  );
  return rows;
}

async function measureHuge(fixtures: Fixtures, skopeo: string): Promise<RatioRow[]> {
  const { plain, huge } = fixtures;
  const results = await compare(
    `show-tags, ${huge.tags.length} tags`,
    [
      acrxSide(['repository', 'show-tags', '-n', plain.host, '--repository', huge.repository], BASE_ENV, jsonArrayOf(huge.tags.length)),
      {
        name: '`skopeo list-tags`',
        commands: [
          {
            file: skopeo,
            args: ['list-tags', '--tls-verify=false', `docker://${plain.host}/${huge.repository}`],
            env: BASE_ENV,
            check: (stdout) => {
              const listed = (JSON.parse(stdout) as { Tags?: unknown[] }).Tags?.length;
              if (listed !== huge.tags.length) throw new Error(`listed ${listed ?? 'no'} tags`);
            },
          },
        ],
      },
    ],
    ROUNDS.huge,
    scratch,
  );
  return [
    ratioRow(`\`acrx repository show-tags\`, ${huge.tags.length.toLocaleString('en')} tags`, results, (a, b) => [
      timeTarget(1.5, { acrx: a, baseline: b }),
      rssTarget(150, a),
    ]),
  ];
}

// The ACR test server's request log, grouped by path: pages are fine, per-tag requests are not.
const PER_ITEM_PATHS: Array<[RegExp, string]> = [
  [/^\/v2\/R\/manifests\/[^/]+$/, '/v2/R/manifests/{reference}'],
  [/^\/v2\/R\/blobs\/[^/]+$/, '/v2/R/blobs/{digest}'],
  [/^\/acr\/v1\/R\/_tags\/[^/]+$/, '/acr/v1/R/_tags/{tag}'],
  [/^\/acr\/v1\/R\/_manifests\/[^/]+$/, '/acr/v1/R/_manifests/{digest}'],
];

function countRequests(what: string, requests: AcrRecordedRequest[], repository: string): CountRow {
  const grouped = new Map<string, number>();
  let perItem = 0;
  for (const request of requests) {
    const generic = (request.path.split('?')[0] ?? '').replace(`/${repository}/`, '/R/');
    const item = PER_ITEM_PATHS.find(([pattern]) => pattern.test(generic));
    if (item) perItem++;
    const key = `${request.method} ${item ? item[1] : generic}`;
    grouped.set(key, (grouped.get(key) ?? 0) + 1);
  }
  return { what, requests: grouped, perItem, target: { text: 'no per-tag requests', met: perItem === 0 } };
}

async function countAcrRequests(fixtures: Fixtures): Promise<CountRow[]> {
  const { acr, acrLarge } = fixtures;
  const env = acrEnvironment(fixtures);
  const rows: CountRow[] = [];
  for (const [what, args] of [
    ['`acrx repository show-tags`', ['repository', 'show-tags', '-n', acr.host, '--repository', acrLarge.repository]],
    ['`acrx repository show-manifests`', ['repository', 'show-manifests', '-n', acr.host, '--repository', acrLarge.repository]],
    ['`acrx manifest list-metadata`', ['manifest', 'list-metadata', '-r', acr.host, '-n', acrLarge.repository]],
  ] as const) {
    const before = acr.requests.length;
    await runOnce(acrx([...args], env), scratch);
    rows.push(countRequests(what, acr.requests.slice(before), acrLarge.repository));
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------

function machine(): string[] {
  const cpus = os.cpus();
  const firstLine = (file: string, args: string[]): string => {
    try {
      return execFileSync(file, args, { encoding: 'utf8' }).trim().split('\n')[0] ?? '';
    } catch {
      return 'unknown';
    }
  };
  const commit = firstLine('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']);
  const changed = firstLine('git', ['-C', ROOT, 'status', '--porcelain', '--', 'src', 'bin', 'package.json']) ? ' (with uncommitted changes to src/, bin/ or package.json)' : '';
  const registry = firstLine(requireBinary('docker-registry') ?? 'docker-registry', ['--version']).split(' ').slice(1).join(' ');
  return [
    `- date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `- machine: ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}; load average at the end ${os.loadavg()[0]?.toFixed(1) ?? '?'}`,
    `- Node ${process.version}; ${firstLine('skopeo', ['--version'])}; registry: ${registry}`,
    `- acrx at commit ${commit}${changed}`,
  ];
}

function report(fixtures: Fixtures, startup: RatioRow[], perTag: RatioRow[], huge: RatioRow[], counts: CountRow[], artifacts: RatioRow[], hostile: RatioRow[]): string {
  const minutes = (Date.now() - started) / 60_000;
  const sections: Section[] = [
    {
      title: 'Start-up and small reads, against `node -e 0`',
      intro: `Each row against its own \`node -e 0\` runs, interleaved with it; ${ROUNDS.startup} rounds.`,
      ratios: startup,
    },
    {
      title: 'Per-tag work, against the equal-work floor and skopeo',
      intro:
        'The floor (scripts/bench-floor.ts) makes only the requests the answer needs: the tag list, one manifest GET per tag, one config GET per distinct config, ' +
        `8 in flight over one keep-alive pool. skopeo runs \`inspect --no-tags\` on ${SKOPEO_SAMPLE} tags spread over the repository, one after another, ` +
        `its time scaled to every tag. ${TAGS_PER_IMAGE} tags per manifest, each manifest its own config. ` +
        `Rounds: ${ROUNDS.medium} (${SIZES.medium.toLocaleString('en')} tags), ${ROUNDS.large} (${SIZES.large.toLocaleString('en')} tags), ${ROUNDS.auth} (TLS, token).`,
      ratios: perTag,
    },
    {
      title: `show-tags on ${SIZES.huge.toLocaleString('en')} tags, against \`skopeo list-tags\``,
      intro: `${ROUNDS.huge} rounds. distribution 2.8 sends the whole list in one answer (it does not page tags), to both.`,
      ratios: huge,
    },
    {
      title: 'Artifacts: 2 GiB pushed and pulled, against skopeo',
      intro:
        `${ROUNDS.artifacts} rounds. One file of 2 GiB, sparse on disk (zeros), as an artifact; skopeo copies the same bytes as the one layer of an image between an OCI layout and the registry. ` +
        'Before each push the blob is unlinked from the repository, so every run uploads it all.',
      ratios: artifacts,
    },
    {
      title: 'Hostile servers: memory and time when a server misbehaves',
      intro:
        `A loopback server answers the tag list with 600 MiB of junk (${ROUNDS.hostile} rounds, against the same command on a well-behaved 100-tag repository), ` +
        'and another accepts connections and never answers (one round, against a process that sleeps for the stated bound).',
      ratios: hostile,
    },
    {
      title: `Requests on the ACR test server (${SIZES.acr.toLocaleString('en')} tags, ${fixtures.acrLarge.images} manifests)`,
      intro: 'One run of each command; every request the test server recorded, grouped by path (R = the repository). A count, not a ratio.',
      counts,
    },
  ];
  return [
    `# acrx benchmark${QUICK ? ' (quick run)' : ''}`,
    '',
    `Made by \`${QUICK ? 'ACRX_BENCH_QUICK=1 ' : ''}npm run bench\` (scripts/bench.ts); every figure below comes from this one run.`,
    '',
    ...machine(),
    `- whole run ${minutes.toFixed(1)} min, of which seeding ${fixtures.seedSeconds.toFixed(0)} s ` +
      `(${fixtures.linkedTags.toLocaleString('en')} tags written as the registry's link files, everything else through the API)`,
    '',
    'Times are medians of interleaved runs (acrx, baseline, acrx, baseline, ...), ' +
      (timedOutside
        ? 'each timed from start to exit by a small perl process that forks it and waits, as an outside timer does (not from the bench, whose own fork would add to every run). '
        : 'each timed from spawn to exit by the bench (perl, the outside timer, is missing: every run also counts forking the bench). ') +
      "The ratio is the median of the rounds' own ratios (each acrx run over the baseline run beside it); the ratio of the two medians is in brackets. " +
      'Targets are issue 8\'s, judged on the first; one not met does not fail the run. ' +
      "Peak RSS is the kernel's maxrss of the process as `/usr/bin/time -f %M` reports it, for node and skopeo alike (MB = 2^20 bytes): " +
      'for runs under a few seconds it is the median of 3 untimed runs before the timed ones (the wrapper adds ~4 ms to a run; the first also warms up), for longer runs the median of the timed runs. ' +
      'Each process is started the way a user would: `node bin/acrx.cjs ... -n 127.0.0.1:PORT`, without --plain-http.',
    '',
    ...renderSections(sections),
    ...renderRawRuns([...startup, ...perTag, ...huge, ...artifacts, ...hostile]),
  ].join('\n');
}

async function main(): Promise<void> {
  const skopeo = requireBinary('skopeo');
  if (!skopeo) throw new Error('skopeo is not installed: run `sudo apt-get install -y skopeo` (the baseline of several rows)');
  if (!hasTimeCommand()) process.stderr.write('WARNING: /usr/bin/time is missing (apt-get install time): peak RSS figures will read n/a\n');
  const floor = await buildFloor();
  const stops: Array<() => Promise<void>> = [];
  try {
    const fixtures = await startFixtures(stops);
    // The test server reads a repository from the registry on its first /acr/v1 request: not in any figure.
    for (const repo of [fixtures.acrSmall, fixtures.acrLarge]) {
      await runOnce(acrx(['repository', 'show-tags', '-n', fixtures.acr.host, '--repository', repo.repository], acrEnvironment(fixtures)), scratch);
    }
    process.stderr.write('measuring\n');
    const startup = await measureStartup(fixtures);
    const perTag = await measurePerTag(fixtures, floor, skopeo);
    const huge = await measureHuge(fixtures, skopeo);
    const counts = await countAcrRequests(fixtures);
    const artifacts = await measureArtifacts({
      node: NODE,
      acrx: ACRX,
      skopeo,
      env: BASE_ENV,
      scratch,
      host: fixtures.plain.host,
      url: fixtures.plain.url,
      rounds: ROUNDS.artifacts,
    });

    const hostile = await measureHostile({
      node: NODE,
      acrx: ACRX,
      env: BASE_ENV,
      scratch,
      host: fixtures.plain.host,
      repository: fixtures.small.repository,
      rounds: ROUNDS.hostile,
    });

    const text = report(fixtures, startup, perTag, huge, counts, artifacts, hostile);
    process.stdout.write(`\n${text}`);
    const out = path.join(ROOT, 'bench', QUICK ? 'results-quick.md' : 'results.md');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, text);
    process.stderr.write(`\nwritten to ${path.relative(process.cwd(), out)} in ${((Date.now() - started) / 60_000).toFixed(1)} min\n`);
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}

await main();
