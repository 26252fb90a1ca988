// What the global setup hands to test files, and the one way tests get at the shared registry.
import { describe, inject, test } from 'vitest';
import type { GroundTruth } from './seed.js';
import { missingToolMessage } from './tools.js';

export interface SharedRegistry {
  host: string;
  url: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** null when docker-registry is not installed outside CI: integration tests skip. */
    registry: SharedRegistry | null;
    groundTruth: GroundTruth | null;
  }
}

export interface IntegrationRegistry extends SharedRegistry {
  /** What seedStandardData pushed; treat as read-only, other test files share the registry. */
  truth: GroundTruth;
}

/** The shared seeded registry, or undefined when integration tests must skip. */
export function integrationRegistry(): IntegrationRegistry | undefined {
  const registry = inject('registry');
  // Only the integration project has the global setup; elsewhere the tests would skip unnoticed.
  if (registry === undefined) {
    throw new Error('the shared registry is only available to test files under test/integration/');
  }
  const truth = inject('groundTruth');
  return registry && truth ? { ...registry, truth } : undefined;
}

/** describe() that runs against the shared registry, or shows as skipped with the reason why. */
export function describeWithRegistry(name: string, body: (registry: IntegrationRegistry) => void): void {
  const registry = integrationRegistry();
  if (registry) {
    describe(name, () => body(registry));
    return;
  }
  describe.skipIf(true)(name, () => {
    test(missingToolMessage('docker-registry'), () => {});
  });
}
