// Where credentials for a registry come from, in the order of PRODUCT §4: what the command line or
// environment gave, docker's config.json (credHelpers, credsStore, auths), the containers auth.json,
// Microsoft Entra ID for ACR hosts, and otherwise none (anonymous).
import type { Credential, CredentialSource, Transport } from '../transport/index.js';
import { containersAuthPath, dockerConfigPath, lookupInConfig } from './docker-config.js';

export interface ChainOptions {
  loginServer: string;
  /** -u/-p, --password-stdin or ACRX_USERNAME/ACRX_PASSWORD. */
  explicit?: Credential;
  acr: boolean;
  env: NodeJS.ProcessEnv;
  /** Transport without auth, for the ACR token exchange. */
  plain: Transport;
  registry: URL;
  log: (message: string) => void;
}

export function credentialChain(options: ChainOptions): CredentialSource {
  return async () => {
    const { loginServer, env, log } = options;
    if (options.explicit) {
      log('using the credentials given on the command line or in ACRX_USERNAME/ACRX_PASSWORD');
      return options.explicit;
    }
    for (const path of [dockerConfigPath(env), containersAuthPath(env)]) {
      if (!path) continue;
      const found = await lookupInConfig(path, loginServer, env);
      if (found) {
        log(`using credentials from ${found.source}`);
        return found.credential;
      }
    }
    if (options.acr) {
      const { entraCredential } = await import('./azure.js');
      const found = await entraCredential({ registry: options.registry, transport: async () => options.plain, env, log });
      if (found) return found;
    }
    log(`no credentials found for ${loginServer}; trying anonymously`);
    return undefined;
  };
}
