// The TLS probe of a loopback registry: acrx's own ClientHello (no node:tls loaded) against real TLS
// servers of both kinds acrx meets on loopback (Node's OpenSSL here, Go's crypto/tls in distribution),
// and against servers that do not speak TLS.
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientHello, isTlsAnswer } from '../../../src/transport/client-hello.js';
import { ConnectionError } from '../../../src/errors.js';
import type { RegistryTarget } from '../../../src/reference/login-server.js';
import { probeTls, withProtocolFallback } from '../../../src/transport/protocol.js';
import { startBasicTlsRegistry, type BasicTlsRegistry } from '../../support/auth-registries.js';
import { startServer, type TestServer } from '../../support/http-server.js';
import { close, listen } from '../../support/listen.js';
import { createTestCa, type TestCa } from '../../support/tls.js';
import { missingToolMessage, requireBinary } from '../../support/tools.js';

const missing = !requireBinary('docker-registry');
if (missing && process.env.CI === 'true') throw new Error(missingToolMessage('docker-registry'));

let ca: TestCa;
beforeAll(async () => {
  ca = await createTestCa();
});
afterAll(async () => {
  await ca?.cleanup();
});

async function withServer<T>(server: Server, work: (port: number) => Promise<T>): Promise<T> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => sockets.add(socket));
  const port = await listen(server);
  try {
    return await work(port);
  } finally {
    for (const socket of sockets) socket.destroy();
    await close(server);
  }
}

describe('a server that speaks TLS', () => {
  it.each([
    ['TLS 1.3', 'TLSv1.3'],
    ['TLS 1.2 only', 'TLSv1.2'],
  ] as const)('is found to speak it (%s, OpenSSL)', async (_name, maxVersion) => {
    let handshakes = 0;
    const server = createTlsServer({ cert: ca.serverCert, key: ca.serverKey, maxVersion }, (socket) => socket.end());
    server.on('secureConnection', () => handshakes++);
    await withServer(server, async (port) => {
      expect(await probeTls('127.0.0.1', port)).toEqual({ tls: true });
    });
    // The probe stops after the server's first answer: no session is finished.
    expect(handshakes).toBe(0);
  });

  it('is found to speak it whatever its certificate (one acrx would not trust, for another name)', async () => {
    const other = await createTestCa();
    try {
      const server = createTlsServer({ cert: other.serverCert, key: other.serverKey });
      await withServer(server, async (port) => expect(await probeTls('localhost', port)).toEqual({ tls: true }));
    } finally {
      await other.cleanup();
    }
  });

  it('is told the host name in SNI, and no address', async () => {
    const names: string[] = [];
    const server = createTlsServer({
      cert: ca.serverCert,
      key: ca.serverKey,
      SNICallback: (name, done) => {
        names.push(name);
        done(null);
      },
    });
    server.on('tlsClientError', () => undefined);
    await withServer(server, async (port) => {
      expect(await probeTls('localhost', port)).toEqual({ tls: true });
      expect(await probeTls('127.0.0.1', port)).toEqual({ tls: true });
    });
    expect(names).toEqual(['localhost']);
  });

  it('answering with an alert still speaks TLS (no suite in common): never downgraded', async () => {
    const server = createTlsServer({ cert: ca.serverCert, key: ca.serverKey, ciphers: 'AES128-SHA256', maxVersion: 'TLSv1.2' });
    server.on('tlsClientError', () => undefined);
    // AES128-SHA256 (0x003c) is not offered: OpenSSL answers with a handshake_failure alert.
    await withServer(server, async (port) => expect(await probeTls('127.0.0.1', port)).toEqual({ tls: true }));
  });
});

