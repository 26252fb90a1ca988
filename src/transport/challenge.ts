// WWW-Authenticate parsing per RFC 7235: several challenges may share one header, values may be quoted.

export interface Challenge {
  /** Lowercase: 'bearer', 'basic', ... */
  scheme: string;
  /** Lowercase parameter names. */
  params: Record<string, string>;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;

export function parseChallenges(header: string | undefined): Challenge[] {
  if (!header) return [];
  const challenges: Challenge[] = [];
  let pos = 0;
  const skip = (chars: RegExp): void => {
    while (pos < header.length && chars.test(header[pos] ?? '')) pos++;
  };
  const token = (): string | undefined => {
    TOKEN.lastIndex = pos;
    const match = TOKEN.exec(header);
    if (!match) return undefined;
    pos = TOKEN.lastIndex;
    return match[0];
  };
  const quoted = (): string => {
    let value = '';
    pos++; // opening quote
    while (pos < header.length && header[pos] !== '"') {
      if (header[pos] === '\\') pos++;
      value += header[pos] ?? '';
      pos++;
    }
    pos++; // closing quote
    return value;
  };

  // Servers send unquoted URLs although RFC 7235 wants a token: read to the next comma or space.
  const bare = (): string => {
    const start = pos;
    while (pos < header.length && !/[\s,]/.test(header[pos] ?? '')) pos++;
    return header.slice(start, pos);
  };

  while (pos < header.length) {
    skip(/[\s,]/);
    const scheme = token();
    if (!scheme) break;
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    for (;;) {
      skip(/[\s,]/);
      const start = pos;
      const name = token();
      if (!name) break;
      skip(/\s/);
      if (header[pos] !== '=') {
        // A bare token starts the next challenge.
        pos = start;
        break;
      }
      pos++;
      skip(/\s/);
      if (header[pos] === '=') {
        // token68 (e.g. "Negotiate abc=="), not a parameter.
        skip(/=/);
        continue;
      }
      challenge.params[name.toLowerCase()] = header[pos] === '"' ? quoted() : bare();
    }
  }
  return challenges;
}
