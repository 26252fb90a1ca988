// Every failure acrx reports is one of these classes; the class decides the exit code (PRODUCT §3).

export const ExitCode = {
  ok: 0,
  error: 1,
  usage: 2,
  notFound: 3,
  auth: 4,
  refused: 5,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class AcrxError extends Error {
  readonly exitCode: ExitCode = ExitCode.error;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad flag, bad reference, bad --query: nothing was sent. */
export class UsageError extends AcrxError {
  override readonly exitCode = ExitCode.usage;
}

/** The registry answered, but what was asked for is not there. */
export class NotFoundError extends AcrxError {
  override readonly exitCode = ExitCode.notFound;
}

/** Credentials missing, wrong, or without the rights for the operation. */
export class AuthError extends AcrxError {
  override readonly exitCode = ExitCode.auth;
}

/** The registry understood and said no: locked, delete disabled, unsupported. */
export class RefusedError extends AcrxError {
  override readonly exitCode = ExitCode.refused;
}

/** Ctrl-C. */
export class InterruptedError extends AcrxError {
  override readonly exitCode = ExitCode.interrupted;
  constructor() {
    super('interrupted');
  }
}

/** The registry or network failed in a way the user cannot fix by changing the command. */
export class RegistryError extends AcrxError {}
