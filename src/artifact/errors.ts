// The two ways a pull's file system refuses an artifact. Both exit 1 like other failures after the
// registry answered; the command line may add the flag that allows overwriting.
import { RegistryError } from '../errors.js';

/** A title, tar entry or link that would write outside the output directory, or is not unpackable. */
export class UnsafeArtifactError extends RegistryError {}

/** Something already exists where the artifact would write, and overwriting was not allowed. */
export class DestinationExistsError extends RegistryError {
  constructor(readonly path: string, message: string) {
    super(message);
  }
}
