// Login servers: what `-n`/`-r` name, per PRODUCT §1 (`myreg` → `myreg.azurecr.io`, anything with a
// dot, a colon or `localhost` as given), which of them are ACR, and which are loopback.
import { UsageError } from '../errors.js';

// host[:port]: DNS labels, an IPv4 address, or a bracketed IPv6 address.
const LABEL = '(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])';
const HOST_PORT = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9A-Fa-f:.]+\\])(?::([0-9]{1,5}))?$`);
const ACR_LOGIN_SERVER = /^[a-z0-9][a-z0-9-]*\.azurecr\.(?:io|cn|us|de)$/;
const ACR_REGISTRY_NAME = /^[A-Za-z0-9]+$/;

export interface RegistryTarget {
  /** What goes into URLs and credential stores: `host[:port]`, lowercase. */
  loginServer: string;
  /** `http:` only when asked for, or once a loopback registry turned out to speak plain HTTP. */
  protocol: 'https:' | 'http:';
  /** Loopback hosts: try HTTPS, fall back to plain HTTP when the server does not speak TLS (as docker does). */
  plainHttpFallback: boolean;
  /** Whether the ACR metadata API (/acr/v1) is used. */
  acrApi: boolean;
}

export interface RegistryAddressOptions {
  /** The tenant suffix of an ACR registry name: `myreg` + `t` → `myreg-t.azurecr.io`. */
  suffix?: string;
  plainHttp?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** A login server as given (`ghcr.io`, `localhost:5000`), as opposed to an ACR registry name. */
export function isLoginServerName(name: string): boolean {
  return name.includes('.') || name.includes(':') || name.toLowerCase() === 'localhost';
}

export function resolveRegistry(name: string, options: RegistryAddressOptions = {}): RegistryTarget {
  const env = options.env ?? process.env;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) {
    throw new UsageError(`invalid registry '${name}': give the login server without a scheme, e.g. '${name.replace(/^[^:]+:\/\//, '').replace(/\/.*$/, '')}'`);
  }
  let loginServer: string;
  if (isLoginServerName(name)) {
    if (options.suffix) throw new UsageError(`a tenant suffix applies only to a registry name, not to the login server '${name}'`);
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
  return bare === 'localhost' || bare.endsWith('.localhost') || bare === '::1' || /^127\.(?:\d{1,3}\.){2}\d{1,3}$/.test(bare);
}

export function registryBaseUrl(target: Pick<RegistryTarget, 'protocol' | 'loginServer'>): URL {
  return new URL(`${target.protocol}//${target.loginServer}/`);
}

/**
 * az's fully qualified forms: `LOGIN_SERVER/REPO[:TAG|@DIGEST]` (MANIFEST_ID) and `LOGIN_SERVER/REPO`
 * (REPO_ID), with an optional leading `https://`. Split into the login server and the rest; the rest is
 * parsed by the caller. Undefined when the text has no login server in front.
 */
export function splitQualifiedName(text: string): { loginServer: string; remainder: string } | undefined {
  const bare = text.startsWith('https://') ? text.slice('https://'.length) : text;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(bare)) {
    throw new UsageError(`invalid reference '${text}': give it without a scheme (only https:// may lead), e.g. '${bare.replace(/^[^:]+:\/\//, '')}'`);
  }
  const slash = bare.indexOf('/');
  if (slash <= 0) return undefined;
  const loginServer = bare.slice(0, slash);
  if (!isLoginServerName(loginServer)) return undefined;
  return { loginServer, remainder: bare.slice(slash + 1) };
}
