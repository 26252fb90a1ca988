// acrx login: verify credentials against the registry, then store them the way docker does (the
// helper or store named in config.json, else its auths), or print a token instead (--expose-token).
import { UsageError } from '../../errors.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
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

export async function runLogin(options: LoginOptions, context: CommandContext): Promise<ExposedToken | undefined> {
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
  flags: (command) => addRegistryOptions(command).option('--expose-token', 'print an access token instead of storing credentials (no docker needed)'),
  parse: ({ values }) => ({ registry: parseRegistryOptions(values), exposeToken: flagValue(values, 'exposeToken') }),
  run: runLogin,
});
