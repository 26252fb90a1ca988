// A Node built-in loaded where it is first needed rather than by an import at the top of a module, which
// would load it at every start. process.getBuiltinModule is Node 20.16+ and 22.3+; the Node 22 releases
// before it (22.0 to 22.2, within acrx's `node >= 20.19`) get the same module through require().
import { createRequire } from 'node:module';

export const builtin: typeof process.getBuiltinModule =
  typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule.bind(process) : (createRequire(import.meta.url) as typeof process.getBuiltinModule);
