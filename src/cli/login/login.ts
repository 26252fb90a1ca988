// acrx login: verify credentials against the registry, then store them the way docker does (the
// helper or store named in config.json, else its auths), or print a token instead (--expose-token).
import { UsageError } from '../../errors.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { addRegistryArgument, registryArgumentOrName } from './registry-argument.js';
import { addRegistryOptions, flagValue, parseRegistryOptions, type RegistryOptions } from '../options.js';

export interface LoginOptions {
  registry: RegistryOptions;
  exposeToken: boolean;
}

/** az's `login --expose-token` answer; for ACR the token is the refresh token, as az prints it. */
export interface ExposedToken {
  accessToken: string;
  loginServer: string;
}

/** What docker login prints for -p. */
export const PASSWORD_FLAG_WARNING = 'WARNING! Using --password via the CLI is insecure. Use --password-stdin.';

export async function runLogin(options: LoginOptions, context: CommandContext): Promise<ExposedToken | undefined> {
  if (options.registry.password !== undefined) context.status.note(PASSWORD_FLAG_WARNING);
  // Exactly the credentials given, else (ACR) Entra ID: never what happens to be stored already.
  const session = await context.openRegistry(options.registry, 'sign-in');
  await session.verifyAccess();
  // A registry that never asked for credentials still gets them stored, as docker login does.
  const credential = await session.credential();
  if (!credential) throw new UsageError('login needs credentials', { remedy: { kind: 'give-credentials' } });
  if (options.exposeToken) return { accessToken: await session.accessToken(), loginServer: session.loginServer };
  const { dockerConfigPath, storeCredential } = await import('../../auth/docker-config.js');
  const stored = await storeCredential(dockerConfigPath(context.io.env), session.loginServer, credential, context.io.env);
  context.status.info(`credentials stored in ${stored.where}`);
  context.status.note('Login Succeeded');
  return undefined;
}

export const loginCommand = defineCommand<LoginOptions, ExposedToken | undefined>({
  name: 'login',
  summary: 'Log in to a registry: verify the credentials, then store them where docker looks.',
  examples: [
    { summary: 'Log in to a local registry as docker does (asks for the password on a terminal).', command: 'acrx login localhost:5000 -u bob' },
    { summary: 'Log in from a script, the password read from standard input.', command: 'echo "$PASSWORD" | acrx login -n myregistry -u bob --password-stdin' },
    { summary: 'Print an access token instead of storing credentials.', command: 'acrx login -n myregistry -t --query accessToken -o tsv' },
  ],
  flags: (command) => addRegistryOptions(addRegistryArgument(command)).option('-t, --expose-token', 'print an access token instead of storing credentials (no docker needed)'),
  parse: ({ values, args }) => {
    const name = registryArgumentOrName(values, args);
    const registry = parseRegistryOptions(name === undefined ? values : { ...values, name });
    return { registry: { ...registry, promptForPassword: true }, exposeToken: flagValue(values, 'exposeToken') };
  },
  run: runLogin,
});
