import { createHash, randomBytes } from 'node:crypto';

/**
 * Opaque tokens (refresh, email verification, password reset): 256 random
 * bits, stored only as a SHA-256 digest. A fast hash is right here: with that
 * much entropy there is nothing to brute-force, unlike a password.
 */
export function newSecretToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashSecretToken(token) };
}

export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
