// A TLS ClientHello (RFC 8446 §4.1.2, with what TLS 1.2 servers need), written byte by byte so that
// asking a loopback server "do you speak TLS?" does not load Node's TLS and crypto modules (~10 ms of
// every start) for the registries that turn out to speak plain HTTP. It offers what a current client
// offers (TLS 1.3 and 1.2, AES-GCM and ChaCha20 suites, X25519 and the NIST curves), so that a TLS
// server answers it with a ServerHello; the connection is closed after the server's first bytes.

const TLS_1_0 = 0x0301;
const TLS_1_2 = 0x0303;
const TLS_1_3 = 0x0304;
const HANDSHAKE_RECORD = 0x16;
const CLIENT_HELLO = 0x01;

const CIPHER_SUITES = [
  0x1301, 0x1302, 0x1303, // TLS 1.3: AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305
  0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, // TLS 1.2 ECDHE with AES-GCM and ChaCha20
  0x009c, 0x009d, 0x002f, 0x0035, // TLS 1.2 RSA key exchange, for old servers
];
const GROUPS = { x25519: 0x001d, secp256r1: 0x0017, secp384r1: 0x0018 };
const SIGNATURE_SCHEMES = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601, 0x0201];

const EXTENSION = {
  serverName: 0x0000,
  supportedGroups: 0x000a,
  ecPointFormats: 0x000b,
  signatureAlgorithms: 0x000d,
  supportedVersions: 0x002b,
  keyShare: 0x0033,
};

/**
 * The bytes of one ClientHello record. `serverName` goes in SNI (host names only: RFC 6066 forbids
 * addresses there); `random` gives the 32-byte random, the session id and the X25519 share their bytes
 * (any 32 bytes are an X25519 public key; the handshake is never finished, so they need not be secret).
 */
export function clientHello(serverName: string | undefined, random: (length: number) => Uint8Array = pseudoRandom): Buffer {
  const extensions = [
    ...(serverName ? [extension(EXTENSION.serverName, vector(2, [0x00, ...vector(2, Buffer.from(serverName, 'ascii'))]))] : []),
    extension(EXTENSION.supportedGroups, vector(2, u16s(Object.values(GROUPS)))),
    extension(EXTENSION.ecPointFormats, vector(1, [0x00])),
    extension(EXTENSION.signatureAlgorithms, vector(2, u16s(SIGNATURE_SCHEMES))),
    extension(EXTENSION.supportedVersions, vector(1, u16s([TLS_1_3, TLS_1_2]))),
    extension(EXTENSION.keyShare, vector(2, [...u16s([GROUPS.x25519]), ...vector(2, random(32))])),
  ];
  const body = [
    ...u16s([TLS_1_2]),
    ...random(32),
    ...vector(1, random(32)),
    ...vector(2, u16s(CIPHER_SUITES)),
    ...vector(1, [0x00]), // no compression
    ...vector(2, extensions.flat()),
  ];
  const handshake = [CLIENT_HELLO, ...length(3, body.length), ...body];
  return Buffer.from([HANDSHAKE_RECORD, ...u16s([TLS_1_0]), ...vector(2, handshake)]);
}

/** Whether a server's first bytes are a TLS record: a handshake (its ServerHello) or an alert. */
export function isTlsAnswer(first: Buffer): boolean {
  const type = first[0];
  return first.length >= 3 && (type === HANDSHAKE_RECORD || type === 0x15) && first[1] === 0x03 && (first[2] as number) <= 0x04;
}

function extension(type: number, data: number[]): number[] {
  return [...u16s([type]), ...vector(2, data)];
}

/** A TLS vector: its length in `width` bytes, then the bytes. */
function vector(width: number, data: ArrayLike<number>): number[] {
  return [...length(width, data.length), ...Array.from(data)];
}

function length(width: number, value: number): number[] {
  return Array.from({ length: width }, (_, index) => (value >> (8 * (width - 1 - index))) & 0xff);
}

function u16s(values: readonly number[]): number[] {
  return values.flatMap((value) => [value >> 8, value & 0xff]);
}

function pseudoRandom(size: number): Uint8Array {
  return Uint8Array.from({ length: size }, () => Math.floor(Math.random() * 256));
}
