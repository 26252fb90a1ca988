// Which registry a command means: -n/-r, else ACRX_REGISTRY, else the configured default.
import type { AcrxConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { isLoginServerName, resolveRegistry, type RegistryTarget } from '../reference/login-server.js';
import { quote } from '../reference/quote.js';
import type { RegistryOptions } from './options.js';

/** -n/-r, else ACRX_REGISTRY, else the configured default; checked against the addressing rules. */
export function resolveTarget(
  context: { io: { env: NodeJS.ProcessEnv }; config: AcrxConfig },
  options: Partial<Pick<RegistryOptions, 'name' | 'suffix' | 'plainHttp' | 'flag' | 'inReference'>>,
): RegistryTarget {
  const name = options.name ?? (context.io.env.ACRX_REGISTRY || context.config.defaults?.registry);
  if (!name) {
    const flag = options.flag === 'registry' ? '-r/--registry' : '-n/--name';
    throw new UsageError(`the registry is required: pass ${flag}, set ACRX_REGISTRY, or run acrx configure --defaults registry=NAME`);
  }
  if (options.suffix && isLoginServerName(name)) {
    throw new UsageError('--suffix applies only to a registry name, not to a login server');
  }
  const target = resolveRegistry(name, {
    ...(options.suffix ? { suffix: options.suffix } : {}),
    ...(options.plainHttp ? { plainHttp: true } : {}),
    env: context.io.env,
  });
  const named = options.inReference;
  if (named !== undefined && named.loginServer !== target.loginServer) {
    const flag = options.flag === 'registry' ? '-r' : '-n';
    throw new UsageError(`${named.what} ${quote(named.text)} names the registry ${quote(named.loginServer)}, but ${flag} names ${quote(name)}: give the registry once, or the same in both`);
  }
  return target;
}
