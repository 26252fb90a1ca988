// The reference grammar of distribution/reference (the one docker, containerd, oras and crane share),
// with go-digest's registered algorithms and the DNS limits a host name must also meet. These
// patterns decide what acrx accepts; image.ts and login-server.ts only split text and explain refusals.
//
//   name             := [domain '/'] remote-name          at most 255 characters
//   remote-name      := path-component ['/' path-component]*
//   path-component   := alpha-numeric [separator alpha-numeric]*
//   alpha-numeric    := /[a-z0-9]+/
//   separator        := /[_.]|__|[-]+/
//   tag              := /[\w][\w.-]{0,127}/
//   digest           := algorithm ':' hex                  (hex length fixed by the algorithm)
//   domain           := host [':' port-number]
//   host             := domain-name | IPv4address | '[' IPv6address ']'
//   domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/

export const NAME_MAX_LENGTH = 255;
export const TAG_MAX_LENGTH = 128;

const ALPHA_NUMERIC = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|-+)';
const PATH_COMPONENT = `${ALPHA_NUMERIC}(?:${SEPARATOR}${ALPHA_NUMERIC})*`;

export const PATH_COMPONENT_PATTERN = new RegExp(`^${PATH_COMPONENT}$`);
export const REMOTE_NAME_PATTERN = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
export const TAG_PATTERN = /^\w[\w.-]{0,127}$/;

/**
 * go-digest's algorithms (sha256, sha384, sha512) and the image spec's blake3, with the length of
 * their lowercase hex: registries refuse any other algorithm, so acrx does before asking.
 */
export const DIGEST_HEX_LENGTHS: ReadonlyMap<string, number> = new Map([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
  ['blake3', 64],
]);
export const DIGEST_PATTERN = new RegExp(`^(${[...DIGEST_HEX_LENGTHS.keys()].join('|')}):([a-f0-9]+)$`);

const DOMAIN_COMPONENT = '(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])';
/**
 * host[:port], letters in either case (ASCII only: no `i`+`u` flags, under which the Kelvin sign would
 * pass as a `k`); the brackets' content is checked as IPv6 apart.
 */
export const DOMAIN_PATTERN = new RegExp(`^(?:(${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*)|\\[([a-f0-9:]+)\\])(?::([0-9]+))?$`, 'i');
/** RFC 1035: a DNS label is at most 63 octets, a name at most 253 characters as written. */
export const DNS_LABEL_MAX_LENGTH = 63;
export const DNS_NAME_MAX_LENGTH = 253;

/** ACR: a registry name is 5-50 letters and digits (Azure's naming rules). */
export const ACR_REGISTRY_NAME_PATTERN = /^[A-Za-z0-9]{5,50}$/;
/** ACR's tenant suffix joins the name with '-' inside one DNS label. */
export const ACR_TENANT_SUFFIX_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
