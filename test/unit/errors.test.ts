import { describe, expect, it } from 'vitest';
import { AcrApiRequiredError, ApiNotOfferedError, AuthError, CancelledError, ExitCode, NotFoundError, PartialFailureError, RefusedError, UsageError } from '../../src/errors.js';

describe('error classes decide the exit code', () => {
  it('maps each kind of failure to the contract exit code', () => {
    expect(new UsageError('x').exitCode).toBe(ExitCode.usage);
    expect(new NotFoundError('x').exitCode).toBe(ExitCode.notFound);
    expect(new ApiNotOfferedError('x')).toBeInstanceOf(RefusedError);
    expect(new AuthError('x').exitCode).toBe(ExitCode.auth);
    expect(new AcrApiRequiredError('x').exitCode).toBe(ExitCode.refused);
    expect(new CancelledError().exitCode).toBe(ExitCode.error);
  });
  it('a change that stopped partway keeps the exit code and the remedy of what stopped it', () => {
    const cause = new RefusedError('locked', { remedy: { kind: 'declare-acr-api' } });
    const partial = new PartialFailureError('locked (after deleting 2 of 3 manifests)', cause);
    expect(partial.exitCode).toBe(ExitCode.refused);
    expect(partial.remedy).toEqual({ kind: 'declare-acr-api' });
    expect(partial.cause).toBe(cause);
  });
});
