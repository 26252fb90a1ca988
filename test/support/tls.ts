// A throw-away certificate authority for tests of registries over TLS and of token servers: a CA, a
// server certificate for 127.0.0.1/::1/localhost, and keys a token server signs its JWTs with. Made
// with the openssl CLI, so no code of acrx's (or of Node's TLS stack) decides what a valid chain is.
import { execFile } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { missingToolMessage, requireBinary } from './tools.js';

const run = promisify(execFile);

/** Days every certificate is valid for, from the moment it is made. */
const VALID_DAYS = 2;

// Directories of CAs not cleaned up yet: removed when the process exits, like registry storage.
const liveDirs = new Set<string>();
let exitHookInstalled = false;

function removeOnExit(dir: string): void {
  liveDirs.add(dir);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const live of liveDirs) rmSync(live, { recursive: true, force: true });
  });
}

export interface TestCa {
  /** Holds every file below; removed by cleanup(). */
  dir: string;
  /** PEM of the CA certificate: what a client must trust (skopeo: copy it as `ca.crt` into a --cert-dir). */
  caCertPath: string;
  caCert: string;
  /** Server certificate for 127.0.0.1, ::1 and localhost, signed by the CA. */
  serverCertPath: string;
  serverKeyPath: string;
  serverCert: string;
  serverKey: string;
  cleanup(): Promise<void>;
}

export interface SigningKey {
  /** PEM of the signing key (PKCS#8, EC P-256). */
  keyPath: string;
  key: string;
  privateKey: KeyObject;
  /** PEM of the signing key's certificate, issued by the test CA (no extended key usage). */
  certPath: string;
  cert: string;
  /** JWS algorithm the key signs with. */
  alg: 'ES256';
  /** libtrust key ID of the public key: what distribution looks a JWT's `kid` up by. */
  keyId: string;
  /** The JWS `x5c` chain: base64 (not base64url) DER of the signing certificate, then the CA. */
  x5c: string[];
  /** Signing certificate followed by the CA certificate: distribution's `auth.token.rootcertbundle`. */
  rootCertBundlePath: string;
}

function openssl(): string {
  const binary = requireBinary('openssl');
  if (!binary) throw new Error(missingToolMessage('openssl'));
  return binary;
}

async function runOpenssl(args: string[]): Promise<void> {
  const binary = openssl();
  try {
    // No OPENSSL_CONF from the environment: every setting comes from the file written below.
    await run(binary, args, { env: { ...process.env, OPENSSL_CONF: '/dev/null' } });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0] ?? ''} failed: ${stderr.trim() || String(error)}`);
  }
}

const OPENSSL_CONFIG = `
[req]
distinguished_name = dn
prompt = no

[dn]
CN = acrx test

[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, IP:::1, DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[signing_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

async function newEcKey(file: string): Promise<void> {
  await runOpenssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
}

function randomSerial(): string {
  // Positive 64-bit serial: distinct certificates even when the same CA name is made again.
  return `0x${(randomBytes(8).readBigUInt64BE() >> 1n).toString(16)}`;
}

/** A certificate for `keyFile`, signed by the CA in `dir`, with the extensions of `section`. */
async function issue(dir: string, keyFile: string, certFile: string, subject: string, section: string): Promise<void> {
  const config = path.join(dir, 'openssl.cnf');
  const csr = `${certFile}.csr`;
  await runOpenssl(['req', '-new', '-config', config, '-key', keyFile, '-subj', subject, '-out', csr]);
  await runOpenssl([
    'x509', '-req', '-in', csr,
    '-CA', path.join(dir, 'ca.crt'), '-CAkey', path.join(dir, 'ca.key'), '-set_serial', randomSerial(),
    '-days', String(VALID_DAYS), '-sha256', '-extfile', config, '-extensions', section, '-out', certFile,
  ]);
  await rm(csr, { force: true });
}

/** Makes a CA and a server certificate in `dir` (a new temporary directory when not given). */
export async function createTestCa(dir?: string): Promise<TestCa> {
  const root = dir ?? (await mkdtemp(path.join(os.tmpdir(), 'acrx-test-ca-')));
  if (!dir) removeOnExit(root);
  const cleanup = async (): Promise<void> => {
    await rm(root, { recursive: true, force: true });
    liveDirs.delete(root);
  };
  try {
    await writeFile(path.join(root, 'openssl.cnf'), OPENSSL_CONFIG);
    const caKeyPath = path.join(root, 'ca.key');
    const caCertPath = path.join(root, 'ca.crt');
    await newEcKey(caKeyPath);
    await runOpenssl([
      'req', '-x509', '-new', '-config', path.join(root, 'openssl.cnf'), '-key', caKeyPath,
      '-subj', '/CN=acrx test CA', '-set_serial', randomSerial(), '-days', String(VALID_DAYS), '-sha256',
      '-extensions', 'ca_ext', '-out', caCertPath,
    ]);
    const serverKeyPath = path.join(root, 'server.key');
    const serverCertPath = path.join(root, 'server.crt');
    await newEcKey(serverKeyPath);
    await issue(root, serverKeyPath, serverCertPath, '/CN=127.0.0.1', 'server_ext');
    return {
      dir: root,
      caCertPath,
      caCert: await readFile(caCertPath, 'utf8'),
      serverCertPath,
      serverKeyPath,
      serverCert: await readFile(serverCertPath, 'utf8'),
      serverKey: await readFile(serverKeyPath, 'utf8'),
      cleanup,
    };
  } catch (error) {
    if (!dir) await cleanup();
    throw error;
  }
}

/**
 * libtrust's key ID: SHA-256 of the DER SubjectPublicKeyInfo, its first 240 bits in unpadded base32,
 * in twelve groups of four joined by ':' (e.g. "ABCD:EFGH:...").
 */
export function libtrustKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const digest = createHash('sha256').update(der).digest().subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let encoded = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      encoded += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  // 240 bits are exactly 48 characters: nothing left over, no padding.
  return (encoded.match(/.{4}/g) ?? []).join(':');
}

function pemToBase64Der(pem: string): string {
  return new X509Certificate(pem).raw.toString('base64');
}

/** A key pair and certificate (issued by the CA) that a token server signs JWTs with. */
export async function signingKey(ca: TestCa, name = 'token-signing'): Promise<SigningKey> {
  if (!/^[\w-]+$/.test(name)) throw new Error(`signing key name must be a plain file name: ${name}`);
  const keyPath = path.join(ca.dir, `${name}.key`);
  const certPath = path.join(ca.dir, `${name}.crt`);
  await newEcKey(keyPath);
  await issue(ca.dir, keyPath, certPath, `/CN=acrx test ${name}`, 'signing_ext');
  const key = await readFile(keyPath, 'utf8');
  const cert = await readFile(certPath, 'utf8');
  const rootCertBundlePath = path.join(ca.dir, `${name}-bundle.crt`);
  await writeFile(rootCertBundlePath, cert.trimEnd() + '\n' + ca.caCert.trimEnd() + '\n');
  const privateKey = createPrivateKey(key);
  return {
    keyPath,
    key,
    privateKey,
    certPath,
    cert,
    alg: 'ES256',
    keyId: libtrustKeyId(createPublicKey(privateKey)),
    x5c: [pemToBase64Der(cert), pemToBase64Der(ca.caCert)],
    rootCertBundlePath,
  };
}
