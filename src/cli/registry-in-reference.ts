// A reference typed as skopeo, crane, oras and docker users type it, registry in front
// (`localhost:5000/hello:latest`): the registry part names the registry when -n/-r does not, and
// must name the same one when it does (resolveTarget compares the two, in the configured cloud).
// Without a registry part the reference is left as it is.
import { UsageError } from '../errors.js';
import { splitQualifiedName, validateRegistryName } from '../reference/login-server.js';
import { quote } from '../reference/quote.js';
import type { RegistryOptions } from './options.js';

export interface ReferenceWithRegistry {
  registry: RegistryOptions;
  /** The reference without its registry part: `hello:latest`. */
  reference: string;
}

/** `what` names where the reference came from, for messages: `--image`, `-n/--name`, `the reference`. */
export function registryFromReference(text: string, registry: RegistryOptions, what: string): ReferenceWithRegistry {
  const split = splitQualifiedName(text);
  if (split === undefined) return { registry, reference: text };
  const loginServer = validateRegistryName(split.loginServer);
  if (registry.name === undefined) {
    if (registry.suffix !== undefined) throw new UsageError(`--suffix applies only to a registry name, not to the login server in ${what} ${quote(text)}`);
    return { registry: { ...registry, name: split.loginServer }, reference: split.remainder };
  }
  // -n/-r is checked now; whether it means the same registry depends on the cloud a bare name is in.
  validateRegistryName(registry.name, registry.suffix);
  return { registry: { ...registry, inReference: { loginServer, text, what } }, reference: split.remainder };
}
