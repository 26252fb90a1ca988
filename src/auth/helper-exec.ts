// Talks to a docker credential helper (`docker-credential-NAME`) per the docker-credential-helpers
// protocol: one verb as the argument, the payload on stdin, the answer (or the error) on stdout.
import { CredentialHelperError, CredentialsNotFoundError } from '../errors.js';
import { builtin } from '../util/builtin.js';

const HELPER_TIMEOUT_MS = 30_000;

export interface HelperCredential {
  ServerURL?: string;
  Username: string;
  Secret: string;
}

/** Runs `docker-credential-<name> <verb>` and returns its stdout. */
export async function runHelper(name: string, verb: 'get' | 'store' | 'erase' | 'list', input: string, env: NodeJS.ProcessEnv): Promise<string> {
  const program = `docker-credential-${name}`;
  // Loaded on first use: most runs never start a helper.
  const { spawn } = builtin('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(program, [verb], { env, stdio: ['pipe', 'pipe', 'pipe'], timeout: HELPER_TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new CredentialHelperError(
          error.code === 'ENOENT'
            ? `the credential helper '${program}' named in the docker config is not installed or not on PATH`
            : `cannot run the credential helper '${program}': ${error.message}`,
        ),
      );
    });
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(stdout);
      // The protocol's one error a caller tells apart: a miss, which is not a failure.
      if (stdout.trim() === CredentialsNotFoundError.MESSAGE) return reject(new CredentialsNotFoundError());
      const said = stdout.trim() || stderr.trim() || (signal ? `killed by ${signal}` : `exit code ${code}`);
      reject(new CredentialHelperError(`the credential helper '${program}' failed to ${verb} credentials: ${said.split('\n', 1)[0]}`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** `get`: the stored credential, or undefined when the helper has none for this server. */
export async function helperGet(name: string, serverUrl: string, env: NodeJS.ProcessEnv): Promise<HelperCredential | undefined> {
  let output: string;
  try {
    output = await runHelper(name, 'get', serverUrl, env);
  } catch (error) {
    if (error instanceof CredentialsNotFoundError) return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(output) as Partial<HelperCredential>;
    if (typeof parsed.Username !== 'string' || typeof parsed.Secret !== 'string') throw new Error('fields missing');
    return { Username: parsed.Username, Secret: parsed.Secret, ...(parsed.ServerURL ? { ServerURL: parsed.ServerURL } : {}) };
  } catch {
    throw new CredentialHelperError(`the credential helper 'docker-credential-${name}' answered 'get' with something that is not a credential`);
  }
}

export async function helperStore(name: string, credential: HelperCredential, env: NodeJS.ProcessEnv): Promise<void> {
  await runHelper(name, 'store', JSON.stringify(credential), env);
}

export async function helperErase(name: string, serverUrl: string, env: NodeJS.ProcessEnv): Promise<void> {
  await runHelper(name, 'erase', serverUrl, env);
}
