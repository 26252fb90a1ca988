// What the manifest commands act on, given as az takes it: `-r REGISTRY -n NAME`, or az's positional
// fully qualified form (`LOGIN_SERVER/REPO:TAG`, `LOGIN_SERVER/REPO@DIGEST`, `LOGIN_SERVER/REPO`),
// which -n also takes (`-n localhost:5000/hello:latest`), -r then optional.
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { parseImage, validateRepositoryName, type ImageReference } from '../../reference/image.js';
import { splitQualifiedName, validateRegistryName } from '../../reference/login-server.js';
import { quote } from '../../reference/quote.js';
import { registryFromReference } from '../registry-in-reference.js';
import type { CommandInput } from '../spec.js';
import { addConnectionOptions, addRegistryFlag, parseRegistryOptions, textValue, type RegistryOptions } from '../options.js';

const BAD_MANIFEST_ARGS =
  "You must provide either a fully qualified manifest specifier such as 'myregistry.azurecr.io/hello-world:latest' as a positional parameter or provide '-r MyRegistry -n hello-world:latest' argument values.";
const BAD_REPOSITORY_ARGS =
  "You must provide either a fully qualified repository specifier such as 'myregistry.azurecr.io/hello-world' as a positional parameter or provide '-r MyRegistry -n hello-world' argument values.";

/** A command on one manifest: MANIFEST_ID, or -r and -n NAME:TAG / NAME@DIGEST. */
export function addManifestTarget(command: Command): Command {
  command.argument('[MANIFEST_ID]', "the manifest, fully qualified: 'myregistry.azurecr.io/hello-world:latest' or '...@sha256:...' (instead of -r/-n)");
  addRegistryFlag(command, 'registry').option('-n, --name <name>', "the artifact: 'name:tag' or 'name@digest' ('name' means 'name:latest')");
  return addConnectionOptions(command);
}

/** A command on one repository: REPO_ID, or -r and -n NAME. */
export function addRepositoryTarget(command: Command): Command {
  command.argument('[REPO_ID]', "the repository, fully qualified: 'myregistry.azurecr.io/hello-world' (instead of -r/-n)");
  addRegistryFlag(command, 'registry').option('-n, --name <name>', 'the name of the repository');
  return addConnectionOptions(command);
}

export interface ManifestTarget {
  registry: RegistryOptions;
  image: ImageReference;
}

export function parseManifestTarget(input: CommandInput): ManifestTarget {
  const { registry, spec } = qualified(input, BAD_MANIFEST_ARGS);
  return { registry, image: parseImage(spec) };
}

export interface RepositoryTarget {
  registry: RegistryOptions;
  repository: string;
}

export function parseRepositoryTarget(input: CommandInput): RepositoryTarget {
  const positional = input.args[0] !== undefined;
  const { registry, spec } = qualified(input, BAD_REPOSITORY_ARGS);
  // The repository form carries no tag: a ':' or '@' after the login server is a tag or a digest.
  if (/[:@]/.test(spec)) {
    throw new UsageError(positional ? "The positional parameter 'repo_id' should not include a tag or digest." : `-n/--name takes a repository here, not an image: ${quote(spec)}`);
  }
  return { registry, repository: validateRepositoryName(spec) };
}

/** Exactly one of the positional form and -n; a login server in front of the positional form wins over -r. */
function qualified(input: CommandInput, badArgs: string): { registry: RegistryOptions; spec: string } {
  const name = textValue(input.values, 'name');
  const positional = input.args[0];
  if ((positional === undefined) === (name === undefined)) throw new UsageError(badArgs);
  const registry = parseRegistryOptions(input.values, 'registry');
  if (name !== undefined) {
    const fromName = registryFromReference(name, registry, '-n/--name');
    return { registry: fromName.registry, spec: fromName.reference };
  }
  const split = positional === undefined ? undefined : splitQualifiedName(positional);
  if (!split) throw new UsageError(badArgs);
  validateRegistryName(split.loginServer, registry.suffix);
  return { registry: { ...registry, name: split.loginServer }, spec: split.remainder };
}
