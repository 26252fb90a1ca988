// Where a registry's token realm may receive credentials (PRODUCT §5): only over HTTPS, and only on the
// registry's own host or domain, or a documented split host.
import { isLoopbackHost } from '../registry/reference.js';

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
  const domain = parentDomain(registryHost);
  return domain !== undefined && (realmHost === domain || realmHost.endsWith(`.${domain}`));
}

// The registry's host minus its first label, when that still leaves a name with a dot
// (myreg.azurecr.io → azurecr.io is too broad for multi-tenant services, so keep three labels there).
function parentDomain(host: string): string | undefined {
  if (/^[\d.]+$/.test(host) || host.includes(':')) return undefined;
  const labels = host.split('.');
  if (labels.length < 3) return undefined;
  const parent = labels.slice(1).join('.');
  return MULTI_TENANT_SUFFIXES.some((suffix) => parent === suffix) ? undefined : parent;
}

// Suffixes shared by many unrelated customers: a realm there is trusted only on the exact registry host.
const MULTI_TENANT_SUFFIXES = ['azurecr.io', 'azurecr.cn', 'azurecr.us', 'azurecr.de', 'pkg.dev', 'amazonaws.com', 'gcr.io'];
