// The package version, read once from package.json (which sits one level above both src/ and dist/).
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function packageVersion(): string {
  if (cached === undefined) {
    const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
    cached = (JSON.parse(text) as { version: string }).version;
  }
  return cached;
}

export function userAgent(): string {
  return `acrx/${packageVersion()} (node ${process.versions.node}; ${process.platform})`;
}
