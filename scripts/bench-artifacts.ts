// The artifact rows of npm run bench: a 2 GiB file (sparse on disk) pushed and pulled by acrx, against
// skopeo moving the same bytes as a one-layer image from and to an OCI layout, in the same run. The
// figures that matter are peak RSS (flat: a stream, never the file in memory) and time beside skopeo.
import { createHash } from 'node:crypto';
import { createReadStream, linkSync, mkdirSync, rmSync, truncateSync, writeFileSync, closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { megabytes, rssTarget, type RatioRow, type Target } from './bench-report.js';
import { compare, runOnce, type Command, type Side, type SideResult } from './bench-run.js';

export const ARTIFACT_BYTES = 2 * 1024 ** 3;

export interface ArtifactBench {
  node: string;
  acrx: string;
  skopeo: string;
  env: NodeJS.ProcessEnv;
  scratch: string;
  /** The registry: host:port and http://host:port. */
  host: string;
  url: string;
  rounds: number;
}

interface Layout {
  dir: string;
  file: string;
  digest: string;
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

function writeBlob(dir: string, bytes: Buffer): { digest: string; size: number } {
  const hex = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(path.join(dir, 'blobs', 'sha256', hex), bytes);
  return { digest: `sha256:${hex}`, size: bytes.length };
}

/** The sparse file, and an OCI layout holding it as the one layer of an image (titled, so acrx can pull it). */
async function prepareLayout(scratch: string): Promise<Layout> {
  const file = path.join(scratch, 'artifact', 'model.bin');
  mkdirSync(path.dirname(file), { recursive: true });
  closeSync(openSync(file, 'w'));
  truncateSync(file, ARTIFACT_BYTES);
  const digest = await sha256File(file);
  const dir = path.join(scratch, 'artifact', 'layout');
  mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  linkSync(file, path.join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)));
  const config = writeBlob(dir, Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [digest] } })));
  const manifest = writeBlob(
    dir,
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest, size: ARTIFACT_BYTES, annotations: { 'org.opencontainers.image.title': 'model.bin' } }],
      }),
    ),
  );
  writeFileSync(path.join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  const index = { schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] };
  writeFileSync(path.join(dir, 'index.json'), JSON.stringify(index));
  return { dir, file, digest };
}

/** DELETE of the blob's link in a repository: the next push finds it missing and uploads it all again. */
async function forgetBlob(url: string, repository: string, digest: string): Promise<void> {
  const answer = await fetch(`${url}/v2/${repository}/blobs/${digest}`, { method: 'DELETE' });
  if (answer.status !== 202 && answer.status !== 404) throw new Error(`DELETE of ${repository}@${digest} answered ${answer.status}`);
}

function printed(what: string): (stdout: string) => void {
  return (stdout) => {
    if (!stdout.includes(what)) throw new Error(`expected ${what} in the output, got ${stdout.slice(0, 200)}`);
  };
}

function row(what: string, results: SideResult[], targets: (acrx: SideResult) => Target[], note: string): RatioRow {
  const [acrx, baseline] = results as [SideResult, SideResult];
  return { what, acrx, baseline, targets: targets(acrx), note };
}

export async function measureArtifacts(bench: ArtifactBench): Promise<RatioRow[]> {
  const { node, acrx, skopeo, env, scratch, host, url, rounds } = bench;
  process.stderr.write('  artifacts: a 2 GiB sparse file and its OCI layout\n');
  const layout = await prepareLayout(scratch);
  const command = (file: string, args: string[], check: (stdout: string) => void): Command => ({ file, args, env, check });
  const acrxPush: Side = {
    name: 'acrx',
    commands: [command(node, [acrx, 'artifact', 'push', '-n', host, 'push-acrx:v1', layout.file, '--query', 'reference', '-o', 'tsv'], printed('push-acrx:v1'))],
    prepare: () => forgetBlob(url, 'push-acrx', layout.digest),
  };
  const skopeoPush: Side = {
    name: '`skopeo copy oci:… docker://…`',
    commands: [command(skopeo, ['copy', '-q', '--preserve-digests', '--dest-tls-verify=false', `oci:${layout.dir}:v1`, `docker://${host}/push-skopeo:v1`], () => undefined)],
    prepare: () => forgetBlob(url, 'push-skopeo', layout.digest),
  };
  const push = await compare('artifact push, 2 GiB', [acrxPush, skopeoPush], rounds, scratch, { long: true });

  // Both pull the image skopeo pushed: one titled layer, the same 2 GiB.
  await runOnce(command(skopeo, ['copy', '-q', '--preserve-digests', '--dest-tls-verify=false', `oci:${layout.dir}:v1`, `docker://${host}/pull:v1`], () => undefined), scratch);
  const acrxOut = path.join(scratch, 'artifact', 'pulled-acrx');
  const skopeoOut = path.join(scratch, 'artifact', 'pulled-skopeo');
  const acrxPull: Side = {
    name: 'acrx',
    commands: [command(node, [acrx, 'artifact', 'pull', '-n', host, 'pull:v1', '--output-dir', acrxOut, '--query', 'files[0].path', '-o', 'tsv'], printed('model.bin'))],
    prepare: async () => rmSync(acrxOut, { recursive: true, force: true }),
  };
  const skopeoPull: Side = {
    name: '`skopeo copy docker://… oci:…`',
    commands: [command(skopeo, ['copy', '-q', '--preserve-digests', '--src-tls-verify=false', `docker://${host}/pull:v1`, `oci:${skopeoOut}:v1`], () => undefined)],
    prepare: async () => rmSync(skopeoOut, { recursive: true, force: true }),
  };
  const pull = await compare('artifact pull, 2 GiB', [acrxPull, skopeoPull], rounds, scratch, { long: true });
  rmSync(path.join(scratch, 'artifact'), { recursive: true, force: true });

  // What the same push takes for 1 MiB: flat memory means the 2 GiB push stays near it.
  const small = path.join(scratch, 'small.bin');
  writeFileSync(small, Buffer.alloc(1024 * 1024, 7));
  const smallPeaks: number[] = [];
  for (let run = 0; run < 3; run++) {
    await forgetBlob(url, 'push-small', `sha256:${createHash('sha256').update(Buffer.alloc(1024 * 1024, 7)).digest('hex')}`);
    const { rssKiB } = await runOnce(command(node, [acrx, 'artifact', 'push', '-n', host, 'push-small:v1', small, '-o', 'none'], () => undefined), scratch, { rss: true });
    if (rssKiB !== undefined) smallPeaks.push(rssKiB);
  }
  const smallPeak = smallPeaks.sort((a, b) => a - b)[1];
  const against = smallPeak === undefined ? '' : ` The same push of a 1 MiB file peaks at ${megabytes(smallPeak)}.`;
  const flat = (acrxSide: SideResult): Target[] => [rssTarget(128, acrxSide)];
  return [
    row(
      '`acrx artifact push`, one 2 GiB file (sparse on disk)',
      push,
      flat,
      `acrx reads the file twice: once to hash it (the digest names the upload), once to send it in 64 MiB PATCH chunks; skopeo takes the digest from the layout (and runs with --preserve-digests, so it sends the layer as it is instead of compressing it). The registry hashes what arrives.${against}`,
    ),
    row('`acrx artifact pull`, one 2 GiB layer', pull, flat, 'acrx verifies the digest while it writes, through a temporary file renamed into place; skopeo writes an OCI layout.'),
  ];
}
