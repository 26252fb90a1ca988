// What acrx should accept, written again from the specs and not from src/reference: distribution's
// reference grammar (github.com/distribution/reference, reference.go), go-digest's algorithms plus the
// image spec's blake3, RFC 3986's IPv4address, RFC 1035's length limits, and Azure's registry naming
// rules. The fuzz tests hold the real grammar to these regular expressions.
import { isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';

const whole = (pattern: string): RegExp => new RegExp(`^(?:${pattern})$`);

// path-component := alpha-numeric [separator alpha-numeric]*; separator := [_.] | __ | [-]+
const COMPONENT = '[a-z0-9]+(?:(?:[_.]|__|-+)[a-z0-9]+)*';
const PATH = `${COMPONENT}(?:/${COMPONENT})*`;
// tag := [\w][\w.-]{0,127}
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
const DIGEST = 'sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128}|blake3:[0-9a-f]{64}';
const NAME_LIMIT = 255;

const PATH_ONLY = whole(PATH);
const TAG_ONLY = whole(TAG);
const DIGEST_ONLY = whole(DIGEST);
const IMAGE = new RegExp(`^(${PATH})(?::(?:${TAG})|@(?:${DIGEST}))?$`);
const TAGGED_IMAGE = new RegExp(`^(${PATH}):(?:${TAG})$`);

export function repositoryIsValid(text: string): boolean {
  return text.length <= NAME_LIMIT && PATH_ONLY.test(text);
}

export function tagIsValid(text: string): boolean {
  return TAG_ONLY.test(text);
}

export function digestIsValid(text: string): boolean {
  return DIGEST_ONLY.test(text);
}

/** acrx's --image: NAME, NAME:TAG or NAME@DIGEST (a tag and a digest together are refused). */
export function imageIsValid(text: string): boolean {
  const name = IMAGE.exec(text)?.[1];
  return name !== undefined && name.length <= NAME_LIMIT;
}

/** NAME:TAG, or with `tagOptional` also a bare NAME; never a digest. */
export function taggedImageIsValid(text: string, tagOptional: boolean): boolean {
  const name = TAGGED_IMAGE.exec(text)?.[1];
  return (name !== undefined && name.length <= NAME_LIMIT) || (tagOptional && repositoryIsValid(text));
}

// host := domain-name | IPv4address | [IPv6address]; a domain name whose last label reads as a number
// is only valid as a dotted-quad IPv4 address (RFC 3986), as URL parsers treat such hosts as IPv4.
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const NUMBER_LIKE = '(?:[0-9]+|0x[0-9a-f]*)';
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const DOMAIN_NAME = `(?:${LABEL}\\.)*(?!${NUMBER_LIKE}(?::|$))${LABEL}`;
const PORT = '6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}';

const LOGIN_SERVER = new RegExp(`^(?:(${IPV4})|(${DOMAIN_NAME})|\\[([0-9a-f:]+)\\])(?::(?:${PORT}))?$`, 'i');

export function loginServerIsValid(text: string): boolean {
  const match = LOGIN_SERVER.exec(text);
  if (!match) return false;
  const [, , domainName, ipv6] = match;
  if (ipv6 !== undefined) return isIPv6(ipv6);
  if (domainName === undefined) return true;
  // A label starting xn-- is punycode, valid only if it decodes.
  const punycodeValid = domainName.split('.').every((label) => !/^xn--/i.test(label) || domainToASCII(label) === label.toLowerCase());
  return domainName.length <= 253 && punycodeValid;
}

/** -n/-r: an ACR registry name (5-50 letters and digits, with an optional tenant suffix), else a login server. */
export function registryIsValid(text: string, suffix = ''): boolean {
  const loginServer = text.includes('.') || text.includes(':') || text.toLowerCase() === 'localhost';
  if (loginServer) return suffix === '' && loginServerIsValid(text);
  if (!/^[A-Za-z0-9]{5,50}$/.test(text)) return false;
  return suffix === '' || (/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(suffix) && text.length + 1 + suffix.length <= 63);
}
