// Locates the real programs the tests run against, and says exactly how to get them when absent.
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export type TestTool = 'docker-registry' | 'skopeo' | 'openssl' | 'zsh' | 'fish' | 'script';

const installHints: Record<TestTool, string> = {
  'docker-registry':
    'run `sudo apt-get install -y docker-registry` (Debian/Ubuntu package of the CNCF distribution registry)' +
    ', or point ACRX_TEST_REGISTRY_BIN at a `registry` binary from https://github.com/distribution/distribution/releases',
  skopeo: 'run `sudo apt-get install -y skopeo` (Debian/Ubuntu package; the tests use it as an independent registry client)',
  openssl: 'run `sudo apt-get install -y openssl` (the tests make their throw-away TLS certificates with it)',
  zsh: 'run `sudo apt-get install -y zsh` (the tests complete command lines in it through its completion system)',
  fish: 'run `sudo apt-get install -y fish` (the tests complete command lines in it with `complete -C`)',
  script: 'run `sudo apt-get install -y bsdutils` (util-linux script(1): the tests type at a real pseudo-terminal with it)',
};

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Absolute path of the tool, or undefined when it is not installed. */
export function requireBinary(name: TestTool): string | undefined {
  const override = name === 'docker-registry' ? process.env.ACRX_TEST_REGISTRY_BIN : undefined;
  if (override) return isExecutable(override) ? path.resolve(override) : undefined;
  return findOnPath(name);
}

export function missingToolMessage(name: TestTool): string {
  const override = process.env.ACRX_TEST_REGISTRY_BIN;
  if (name === 'docker-registry' && override) {
    return `docker-registry is not installed: ACRX_TEST_REGISTRY_BIN=${override} is not an executable file; ${installHints[name]}`;
  }
  return `${name} is not installed: ${installHints[name]}`;
}
