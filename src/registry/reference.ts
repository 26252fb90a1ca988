// The OCI grammar for names, tags and digests, and the login-server rules of PRODUCT §1.
// Everything a user types is checked here before any request is made.
import { UsageError } from '../errors.js';

const PATH_COMPONENT = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
const REPOSITORY_NAME = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[A-Za-z0-9=_-]+$/;
const KNOWN_DIGEST_LENGTHS: Record<string, number> = { sha256: 64, sha512: 128, blake3: 64 };
const MAX_NAME_LENGTH = 255;

export function validateRepositoryName(name: string): string {
  if (!REPOSITORY_NAME.test(name) || name.length > MAX_NAME_LENGTH) {
    throw new UsageError(
      `invalid repository name '${name}': use lowercase letters, digits and separators (. _ __ -), components joined by '/'`,
    );
  }
  return name;
}

export function validateTag(tag: string): string {
  if (!TAG.test(tag)) {
    throw new UsageError(
      `invalid tag '${tag}': a tag is 1-128 characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'`,
    );
  }
  return tag;
}

export function isDigest(text: string): boolean {
  if (!DIGEST.test(text)) return false;
  const [algorithm, encoded] = text.split(':', 2) as [string, string];
  const length = KNOWN_DIGEST_LENGTHS[algorithm];
  return length === undefined || (encoded.length === length && /^[a-f0-9]+$/.test(encoded));
}

export function validateDigest(digest: string): string {
  if (!isDigest(digest)) {
    throw new UsageError(`invalid digest '${digest}': expected ALGORITHM:HEX, e.g. sha256: followed by 64 lowercase hex digits`);
  }
  return digest;
}

export interface ImageReference {
  repository: string;
  tag?: string;
  digest?: string;
}

/** `R`, `R:TAG` or `R@DIGEST`; a bare name means `R:latest` (as az does). */
export function parseImage(text: string, options: { allowDigest: boolean }): ImageReference {
  const at = text.indexOf('@');
  if (at >= 0) {
    if (!options.allowDigest) {
      throw new UsageError(`invalid image '${text}': this command takes 'name:tag', not a digest`);
    }
    const repository = text.slice(0, at);
    if (repository.includes(':', repository.lastIndexOf('/') + 1)) {
      throw new UsageError(`invalid image '${text}': give either ':tag' or '@digest', not both`);
    }
    return { repository: validateRepositoryName(repository), digest: validateDigest(text.slice(at + 1)) };
  }
  const colon = text.lastIndexOf(':');
  if (colon > text.lastIndexOf('/')) {
    return { repository: validateRepositoryName(text.slice(0, colon)), tag: validateTag(text.slice(colon + 1)) };
  }
  return { repository: validateRepositoryName(text), tag: 'latest' };
}

export function formatImage(reference: ImageReference): string {
  return reference.digest ? `${reference.repository}@${reference.digest}` : `${reference.repository}:${reference.tag}`;
}

// host[:port]: DNS labels, an IPv4 address, or a bracketed IPv6 address.
const LABEL = '(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])';
const HOST_PORT = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9A-Fa-f:.]+\\])(?::([0-9]{1,5}))?$`);
const ACR_LOGIN_SERVER = /^[a-z0-9][a-z0-9-]*\.azurecr\.(?:io|cn|us|de)$/;
const ACR_REGISTRY_NAME = /^[A-Za-z0-9]+$/;

export interface RegistryTarget {
  /** What goes into URLs and credential stores: `host[:port]`, lowercase. */
  loginServer: string;
  /** `http:` only with --plain-http, or once a loopback registry turned out to speak plain HTTP. */
  protocol: 'https:' | 'http:';
  /** Loopback hosts: try HTTPS, fall back to plain HTTP when the server does not speak TLS (as docker does). */
  plainHttpFallback: boolean;
  /** Whether the ACR metadata API (/acr/v1) is used. */
  acrApi: boolean;
}

export interface RegistryAddressOptions {
  suffix?: string;
  plainHttp?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Turns `-n` into a login server per PRODUCT §1 (`myreg` → `myreg.azurecr.io`). */
export function resolveRegistry(name: string, options: RegistryAddressOptions = {}): RegistryTarget {
  const env = options.env ?? process.env;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) {
    throw new UsageError(`invalid registry '${name}': give the login server without a scheme, e.g. '${name.replace(/^[^:]+:\/\//, '').replace(/\/.*$/, '')}'`);
  }
  const isLoginServer = name.includes('.') || name.includes(':') || name.toLowerCase() === 'localhost';
  let loginServer: string;
  if (isLoginServer) {
    if (options.suffix) throw new UsageError('--suffix applies only to a registry name, not to a login server');
    loginServer = name.toLowerCase();
  } else {
    if (!ACR_REGISTRY_NAME.test(name)) {
      throw new UsageError(`invalid registry name '${name}': use letters and digits only, or give a login server such as 'ghcr.io'`);
    }
    const suffix = options.suffix ? `-${options.suffix}` : '';
    const cloudSuffix = env.ACRX_LOGIN_SERVER_SUFFIX || '.azurecr.io';
    loginServer = `${name}${suffix}${cloudSuffix.startsWith('.') ? cloudSuffix : `.${cloudSuffix}`}`.toLowerCase();
  }
  const match = HOST_PORT.exec(loginServer);
  const port = match?.[1];
  if (!match || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
    throw new UsageError(`invalid registry '${name}': expected a registry name or a login server as host[:port]`);
  }
  const host = hostOf(loginServer);
  const plain = options.plainHttp === true;
  return {
    loginServer,
    protocol: plain ? 'http:' : 'https:',
    plainHttpFallback: !plain && isLoopbackHost(host),
    acrApi: isAcrLoginServer(host) || env.ACRX_ACR_API === '1',
  };
}

/** Anchored: `x.azurecr.io.example.com` is not ACR. */
export function isAcrLoginServer(host: string): boolean {
  return ACR_LOGIN_SERVER.test(hostOf(host.toLowerCase()));
}

/** The host part of `host[:port]`, brackets removed from IPv6. */
export function hostOf(loginServer: string): string {
  if (loginServer.startsWith('[')) return loginServer.slice(1, loginServer.indexOf(']'));
  const colon = loginServer.lastIndexOf(':');
  return colon >= 0 ? loginServer.slice(0, colon) : loginServer;
}

/** Loopback hosts may be reached over plain HTTP, as docker allows. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    bare === 'localhost' ||
    bare.endsWith('.localhost') ||
    bare === '::1' ||
    /^127\.(?:\d{1,3}\.){2}\d{1,3}$/.test(bare)
  );
}

export function registryBaseUrl(target: RegistryTarget): URL {
  return new URL(`${target.protocol}//${target.loginServer}/`);
}
