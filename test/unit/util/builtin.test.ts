// builtin(): Node's own process.getBuiltinModule where the Node version has it, require() where not.
import { afterEach, describe, expect, it, vi } from 'vitest';

describe('builtin', () => {
  const original = process.getBuiltinModule;
  afterEach(() => {
    process.getBuiltinModule = original;
    vi.resetModules();
  });

  it("is Node's process.getBuiltinModule where there is one", async () => {
    const calls: string[] = [];
    process.getBuiltinModule = ((id: string) => {
      calls.push(id);
      return original.call(process, id);
    }) as typeof process.getBuiltinModule;
    vi.resetModules();
    const { builtin } = await import('../../../src/util/builtin.js');
    expect(builtin('node:os').EOL).toBe((await import('node:os')).EOL);
    expect(calls).toEqual(['node:os']);
  });

  it('loads the same module through require() on a Node without it (22.0 to 22.2)', async () => {
    // @ts-expect-error: a Node version that lacks it
    delete process.getBuiltinModule;
    vi.resetModules();
    const { builtin } = await import('../../../src/util/builtin.js');
    expect(builtin('node:crypto').createHash('sha256').update('a').digest('hex')).toBe('ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb');
  });
});
