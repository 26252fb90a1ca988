// Starts the one registry all integration test files share, seeded once (seeding takes seconds).
import type { TestProject } from 'vitest/node';
import type { SharedRegistry } from './inject.js';
import { startRegistry, type RunningRegistry } from './registry.js';
import { seedStandardData, type GroundTruth } from './seed.js';
import { missingToolMessage, requireBinary } from './tools.js';

async function startSeededRegistry(): Promise<{ registry: RunningRegistry; groundTruth: GroundTruth }> {
  const registry = await startRegistry({ catalogMaxEntries: 5 });
  try {
    const started = performance.now();
    const groundTruth = await seedStandardData(registry.url);
    if (process.env.ACRX_TEST_TIMINGS) {
      process.stderr.write(`seeded ${registry.url} in ${Math.round(performance.now() - started)} ms\n`);
    }
    return { registry, groundTruth };
  } catch (error) {
    await registry.stop();
    throw error;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!requireBinary('docker-registry')) {
    const message = missingToolMessage('docker-registry');
    // CI must prove the integration tests ran; only a developer machine may skip them.
    if (process.env.CI === 'true') throw new Error(message);
    process.stderr.write(`WARNING: integration tests skipped. ${message}\n`);
    project.provide('registry', null);
    project.provide('groundTruth', null);
    return async () => {};
  }

  const { registry, groundTruth } = await startSeededRegistry();
  const shared: SharedRegistry = { host: registry.host, url: registry.url };
  project.provide('registry', shared);
  project.provide('groundTruth', groundTruth);
  return () => registry.stop();
}
