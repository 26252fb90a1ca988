// Where a registry's token realm may receive credentials (PRODUCT §5): only over HTTPS, and only on the
// registry's own host or a parent domain of it, or a documented split host.
import { isLoopbackHost } from '../reference/login-server.js';

// Registries whose token service lives on a documented other domain.
const SPLIT_HOSTS: Record<string, string[]> = {
  'registry-1.docker.io': ['auth.docker.io'],
  'index.docker.io': ['auth.docker.io'],
  'docker.io': ['auth.docker.io'],
};

export function realmMayReceiveCredentials(realm: URL, registry: URL): boolean {
  const secure =
    realm.protocol === 'https:' ||
    (realm.protocol === 'http:' && registry.protocol === 'http:' && realm.hostname === registry.hostname && isLoopbackHost(realm.hostname));
  if (!secure) return false;
  if (realm.username || realm.password) return false;
  const realmHost = realm.hostname.toLowerCase();
  const registryHost = registry.hostname.toLowerCase();
  if (realmHost === registryHost) return true;
  if (SPLIT_HOSTS[registryHost]?.includes(realmHost)) return true;
  // A parent domain of the registry (registry.gitlab.com → gitlab.com), never a sibling: without the
  // public suffix list a sibling may belong to another tenant of the same service.
  return realmHost.includes('.') && !/^[\d.]+$/.test(realmHost) && registryHost.endsWith(`.${realmHost}`) && !PUBLIC_SUFFIXES.has(realmHost);
}

// Parents that are registrable by anyone: a realm there is never the registry's own.
const PUBLIC_SUFFIXES = new Set(['co.uk', 'com.au', 'co.jp', 'com.br', 'co.in', 'azurecr.io', 'azurecr.cn', 'azurecr.us', 'azurecr.de', 'pkg.dev', 'amazonaws.com', 'jfrog.io']);
