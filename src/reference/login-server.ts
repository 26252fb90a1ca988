// Login servers: what `-n`/`-r` name, per PRODUCT §1 (`myreg` → `myreg.azurecr.io`, anything with a
// dot, a colon or `localhost` as given), which of them are ACR, and which are loopback. What a valid
// host[:port] is comes from grammar.ts; a refusal is a UsageError saying what is wrong.
import { UsageError } from '../errors.js';
import {
  ACR_REGISTRY_NAME_PATTERN,
  ACR_TENANT_SUFFIX_PATTERN,
  DNS_LABEL_MAX_LENGTH,
  DNS_NAME_MAX_LENGTH,
  DOMAIN_PATTERN,
} from './grammar.js';
import { quote } from './quote.js';

const ACR_LOGIN_SERVER = /^[a-z0-9][a-z0-9-]*\.azurecr\.(?:io|cn|us|de)$/;
const DEFAULT_CLOUD_SUFFIX = '.azurecr.io';
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

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
  const loginServer = loginServerOf(name, options.suffix, env.ACRX_LOGIN_SERVER_SUFFIX || DEFAULT_CLOUD_SUFFIX);
  const host = hostOf(loginServer);
  const plain = options.plainHttp === true;
  return {
    loginServer,
    protocol: plain ? 'http:' : 'https:',
    plainHttpFallback: !plain && isLoopbackHost(host),
    acrApi: isAcrLoginServer(host) || env.ACRX_ACR_API === '1',
  };
}

/**
 * Checks what `-n`/`-r` and `--suffix` say, before anything else runs; returns the login server it
 * means in Azure's public cloud (resolveRegistry applies the configured cloud).
 */
export function validateRegistryName(name: string, suffix?: string): string {
  return loginServerOf(name, suffix, DEFAULT_CLOUD_SUFFIX);
}

function loginServerOf(name: string, suffix: string | undefined, cloudSuffix: string): string {
  if (SCHEME.test(name)) {
    const bare = name.replace(/^[^:]+:\/\//, '').replace(/\/.*$/, '');
    throw new UsageError(`invalid registry ${quote(name)}: give the login server without a scheme, e.g. ${quote(bare)}`);
  }
  if (isLoginServerName(name)) {
    if (suffix) throw new UsageError(`a tenant suffix applies only to a registry name, not to the login server ${quote(name)}`);
    return validateLoginServer(name);
  }
  if (!ACR_REGISTRY_NAME_PATTERN.test(name)) throw new UsageError(`invalid registry name ${quote(name)}: ${registryNameProblem(name)}`);
  if (suffix && !ACR_TENANT_SUFFIX_PATTERN.test(suffix)) {
    throw new UsageError(`invalid tenant suffix ${quote(suffix)}: use letters and digits, with '-' only between them`);
  }
  const tenant = suffix ? `-${suffix}` : '';
  return validateLoginServer(`${name}${tenant}${cloudSuffix.startsWith('.') ? cloudSuffix : `.${cloudSuffix}`}`);
}

/** `host[:port]` as the grammar allows it, lowercased. */
function validateLoginServer(text: string): string {
  const problem = loginServerProblem(text);
  if (problem !== undefined) throw new UsageError(`invalid registry ${quote(text)}: ${problem}`);
  return text.toLowerCase();
}

function loginServerProblem(text: string): string | undefined {
  const match = DOMAIN_PATTERN.exec(text);
  if (!match) {
    if (text.includes('/')) return 'a login server is host[:port], without a path';
    return 'expected host[:port]: a host name, an IPv4 address or a bracketed IPv6 address, and a port number';
  }
  const [, domainName, ipv6, port] = match;
  if (port !== undefined && (!/^[1-9][0-9]{0,4}$/.test(port) || Number(port) > 65535)) return `the port ${quote(port)} is not a number from 1 to 65535`;
  if (ipv6 !== undefined) return urlHostname(`[${ipv6}]`) === undefined ? `${quote(`[${ipv6}]`)} is not an IPv6 address` : undefined;
  const host = (domainName ?? '').toLowerCase();
  if (host.length > DNS_NAME_MAX_LENGTH) return `the host name is ${host.length} characters long; the limit is ${DNS_NAME_MAX_LENGTH}`;
  const long = host.split('.').find((label) => label.length > DNS_LABEL_MAX_LENGTH);
  if (long !== undefined) return `the host name part ${quote(long)} is longer than ${DNS_LABEL_MAX_LENGTH} characters`;
  // Requests go through URLs, which read `1.2.3.4.5` or `xn--a` as errors and `127.1` as 127.0.0.1: a
  // host a URL would refuse or rewrite is refused here, so what acrx prints is what it connects to.
  if (urlHostname(host) !== host) return `${quote(host)} is neither a host name nor an IPv4 address written a.b.c.d`;
  return undefined;
}

function urlHostname(host: string): string | undefined {
  try {
    return new URL(`https://${host}/`).hostname;
  } catch {
    return undefined;
  }
}

function registryNameProblem(name: string): string {
  const stray = /[^A-Za-z0-9]/u.exec(name)?.[0];
  const rule = "a registry name is 5-50 letters and digits; a login server such as 'ghcr.io' is given with its dots";
  if (name === '') return `it is empty: ${rule}`;
  if (stray !== undefined) return `${quote(stray)} is not allowed: ${rule}`;
  return `it has ${name.length} characters: ${rule}`;
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
  if (SCHEME.test(bare)) {
    throw new UsageError(`invalid reference ${quote(text)}: give it without a scheme (only https:// may lead), e.g. ${quote(bare.replace(/^[^:]+:\/\//, ''))}`);
  }
  const slash = bare.indexOf('/');
  if (slash <= 0) return undefined;
  const loginServer = bare.slice(0, slash);
  if (!isLoginServerName(loginServer)) return undefined;
  return { loginServer, remainder: bare.slice(slash + 1) };
}
