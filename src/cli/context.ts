// What a command runs with: the streams, the renderer settings, and (for registry commands) a session
// holding the client. Everything the user typed is validated here before anything goes on the wire.
import type { Readable } from 'node:stream';
import type { Credential, CredentialSource } from '../auth/credential.js';
import { readConfig, type AcrxConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { compileQuery, type CompiledQuery } from '../output/query.js';
import { parseOutputFormat, type OutputFormat } from '../output/render.js';
import { colorAllowed, Status, type OutputStream, type Verbosity } from '../output/status.js';
import { DEFAULT_CONCURRENCY, RegistryClient } from '../registry/client.js';
import { resolveRegistry, type RegistryTarget } from '../registry/reference.js';
import { createRegistryTransport, type RegistryTransport } from '../transport/index.js';
import { userAgent } from '../version.js';

export interface Io {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin?: Readable;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

export interface GlobalOptions {
  output?: string;
  query?: string;
  verbose?: boolean;
  debug?: boolean;
  onlyShowErrors?: boolean;
}

export interface RegistryOptions {
  name?: string;
  suffix?: string;
  username?: string;
  password?: string;
  plainHttp?: boolean;
  insecure?: boolean;
  caFile?: string;
  concurrency?: string;
}

export interface CommandContext {
  io: Io;
  status: Status;
  format: OutputFormat;
  query?: CompiledQuery;
  color: boolean;
  config: AcrxConfig;
}

export function createContext(options: GlobalOptions, io: Io): CommandContext {
  if (options.onlyShowErrors && (options.debug || options.verbose)) {
    throw new UsageError("--only-show-errors can't be used together with --debug or --verbose");
  }
  const verbosity: Verbosity = options.debug ? 'debug' : options.verbose ? 'verbose' : options.onlyShowErrors ? 'errors' : 'normal';
  const status = new Status(io.stderr, verbosity, colorAllowed(io.stderr, io.env));
  const config = readConfig(io.env);
  const format = parseOutputFormat(options.output ?? (io.env.ACRX_OUTPUT || config.defaults?.output || 'json'));
  const query = options.query !== undefined ? compileQuery(options.query) : undefined;
  return { io, status, format, ...(query ? { query } : {}), color: colorAllowed(io.stdout, io.env), config };
}

export interface RegistrySession {
  target: RegistryTarget;
  status: Status;
  /** The client, after a /v2/ ping proved the host is a registry. */
  client(): Promise<RegistryClient>;
  close(): Promise<void>;
}

export function openRegistry(context: CommandContext, options: RegistryOptions): RegistrySession {
  const { env, signal } = context.io;
  const name = options.name ?? (env.ACRX_REGISTRY || context.config.defaults?.registry);
  if (!name) {
    throw new UsageError('the registry is required: pass -n/--name, set ACRX_REGISTRY, or run acrx configure --defaults registry=NAME');
  }
  const target = resolveRegistry(name, {
    ...(options.suffix ? { suffix: options.suffix } : {}),
    ...(options.plainHttp ? { plainHttp: true } : {}),
    env,
  });
  const concurrency = parseConcurrency(options.concurrency);
  const credentials = explicitCredentials(options, env);
  const { status } = context;

  let transport: RegistryTransport | undefined;
  let ready: Promise<RegistryClient> | undefined;
  return {
    target,
    status,
    client: () =>
      (ready ??= (async () => {
        transport = createRegistryTransport({
          registry: new URL(`${target.protocol}//${target.loginServer}/`),
          credentials,
          userAgent: userAgent(),
          connections: concurrency,
          ...(options.insecure ? { insecure: true } : {}),
          ...(options.caFile ? { caFile: options.caFile } : {}),
          ...(status.debugging ? { trace: (line: string) => status.debug(line) } : {}),
          env,
        });
        const client = new RegistryClient(target, transport.transport, { concurrency, signal });
        status.info(`registry ${target.loginServer} over ${target.protocol === 'https:' ? 'HTTPS' : 'plain HTTP'}`);
        await client.ping();
        return client;
      })()),
    close: async () => {
      await transport?.close();
    },
  };
}

function parseConcurrency(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 64) {
    throw new UsageError(`--concurrency must be a whole number from 1 to 64, not '${value}'`);
  }
  return parsed;
}

// The null GUID marks the password as an ACR refresh token (as az and docker use it).
const TOKEN_USERNAME = '00000000-0000-0000-0000-000000000000';

function explicitCredentials(options: RegistryOptions, env: NodeJS.ProcessEnv): CredentialSource {
  const username = options.username ?? env.ACRX_USERNAME;
  const password = options.password ?? env.ACRX_PASSWORD;
  if (options.password !== undefined && options.username === undefined) {
    throw new UsageError('Please also specify username if password is specified.');
  }
  if (username !== undefined && password === undefined) {
    throw new UsageError('Please also specify password if username is specified (-p, or ACRX_PASSWORD).');
  }
  if (username === undefined || password === undefined) return async () => undefined;
  const credential: Credential =
    username === TOKEN_USERNAME ? { kind: 'identity-token', token: password } : { kind: 'basic', username, password };
  return async () => credential;
}
