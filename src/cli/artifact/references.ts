// The artifact commands name what they act on as oras does: one positional REPOSITORY:TAG or
// REPOSITORY@DIGEST (the registry comes from -n).
import { UsageError } from '../../errors.js';

export function requiredReference(args: readonly string[]): string {
  const reference = args[0];
  if (reference === undefined) throw new UsageError("the reference is required: give it as 'repository:tag' or 'repository@digest'");
  return reference;
}
