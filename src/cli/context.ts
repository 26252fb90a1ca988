// What a command runs with: the streams, the renderer settings, and (for registry commands) a session
// holding the client. Everything the user typed is validated here before anything goes on the wire.
import type { Readable } from 'node:stream';
import { credentialChain } from '../auth/chain.js';
import type { Credential, CredentialSource } from '../auth/credential.js';
import { ACR_TOKEN_USERNAME } from '../auth/docker-config.js';
import { readConfig, type AcrxConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { compileQuery, type CompiledQuery } from '../output/query.js';
import { parseOutputFormat, type OutputFormat } from '../output/render.js';
import { colorAllowed, Status, type OutputStream, type Verbosity } from '../output/status.js';
import { AcrClient } from '../registry/acr.js';
import { DEFAULT_CONCURRENCY, RegistryClient } from '../registry/client.js';
import { registryBaseUrl, resolveRegistry, type RegistryTarget } from '../registry/reference.js';
import { createConnection, type Connection } from '../transport/index.js';
import { negotiateProtocol } from '../transport/protocol.js';
import type { Transport } from '../transport/types.js';
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
  passwordStdin?: boolean;
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
  /** The ACR metadata API client, sharing the connection and tokens of client(). */
  acr(): Promise<AcrClient>;
  /** The transport without auth (token exchanges) and the registry's base URL, once connected. */
  connection(): Promise<{ plain: Transport; registry: URL }>;
  close(): Promise<void>;
}

export interface SessionOverrides {
  /** Replaces the credential chain (login uses exactly the credentials it was given). */
  credentials?: (plain: Transport, registry: URL) => CredentialSource;
}

export async function openRegistry(context: CommandContext, options: RegistryOptions, overrides: SessionOverrides = {}): Promise<RegistrySession> {
  const { env, signal } = context.io;
  const requested = resolveTarget(context, options);
  const concurrency = parseConcurrency(options.concurrency);
  const explicit = overrides.credentials ? undefined : await explicitCredential(options, context.io);
  const { status } = context;

  let connection: Connection | undefined;
  let ready: Promise<{ client: RegistryClient; acr: AcrClient; plain: Transport; registry: URL }> | undefined;
  const connect = () =>
    (ready ??= (async () => {
      connection = createConnection({
        userAgent: userAgent(),
        connections: concurrency,
        ...(options.insecure ? { insecure: true } : {}),
        ...(options.caFile ? { caFile: options.caFile } : {}),
        ...(status.debugging ? { trace: (line: string) => status.debug(line) } : {}),
        env,
      });
      const target = await negotiateProtocol(connection.plain, requested, signal);
      const registry = registryBaseUrl(target);
      status.info(`registry ${target.loginServer} over ${target.protocol === 'https:' ? 'HTTPS' : 'plain HTTP'}`);
      const credentials = overrides.credentials?.(connection.plain, registry) ?? credentialChain({
        loginServer: target.loginServer,
        ...(explicit ? { explicit } : {}),
        acr: target.acrApi,
        env,
        plain: connection.plain,
        registry,
        log: (message) => status.info(message),
      });
      const authed = connection.withAuth(registry, credentials);
      const client = new RegistryClient(target, authed, { concurrency, signal });
      await client.ping();
      return { client, acr: new AcrClient(authed, registry, signal), plain: connection.plain, registry };
    })());
  return {
    target: requested,
    status,
    client: async () => (await connect()).client,
    acr: async () => (await connect()).acr,
    connection: async () => {
      const { plain, registry } = await connect();
      return { plain, registry };
    },
    close: async () => {
      await connection?.close();
    },
  };
}

/** -n, else ACRX_REGISTRY, else the configured default; checked against the addressing rules. */
export function resolveTarget(context: CommandContext, options: Pick<RegistryOptions, 'name' | 'suffix' | 'plainHttp'>): RegistryTarget {
  const name = options.name ?? (context.io.env.ACRX_REGISTRY || context.config.defaults?.registry);
  if (!name) {
    throw new UsageError('the registry is required: pass -n/--name, set ACRX_REGISTRY, or run acrx configure --defaults registry=NAME');
  }
  return resolveRegistry(name, {
    ...(options.suffix ? { suffix: options.suffix } : {}),
    ...(options.plainHttp ? { plainHttp: true } : {}),
    env: context.io.env,
  });
}

function parseConcurrency(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 64) {
    throw new UsageError(`--concurrency must be a whole number from 1 to 64, not '${value}'`);
  }
  return parsed;
}

/** -u/-p, --password-stdin, or ACRX_USERNAME/ACRX_PASSWORD; undefined when none was given. */
export async function explicitCredential(options: RegistryOptions, io: Io): Promise<Credential | undefined> {
  if (options.password !== undefined && options.passwordStdin) {
    throw new UsageError('--password and --password-stdin are mutually exclusive');
  }
  const username = options.username ?? io.env.ACRX_USERNAME;
  if (options.password !== undefined && options.username === undefined) {
    throw new UsageError('Please also specify username if password is specified.');
  }
  if (options.passwordStdin && username === undefined) {
    throw new UsageError('--password-stdin needs a username: pass -u/--username');
  }
  const password = options.passwordStdin ? await readPasswordFromStdin(io) : (options.password ?? io.env.ACRX_PASSWORD);
  if (username !== undefined && password === undefined) {
    throw new UsageError('Please also specify password if username is specified (-p, --password-stdin, or ACRX_PASSWORD).');
  }
  if (username === undefined || password === undefined) return undefined;
  return username === ACR_TOKEN_USERNAME ? { kind: 'identity-token', token: password } : { kind: 'basic', username, password };
}

async function readPasswordFromStdin(io: Io): Promise<string> {
  if (!io.stdin) throw new UsageError('--password-stdin: there is no standard input to read');
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (!password) throw new UsageError('--password-stdin: standard input was empty');
  return password;
}
