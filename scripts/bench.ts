// npm run bench: speed and memory of acrx against a throw-away local registry. Every figure is a ratio
// against a baseline measured in the same run on the same machine, so runs on different machines compare.
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAcrServer } from '../test/fixtures/acr-server.js';
import { startRegistry } from '../test/support/registry.js';
import { createTestCa } from '../test/support/tls.js';
import { pushImage, pushManifestBytes, type PushedManifest } from '../test/support/seed.js';
import { requireBinary } from '../test/support/tools.js';

const TAGS = Number(process.env.ACRX_BENCH_TAGS ?? 2000);
const IMAGES = 40;
const ROUNDS = Number(process.env.ACRX_BENCH_ROUNDS ?? 3);
const ACRX = fileURLToPath(new URL('../bin/acrx.cjs', import.meta.url));

interface Sample {
  seconds: number;
  maxRssKiB: number;
}

const scratch = mkdtempSync(join(tmpdir(), 'acrx-bench-'));
// Loaded with --import into each measured node process: reports its peak memory on exit.
const rssProbe = join(scratch, 'rss-probe.mjs');
writeFileSync(rssProbe, "process.on('exit', () => process.stderr.write(`\\nmaxrss=${process.resourceUsage().maxRSS}\\n`));\n");

function measure(command: string, args: string[]): Promise<Sample> {
  return measureWith(process.env, command, args);
}

// Asynchronous on purpose: the ACR test server answers from this very process.
function runOnce(env: NodeJS.ProcessEnv, command: string, args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

async function measureWith(env: NodeJS.ProcessEnv, command: string, args: string[]): Promise<Sample> {
  const samples: Sample[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    const result = await runOnce(env, command, args);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
    const rss = /maxrss=(\d+)/.exec(result.stderr)?.[1];
    samples.push({ seconds, maxRssKiB: rss ? Number(rss) : 0 });
  }
  samples.sort((a, b) => a.seconds - b.seconds);
  return samples[Math.floor(samples.length / 2)] as Sample;
}

const node = (args: string[]): Promise<Sample> => measure(process.execPath, ['--import', rssProbe, ...args]);

function row(name: string, value: Sample, baseline: Sample, baselineName: string): void {
  const time = (value.seconds / baseline.seconds).toFixed(2);
  const memory = baseline.maxRssKiB && value.maxRssKiB ? ` memory ${(value.maxRssKiB / baseline.maxRssKiB).toFixed(2)}x` : '';
  console.log(`${name.padEnd(58)} time ${time}x${memory}  of ${baselineName}  (${value.seconds.toFixed(3)} s vs ${baseline.seconds.toFixed(3)} s)`);
}

async function main(): Promise<void> {
  const registry = await startRegistry();
  try {
    console.log(`seeding ${TAGS} tags over ${IMAGES} images in ${registry.host}/bench ...`);
    const images: PushedManifest[] = [];
    for (let k = 0; k < IMAGES; k++) {
      images.push(await pushImage(registry.url, 'bench', { tags: [`t${k}`], created: new Date(Date.UTC(2024, 0, 1, k)).toISOString() }));
    }
    const rest = Array.from({ length: TAGS - IMAGES }, (_, i) => i + IMAGES);
    for (let start = 0; start < rest.length; start += 16) {
      await Promise.all(
        rest.slice(start, start + 16).map((i) => {
          const image = images[i % IMAGES] as PushedManifest;
          return pushManifestBytes(registry.url, 'bench', `t${i}`, image.bytes, image.descriptor.mediaType);
        }),
      );
    }

    const acrx = (...args: string[]): Promise<Sample> => node([ACRX, ...args, '-n', registry.host]);
    console.log(`median of ${ROUNDS} runs each\n`);

    const bareNode = await node(['-e', '0']);
    row('acrx --version (start-up)', await node([ACRX, '--version']), bareNode, 'node -e 0');

    const tags = await acrx('repository', 'show-tags', '--repository', 'bench');
    if (requireBinary('skopeo')) {
      const skopeo = await measure('skopeo', ['list-tags', '--tls-verify=false', `docker://${registry.host}/bench`]);
      row(`show-tags, ${TAGS} tags`, tags, skopeo, 'skopeo list-tags');
    }

    const sequential = await acrx('repository', 'show-manifests', '--repository', 'bench', '--concurrency', '1');
    const parallel = await acrx('repository', 'show-manifests', '--repository', 'bench');
    row(`show-manifests, ${TAGS} tags (8 in flight)`, parallel, sequential, 'one request at a time');
    row(`show-manifests, ${TAGS} tags: memory vs show-tags`, parallel, tags, 'show-tags');
    await benchAcr(registry.url);
  } finally {
    await registry.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The same listing through an ACR API server: the /acr/v1 stream against per-tag requests. */
async function benchAcr(upstream: string): Promise<void> {
  const ca = await createTestCa();
  const acr = await startAcrServer({ upstream, tls: { cert: ca.serverCert, key: ca.serverKey }, users: { bench: 'bench-password' } });
  try {
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: ca.caCertPath, ACRX_USERNAME: 'bench', ACRX_PASSWORD: 'bench-password' };
    const listing = (acrApi: boolean): Promise<Sample> => {
      const args = [ACRX, 'repository', 'show-manifests', '-n', acr.host, '--repository', 'bench'];
      return measureWith({ ...env, ...(acrApi ? { ACRX_ACR_API: '1' } : {}) }, process.execPath, ['--import', rssProbe, ...args]);
    };
    await listing(true); // the test server reads the registry once on first use
    row(`show-manifests on ACR, ${TAGS} tags: /acr/v1`, await listing(true), await listing(false), 'per-tag HEADs through the same server');
  } finally {
    await acr.stop();
    await ca.cleanup();
  }
}

await main();
