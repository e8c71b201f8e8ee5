import { randomBytes } from 'node:crypto';

/** 32 symbols, lower-case, without the look-alikes 0/o and 1/l: easy to read aloud and to type. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const LENGTH = 12;

/** A new invite code: 12 random symbols of 32, 60 bits from the system's CSPRNG (unguessable, URL-safe). */
export function newInviteCode(): string {
  const bytes = randomBytes(LENGTH);
  let code = '';
  // 256 is a multiple of 32, so `byte % 32` is uniform.
  for (const byte of bytes) code += ALPHABET[byte % ALPHABET.length];
  return code;
}

/** A code as typed or pasted: trimmed and lower-case (codes are generated lower-case). */
export function normalizeInviteCode(code: string): string {
  return code.trim().toLowerCase();
}
