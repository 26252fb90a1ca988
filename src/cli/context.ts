// What a command runs with: its streams, environment and clock (injected, so a run function can be
// driven by a test), the stderr status line, acrx's settings, and the registry session it opens.
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { readConfig, type AcrxConfig } from '../config.js';
import { ACR_TOKEN_USERNAME } from '../auth/docker-config.js';
import { setMaxListeners } from 'node:events';
import { TimeLimitError, UsageError } from '../errors.js';
import type { CompiledQuery } from '../output/query.js';
import { parseOutputFormat, type OutputFormat } from '../output/render.js';
import { decideColors, painter, Status, type ColorDecision, type OutputStream, type Verbosity } from '../output/status.js';
import type { CredentialChoice, RegistrySession } from '../registry/service/open.js';
import type { Credential } from '../transport/index.js';
import { probeTarget } from '../transport/protocol.js';
import { userAgent } from '../version.js';
import type { GlobalOptions, RegistryOptions } from './options.js';
import { isTerminal, promptPassword } from './password-prompt.js';
import { resolveTarget } from './registry-target.js';

export interface Io {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin?: Readable;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** Epoch milliseconds; Date.now unless a test sets the clock. */
  now?: () => number;
  /** The colour decision main() made for this run (decideColors when absent). */
  colors?: ColorDecision;
  /**
   * The process ends when the command does (bin/acrx.cjs): the registry connections are left to the
   * operating system to close with it, rather than closed one by one first (undici closes each with an
   * error whose stack Node formats, which reads the whole bundle for its line numbers).
   */
  exitsAfterRun?: true;
}

export interface CommandContext {
  io: Io;
  status: Status;
  config: AcrxConfig;
  /**
   * Opens the registry the options name; every session opened is closed when the command ends. Its
   * requests stop on Ctrl-C (io.signal), or on `signal` for a command that lets them finish first.
   */
  openRegistry(options: RegistryOptions, credentials?: CredentialChoice, signal?: AbortSignal): Promise<RegistrySession>;
}

/** The context of one command run, with what rendering needs beside it. */
export interface RunContext extends CommandContext {
  format: OutputFormat;
  query?: CompiledQuery;
  color: boolean;
  /** Closes what openRegistry opened. */
  close(): Promise<void>;
}

export async function createContext(options: GlobalOptions, io: Io): Promise<RunContext> {
  if (options.onlyShowErrors && (options.debug || options.verbose)) {
    throw new UsageError("--only-show-errors can't be used together with --debug or --verbose");
  }
  const verbosity: Verbosity = options.debug ? 'debug' : options.verbose ? 'verbose' : options.onlyShowErrors ? 'errors' : 'normal';
  const colors = io.colors ?? decideColors(io);
  const status = new Status(io.stderr, verbosity, await painter(colors.stderr));
  const config = readConfig(io.env);
  const format = parseOutputFormat(options.output ?? (io.env.ACRX_OUTPUT || config.defaults?.output || 'json'));
  // The JMESPath engine loads only for commands that use --query.
  const query = options.query !== undefined ? (await import('../output/query.js')).compileQuery(options.query) : undefined;
  const sessions: RegistrySession[] = [];
  const context: RunContext = {
    io,
    status,
    config,
    format,
    ...(query ? { query } : {}),
    color: colors.stdout,
    openRegistry: async (registry, credentials = 'stored', signal = io.signal) => {
      const session = await openRegistry(context, registry, credentials, signal);
      sessions.push(session);
      return session;
    },
    close: async () => {
      await Promise.all(sessions.map((session) => session.close()));
    },
  };
  return context;
}

/** Validates everything about the registry and its credentials, then opens the session (no request yet). */
async function openRegistry(context: CommandContext, options: RegistryOptions, credentials: CredentialChoice, signal: AbortSignal): Promise<RegistrySession> {
  const { io, status } = context;
  const target = resolveTarget(context, options);
  const explicit = await explicitCredential(options, io);
  const extraCa = options.caFile !== undefined ? readCaFile(options.caFile) : undefined;
  // A loopback registry's TLS probe goes out now and is answered while the registry stack loads.
  const tlsProbe = probeTarget(target);
  const { openSession } = await import('../registry/service/open.js');
  if (options.timeoutSeconds !== undefined) signal = withTimeLimit(signal, options.timeoutSeconds);
  return openSession({
    target,
    credentials,
    ...(explicit ? { explicit } : {}),
    userAgent: userAgent(),
    env: io.env,
    signal,
    reporter: status,
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.insecure ? { insecure: true } : {}),
    ...(extraCa ? { extraCa } : {}),
    ...(tlsProbe ? { tlsProbe } : {}),
    ...(status.debugging ? { trace: (line: string) => status.debug(line) } : {}),
    ...(io.now ? { now: io.now } : {}),
  });
}

/** `signal`, also aborted once `seconds` have passed (the timer does not keep the process alive). */
function withTimeLimit(signal: AbortSignal, seconds: number): AbortSignal {
  const limit = new AbortController();
  setMaxListeners(0, limit.signal);
  setTimeout(() => limit.abort(new TimeLimitError(`the command ran past --timeout (${seconds} s)`, seconds)), seconds * 1000).unref();
  const combined = AbortSignal.any([signal, limit.signal]);
  setMaxListeners(0, combined);
  return combined;
}

function readCaFile(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --ca-file '${file}': ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new UsageError(`--ca-file '${file}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  return pem;
}

/** -u/-p, --password-stdin, or ACRX_USERNAME/ACRX_PASSWORD; undefined when none was given. */
export async function explicitCredential(options: RegistryOptions, io: Io): Promise<Credential | undefined> {
  if (options.password !== undefined && options.passwordStdin) {
    throw new UsageError('--password and --password-stdin are mutually exclusive');
  }
  const username = options.username ?? io.env.ACRX_USERNAME;
  if (options.password !== undefined && username === undefined) {
    throw new UsageError('Please also specify username if password is specified.');
  }
  if (options.passwordStdin && username === undefined) {
    throw new UsageError('--password-stdin needs a username: pass -u/--username');
  }
  let password = options.passwordStdin ? await readPasswordFromStdin(io) : (options.password ?? io.env.ACRX_PASSWORD);
  if (username !== undefined && password === undefined && options.promptForPassword && io.stdin && isTerminal(io.stdin)) {
    password = await promptPassword(io.stdin, io.stderr, io.signal);
  }
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
