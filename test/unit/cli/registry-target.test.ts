// Which registry a command means when a reference names one in front and -n names one too: the same
// registry in the cloud acrx is configured for (ACRX_LOGIN_SERVER_SUFFIX), or a usage error.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { resolveTarget } from '../../../src/cli/registry-target.js';
import { registryFromReference } from '../../../src/cli/registry-in-reference.js';
import type { RegistryOptions } from '../../../src/cli/options.js';

const china = { io: { env: { ACRX_LOGIN_SERVER_SUFFIX: '.azurecr.cn' } }, config: {} };
const flags: RegistryOptions = { flag: 'name', name: 'myreg', passwordStdin: false, plainHttp: false, insecure: false };

describe('-n with a bare registry name and an --image with its login server in front', () => {
  it('is the one registry when the login server is the name in the configured cloud', () => {
    const { registry, reference } = registryFromReference('myreg.azurecr.cn/hello:1', flags, '--image');
    expect(reference).toBe('hello:1');
    expect(resolveTarget(china, registry).loginServer).toBe('myreg.azurecr.cn');
  });

  it('is a usage error when the login server is the name in another cloud', () => {
    const { registry } = registryFromReference('myreg.azurecr.io/hello:1', flags, '--image');
    expect(() => resolveTarget(china, registry)).toThrow(UsageError);
    expect(() => resolveTarget(china, registry)).toThrow(
      "--image 'myreg.azurecr.io/hello:1' names the registry 'myreg.azurecr.io', but -n names 'myreg': give the registry once, or the same in both",
    );
  });

  it('in the public cloud, the default, takes the .azurecr.io login server', () => {
    const { registry } = registryFromReference('MyReg.azurecr.io/hello:1', flags, '--image');
    expect(resolveTarget({ io: { env: {} }, config: {} }, registry).loginServer).toBe('myreg.azurecr.io');
  });
});
