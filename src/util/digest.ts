import type { Hash } from 'node:crypto';
import { builtin } from './builtin.js';

/**
 * crypto's createHash, with node:crypto loaded on the first digest rather than with the registry
 * client: a command that only lists (most of them) never computes one, and the load is ~4 ms.
 */
export function createHasher(algorithm: string): Hash {
  return builtin('node:crypto').createHash(algorithm);
}

const NODE_ALGORITHMS: Record<string, string> = { sha256: 'sha256', sha512: 'sha512' };

/** The digest of `bytes` with the algorithm of `like` (sha256 when unknown). */
export function digestOf(bytes: Buffer, like = 'sha256:'): string {
  const algorithm = like.split(':', 1)[0] ?? 'sha256';
  const node = NODE_ALGORITHMS[algorithm] ?? 'sha256';
  return `${NODE_ALGORITHMS[algorithm] ? algorithm : 'sha256'}:${createHasher(node).update(bytes).digest('hex')}`;
}

export function canVerify(digest: string): boolean {
  return (digest.split(':', 1)[0] ?? '') in NODE_ALGORITHMS;
}
