// What a registry's storage holds after distribution's own garbage collector has run: the storage of a
// running test registry is copied (it is idle between requests), `docker-registry garbage-collect` runs on
// the copy, and the blobs left are listed. Comparing two such listings says which blobs a deletion freed.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { missingToolMessage, requireBinary } from './tools.js';

/** digest → size of every blob (layers, configs and manifests) in the storage after garbage collection. */
export async function blobsAfterGc(storageDir: string): Promise<Map<string, number>> {
  const binary = requireBinary('docker-registry');
  if (!binary) throw new Error(missingToolMessage('docker-registry'));
  // Beside the storage (tmpfs where the registry has it), so copying thousands of small link files is quick.
  const copy = await mkdtemp(path.join(path.dirname(storageDir), 'acrx-gc-'));
  try {
    await cp(path.join(storageDir, 'docker'), path.join(copy, 'docker'), { recursive: true });
    const config = path.join(copy, 'config.yml');
    await writeFile(config, ['version: 0.1', 'log:', '  level: error', 'storage:', '  filesystem:', `    rootdirectory: ${JSON.stringify(copy)}`, ''].join('\n'));
    await run(binary, ['garbage-collect', config]);
    return await listBlobs(path.join(copy, 'docker', 'registry', 'v2', 'blobs'));
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

function run(binary: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // distribution reads REGISTRY_* variables as configuration overrides: only the file may count.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('REGISTRY_')));
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-8000)));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${binary} ${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}

async function listBlobs(root: string): Promise<Map<string, number>> {
  const blobs = new Map<string, number>();
  for (const algorithm of await readdir(root).catch(() => [] as string[])) {
    for (const prefix of await readdir(path.join(root, algorithm))) {
      for (const encoded of await readdir(path.join(root, algorithm, prefix))) {
        const data = path.join(root, algorithm, prefix, encoded, 'data');
        const info = await stat(data).catch(() => undefined);
        if (info?.isFile()) blobs.set(`${algorithm}:${encoded}`, info.size);
      }
    }
  }
  return blobs;
}

/** The blobs of `before` that `after` no longer has. */
export function lostBlobs(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  return new Map([...before].filter(([digest]) => !after.has(digest)));
}
