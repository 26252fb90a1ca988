// docker-credential-acrx: the docker credential-helper protocol (docker-credential-helpers), spoken
// exactly: one verb as the argument, the payload on stdin, answers and errors on stdout, exit 1 on error.
// For ACR hosts `get` answers with a fresh ACR refresh token from Microsoft Entra ID (`<token>` user).
import { normalizeServer, TOKEN_USERNAME_MARKER } from '../auth/docker-config.js';
import { CredentialHelperError, CredentialsNotFoundError } from '../errors.js';
import { isAcrLoginServer } from '../reference/login-server.js';
import type { Connection } from '../transport/index.js';
import { useBaselineWasm } from '../util/wasm-baseline.js';
import { packageVersion, userAgent } from '../version.js';
import { directStream } from '../output/standard-stream.js';
import { standardInput } from './process-io.js';
import { readStore, updateStore, type StoredSecret } from './store.js';

const NAME = 'docker-credential-acrx';
const USAGE = `Usage: ${NAME} <store|get|erase|list|version>`;

export interface HelperIo {
  stdout: { write(text: string): unknown };
  stdin: AsyncIterable<Buffer | string>;
  env: NodeJS.ProcessEnv;
}

export async function helperMain(args: readonly string[], io: HelperIo): Promise<number> {
  const say = (text: string): void => void io.stdout.write(`${text}\n`);
  if (args.length !== 1) {
    say(USAGE);
    return 1;
  }
  const verb = args[0] as string;
  try {
    switch (verb) {
      case 'get':
        say(JSON.stringify(await get(await readInput(io), io.env)));
        return 0;
      case 'store':
        await store(await readInput(io), io.env);
        return 0;
      case 'erase':
        await erase(await readInput(io), io.env);
        return 0;
      case 'list':
        say(JSON.stringify(list(io.env)));
        return 0;
      case 'version':
      case '--version':
      case '-v':
        say(`${NAME} (acrx) ${packageVersion()}`);
        return 0;
      case '--help':
      case '-h':
        say(USAGE);
        return 0;
      default:
        say(`${NAME}: unknown action: ${verb}`);
        return 1;
    }
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

async function readInput(io: HelperIo): Promise<string> {
  let text = '';
  for await (const chunk of io.stdin) text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
  return text;
}

function serverKey(serverUrl: string): string {
  const trimmed = serverUrl.trim();
  if (!trimmed) throw new CredentialHelperError('no credentials server URL');
  return normalizeServer(trimmed);
}

async function get(input: string, env: NodeJS.ProcessEnv): Promise<{ ServerURL: string; Username: string; Secret: string }> {
  const serverUrl = input.trim();
  const key = serverKey(serverUrl);
  if (isAcrLoginServer(key) || env.ACRX_ACR_API === '1') {
    const refreshToken = await acrRefreshToken(key, env);
    if (refreshToken) return { ServerURL: serverUrl, Username: TOKEN_USERNAME_MARKER, Secret: refreshToken };
  }
  const stored = readStore(env).servers[key];
  if (!stored) throw new CredentialsNotFoundError();
  return { ServerURL: serverUrl, Username: stored.Username, Secret: stored.Secret };
}

async function store(input: string, env: NodeJS.ProcessEnv): Promise<void> {
  let payload: { ServerURL?: unknown; Username?: unknown; Secret?: unknown };
  try {
    payload = JSON.parse(input) as typeof payload;
  } catch {
    throw new CredentialHelperError('the credentials to store are not JSON');
  }
  const key = serverKey(typeof payload.ServerURL === 'string' ? payload.ServerURL : '');
  if (typeof payload.Username !== 'string' || !payload.Username) throw new CredentialHelperError('no credentials username');
  const secret: StoredSecret = { Username: payload.Username, Secret: typeof payload.Secret === 'string' ? payload.Secret : '' };
  await updateStore(env, (servers) => {
    servers[key] = secret;
  });
}

async function erase(input: string, env: NodeJS.ProcessEnv): Promise<void> {
  const key = serverKey(input);
  // A miss needs no lock (nor a store directory created for it).
  if (!readStore(env).servers[key]) throw new CredentialsNotFoundError();
  await updateStore(env, (servers) => {
    if (!servers[key]) throw new CredentialsNotFoundError();
    delete servers[key];
  });
}

function list(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(readStore(env).servers).map(([server, secret]) => [server, secret.Username]));
}

/** Entra ID → /oauth2/exchange on the registry itself; undefined when Entra has no identity here. */
async function acrRefreshToken(loginServer: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const { entraCredential } = await import('../auth/azure.js');
  let connection: Connection | undefined;
  const transport = async () => {
    useBaselineWasm();
    const { createConnection } = await import('../transport/index.js');
    connection ??= createConnection({ userAgent: userAgent(), env });
    return connection.plain;
  };
  try {
    const found = await entraCredential({ registry: new URL(`https://${loginServer}/`), transport, env, log: () => undefined });
    return found?.kind === 'identity-token' ? found.token : undefined;
  } finally {
    await connection?.close();
  }
}

export async function runHelperProcess(): Promise<void> {
  const stdout = directStream(1, () => process.stdout);
  const code = await helperMain(process.argv.slice(2), { stdout, stdin: standardInput(), env: process.env });
  await stdout.flushed();
  process.exit(code);
}
