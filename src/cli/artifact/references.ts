// The artifact commands name what they act on as oras does: one positional REPOSITORY:TAG or
// REPOSITORY@DIGEST, the registry from -n, or in front of the reference (`localhost:5000/docs:v1`).
import { UsageError } from '../../errors.js';
import type { RegistryOptions } from '../options.js';
import { registryFromReference, type ReferenceWithRegistry } from '../registry-in-reference.js';

export function requiredReference(args: readonly string[], registry: RegistryOptions): ReferenceWithRegistry {
  const reference = args[0];
  if (reference === undefined) throw new UsageError("the reference is required: give it as 'repository:tag' or 'repository@digest'");
  return registryFromReference(reference, registry, 'the reference');
}
