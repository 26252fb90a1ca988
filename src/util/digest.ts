import { createHash } from 'node:crypto';

const NODE_ALGORITHMS: Record<string, string> = { sha256: 'sha256', sha512: 'sha512' };

/** The digest of `bytes` with the algorithm of `like` (sha256 when unknown). */
export function digestOf(bytes: Buffer, like = 'sha256:'): string {
  const algorithm = like.split(':', 1)[0] ?? 'sha256';
  const node = NODE_ALGORITHMS[algorithm] ?? 'sha256';
  return `${NODE_ALGORITHMS[algorithm] ? algorithm : 'sha256'}:${createHash(node).update(bytes).digest('hex')}`;
}

export function canVerify(digest: string): boolean {
  return (digest.split(':', 1)[0] ?? '') in NODE_ALGORITHMS;
}
