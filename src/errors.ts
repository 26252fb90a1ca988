// Every failure acrx reports is one of these classes; the class decides the exit code (PRODUCT §3).
// Messages say what happened. What the user can change to fix it is a `remedy`: the command line
// (src/cli/) turns it into words naming its own flags, so no lower layer knows the CLI's spelling.

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

/** Something the user can do about an error, named by what it is rather than by a flag. */
export type Remedy =
  | { kind: 'use-plain-http' }
  | { kind: 'use-https' }
  | { kind: 'trust-certificate' }
  | { kind: 'log-in'; loginServer: string }
  | { kind: 'give-credentials' }
  | { kind: 'sign-in-to-entra' }
  | { kind: 'declare-acr-api' }
  | { kind: 'stop-declaring-acr-api' }
  | { kind: 'delete-whole-image'; image: string }
  | { kind: 'lift-lock' }
  | { kind: 'replace-or-keep-files' };

export interface ErrorOptions {
  cause?: unknown;
  remedy?: Remedy;
  /** What the command did before it stopped: printed as its result, then the error is reported. */
  result?: unknown;
}

/** The base of every acrx error; abstract, so each failure is thrown as the kind it is. */
export abstract class AcrxError extends Error {
  abstract readonly exitCode: ExitCode;
  readonly remedy: Remedy | undefined;
  readonly result: unknown;
  constructor(message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.remedy = options.remedy;
    this.result = options.result;
  }
}

/** Bad flag, bad reference, bad --query: nothing was sent. */
export class UsageError extends AcrxError {
  readonly exitCode = ExitCode.usage;
}

/** The registry answered, but what was asked for is not there. */
export class NotFoundError extends AcrxError {
  readonly exitCode = ExitCode.notFound;
}

/** Credentials missing, wrong, or without the rights for the operation. */
export class AuthError extends AcrxError {
  readonly exitCode = ExitCode.auth;
}

/** The registry understood and said no: locked, delete disabled, unsupported. */
export class RefusedError extends AcrxError {
  readonly exitCode = ExitCode.refused;
}

/** The operation exists only in ACR's metadata API (/acr/v1), which this registry does not offer. */
export class AcrApiRequiredError extends RefusedError {}

/** The registry does not offer an optional API (the referrers API); callers may fall back. */
export class ApiNotOfferedError extends RefusedError {}

/** Ctrl-C. */
export class InterruptedError extends AcrxError {
  readonly exitCode = ExitCode.interrupted;
  constructor(message = 'interrupted', options: ErrorOptions = {}) {
    super(message, options);
  }
}

/** The user answered no at a confirmation prompt. */
export class CancelledError extends AcrxError {
  readonly exitCode = ExitCode.error;
  constructor() {
    super('Operation cancelled.');
  }
}

/** The registry or network failed in a way the user cannot fix by changing the command. */
export class RegistryError extends AcrxError {
  readonly exitCode = ExitCode.error;
}

/** A network failure: one line naming the host and what happened; `code` is what retries look at. */
export class ConnectionError extends RegistryError {
  constructor(
    message: string,
    readonly code: string | undefined,
    options: ErrorOptions & { peerSpeaksPlainHttp?: boolean } = {},
  ) {
    super(message, options);
    this.peerSpeaksPlainHttp = options.peerSpeaksPlainHttp === true;
  }

  /** The server answered a TLS handshake with plain HTTP. */
  readonly peerSpeaksPlainHttp: boolean;
}

/** A docker credential helper could not be run, or answered something unusable. */
export class CredentialHelperError extends AcrxError {
  readonly exitCode = ExitCode.error;
}

/**
 * A credential helper has nothing for this server. The message is the protocol's own words, which
 * docker-credential-acrx prints and other helpers' callers compare against.
 */
export class CredentialsNotFoundError extends AcrxError {
  static readonly MESSAGE = 'credentials not found in native keychain';
  readonly exitCode = ExitCode.error;
  constructor() {
    super(CredentialsNotFoundError.MESSAGE);
  }
}

/** A title, tar entry or link of an artifact that would write outside the output directory, or is not unpackable. */
export class UnsafeArtifactError extends RegistryError {}

/** Something already exists where a pull would write, and overwriting was not allowed. */
export class DestinationExistsError extends RegistryError {
  constructor(
    readonly path: string,
    message: string,
    options: ErrorOptions = {},
  ) {
    super(message, options);
  }
}

/** The bytes a registry sent for a blob are not the blob: whatever was written of them must go. */
export class BlobMismatchError extends RegistryError {
  constructor(
    readonly repository: string,
    readonly digest: string,
    problem: string,
  ) {
    super(`blob ${digest} of '${repository}' failed verification: ${problem}`);
  }
}

/** A manifest PUT with If-Match found the manifest changed meanwhile (412). */
export class ManifestChangedError extends RegistryError {}

/** An upload failure the upload may recover from (resume or start over); `failure` is reported if it cannot. */
export class PassingFailure extends Error {
  constructor(readonly failure: Error) {
    super(failure.message);
  }
}

/** An error reading a request body (a file on disk), as opposed to one of the network: never retried. */
export class BodyReadError extends Error {}

/** What the tar reader refuses in an archive; unpacking reports it as an UnsafeArtifactError. */
export class ArchiveRefusal extends Error {}

/** A settings or credentials file acrx reads or writes is unreadable or not what it should be. */
export class ConfigFileError extends AcrxError {
  readonly exitCode = ExitCode.error;
}

/** A --query expression Python's jmespath does not accept: knack makes it an argparse error. */
export class JmespathSyntaxError extends UsageError {}

/** A --query expression failed while it ran (a type error, an unknown function), as az reports it. */
export class QueryError extends AcrxError {
  readonly exitCode = ExitCode.error;
}

/** Python's JMESPathError raised while searching (type, arity, unknown function). */
export class JmespathError extends QueryError {}

/** Any other Python exception raised while searching (TypeError, ValueError, ...). */
export class PythonError extends QueryError {
  constructor(
    readonly pythonType: string,
    message: string,
  ) {
    super(message);
  }
}

/** The result cannot be shown in the chosen output format (knack's "Table output unavailable"). */
export class OutputError extends AcrxError {
  readonly exitCode = ExitCode.error;
}

/** Some items of a batch (a purge) failed or did not start; the result says which. */
export class IncompleteError extends AcrxError {
  readonly exitCode = ExitCode.error;
}

/** The command ran past the user's --timeout. */
export class TimeLimitError extends RegistryError {
  constructor(
    message: string,
    readonly seconds: number,
  ) {
    super(message);
  }
}

/** A multi-step change stopped partway: the message says what was done; the exit code is the cause's. */
export class PartialFailureError extends AcrxError {
  readonly exitCode: ExitCode;
  constructor(message: string, cause: AcrxError) {
    super(message, { cause, ...(cause.remedy ? { remedy: cause.remedy } : {}) });
    this.exitCode = cause.exitCode;
  }
}
