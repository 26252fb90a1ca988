// acrx logout: remove the stored credentials of a registry, wherever docker would have put them.
import { validateRegistryName } from '../../reference/login-server.js';
import { defineCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { resolveTarget } from '../registry-target.js';
import { addGlobalOptions, addSuffixOption, textValue } from '../options.js';
import { addRegistryArgument, registryArgumentOrName } from './registry-argument.js';

export interface LogoutOptions {
  name?: string;
  suffix?: string;
}

export async function runLogout(options: LogoutOptions, context: CommandContext): Promise<undefined> {
  const { loginServer } = resolveTarget(context, options);
  const { dockerConfigPath, eraseCredential } = await import('../../auth/docker-config.js');
  const erased = await eraseCredential(dockerConfigPath(context.io.env), loginServer, context.io.env);
  if (erased) context.status.note(`Removing login credentials for ${loginServer}`);
  else context.status.warn(`Not logged in to ${loginServer}`);
  return undefined;
}

export const logoutCommand = defineCommand<LogoutOptions, undefined>({
  name: 'logout',
  summary: 'Remove the stored credentials of a registry.',
  examples: [
    { summary: 'Remove the stored credentials of a local registry.', command: 'acrx logout localhost:5000' },
    { summary: 'Remove the stored credentials of an Azure Container Registry.', command: 'acrx logout -n myregistry' },
  ],
  flags: (command) => addGlobalOptions(addSuffixOption(addRegistryArgument(command).option('-n, --name <registry>', 'registry name or login server'))),
  parse: ({ values, args }) => {
    const name = registryArgumentOrName(values, args);
    const suffix = textValue(values, 'suffix');
    if (name) validateRegistryName(name, suffix);
    return { ...(name !== undefined ? { name } : {}), ...(suffix !== undefined ? { suffix } : {}) };
  },
  run: runLogout,
});