describe.skipIf(missing)('distribution over TLS (Go crypto/tls)', () => {
  let registry: BasicTlsRegistry;
  beforeAll(async () => {
    registry = await startBasicTlsRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('answers acrx ClientHello in TLS', async () => {
    const url = new URL(registry.registry.url);
    expect(await probeTls(url.hostname, Number(url.port))).toEqual({ tls: true });
  });
});

describe('a server that does not speak TLS', () => {
  let http: TestServer;
  beforeAll(async () => {
    http = await startServer((_request, response) => response.end('hello'));
  });
  afterAll(async () => {
    await http?.stop();
  });

  it('answers in plain HTTP', async () => {
    const url = new URL(http.url);
    expect(await probeTls(url.hostname, Number(url.port))).toEqual({ tls: false, reason: 'it answered in plain HTTP' });
  });

  it('answers something else', async () => {
    const server = createNetServer((socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n'));
    await withServer(server, async (port) => expect(await probeTls('127.0.0.1', port)).toEqual({ tls: false, reason: 'it answered, not in TLS' }));
  });

  it('closes the connection, or resets it', async () => {
    await withServer(createNetServer((socket) => socket.once('data', () => socket.end())), async (port) =>
      expect(await probeTls('127.0.0.1', port)).toEqual({ tls: false, reason: 'the connection was closed' }),
    );
    await withServer(createNetServer((socket) => socket.once('data', () => socket.resetAndDestroy())), async (port) =>
      expect(await probeTls('127.0.0.1', port)).toEqual({ tls: false, reason: 'ECONNRESET' }),
    );
  });

  it('says nothing within the time limit', async () => {
    await withServer(createNetServer(() => undefined), async (port) =>
      expect(await probeTls('127.0.0.1', port, 200)).toEqual({ tls: false, reason: 'no TLS handshake within 0.2 s' }),
    );
  });

  it('is not there', async () => {
    const server = createNetServer();
    const port = await listen(server);
    await close(server);
    expect(await probeTls('127.0.0.1', port)).toEqual({ tls: false, reason: 'ECONNREFUSED' });
  });
});

describe('the ClientHello', () => {
  it('is one TLS handshake record whose lengths add up', () => {
    const hello = clientHello('registry.local', (size) => new Uint8Array(size).fill(7));
    expect(hello[0]).toBe(0x16);
    expect(hello.readUInt16BE(3)).toBe(hello.length - 5);
    expect(hello[5]).toBe(0x01);
    expect(hello.readUIntBE(6, 3)).toBe(hello.length - 9);
    expect(hello.includes(Buffer.from('registry.local'))).toBe(true);
    expect(clientHello(undefined).includes(Buffer.from('registry.local'))).toBe(false);
  });

  it('takes TLS records, handshake or alert, and nothing else, as TLS', () => {
    expect(isTlsAnswer(Buffer.from([0x16, 0x03, 0x03, 0x00, 0x7a]))).toBe(true);
    expect(isTlsAnswer(Buffer.from([0x15, 0x03, 0x01, 0x00, 0x02]))).toBe(true);
    expect(isTlsAnswer(Buffer.from('HTTP/1.1 400 Bad Request'))).toBe(false);
    expect(isTlsAnswer(Buffer.from([0x16, 0x07, 0x03]))).toBe(false);
  });
});

describe('the protocol a loopback registry gets', () => {
  const loopback: RegistryTarget = { loginServer: '127.0.0.1:5000', protocol: 'https:', plainHttpFallback: true, acrApi: false };

  it('is plain HTTP when the probe found no TLS, and --debug says why', async () => {
    const lines: string[] = [];
    const tried: string[] = [];
    const probed = Promise.resolve({ tls: false as const, reason: 'it answered in plain HTTP' });
    await withProtocolFallback(loopback, async (target) => void tried.push(target.protocol), { probed, debug: (line) => lines.push(line) });
    expect(tried).toEqual(['http:']);
    expect(lines).toEqual(['127.0.0.1:5000 did not answer a TLS handshake (it answered in plain HTTP): using plain HTTP, as for any loopback registry']);
  });

  it('is HTTPS, once and for all, when the probe found TLS: a failed HTTPS request is not asked again over plain HTTP', async () => {
    const tried: string[] = [];
    const plainAnswer = new ConnectionError('127.0.0.1:5000 answered HTTPS in plain HTTP', undefined, { peerSpeaksPlainHttp: true });
    const attempt = async (target: RegistryTarget): Promise<void> => {
      tried.push(target.protocol);
      throw plainAnswer;
    };
    await expect(withProtocolFallback(loopback, attempt, { probed: Promise.resolve({ tls: true as const }) })).rejects.toBe(plainAnswer);
    expect(tried).toEqual(['https:']);
  });

  it('is what was asked for, without a probe, for --plain-http and for hosts that are not loopback', async () => {
    const tried: string[] = [];
    await withProtocolFallback({ ...loopback, protocol: 'http:' }, async (target) => void tried.push(target.protocol));
    await withProtocolFallback({ ...loopback, loginServer: 'registry.example', plainHttpFallback: false }, async (target) => void tried.push(target.protocol));
    expect(tried).toEqual(['http:', 'https:']);
  });
});
