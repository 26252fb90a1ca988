import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';

// Tests only ever talk to loopback: the registry, the fixtures and the CLI under test must not pick up
// a proxy, a default registry, stored credentials or Azure identity from the developer's shell.
const LEAKY_ENV = /^(ACRX_(?!TEST_)|AZURE_|IDENTITY_|MSI_|IMDS_)|^(https?_proxy|all_proxy|docker_config|registry_auth_file|xdg_config_home)$/i;
for (const name of Object.keys(process.env)) {
  if (LEAKY_ENV.test(name)) delete process.env[name];
}

// Docker, containers and acrx configuration live in an empty directory of this run, inherited by the
// workers and the CLI processes they spawn, so nothing of the developer's is read or written.
const isolatedHome = mkdtempSync(path.join(os.tmpdir(), 'acrx-test-home-'));
process.on('exit', () => rmSync(isolatedHome, { recursive: true, force: true }));

export default defineConfig({
  test: {
    testTimeout: 30_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
    hookTimeout: 120_000,
    env: {
      NO_PROXY: '127.0.0.1,localhost,::1',
      no_proxy: '127.0.0.1,localhost,::1',
      DOCKER_CONFIG: path.join(isolatedHome, 'docker'),
      REGISTRY_AUTH_FILE: path.join(isolatedHome, 'containers', 'auth.json'),
      XDG_CONFIG_HOME: path.join(isolatedHome, 'config'),
      HOME: path.join(isolatedHome, 'home'),
      // Tests that want Microsoft Entra ID switch it on with their own Entra fixture; otherwise
      // DefaultAzureCredential would probe the managed-identity endpoint, which is not on loopback.
      ACRX_AZURE_IDENTITY: '0',
    },
    // Together the projects run test/**/*.test.ts. Only the integration project has the global setup,
    // so a run of unit tests alone does not start and seed the shared registry (~15 s).
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/integration/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});
