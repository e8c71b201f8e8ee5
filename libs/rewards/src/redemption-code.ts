import { randomInt } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a code read aloud at the till is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 10;

/** A redemption code such as `7KQ4-M2XD-9B`: 50 random bits, grouped for reading out. */
export function newRedemptionCode(): string {
  let raw = '';
  for (let i = 0; i < LENGTH; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

/** A code as typed at the till (any case, spaces, O for 0, I/L for 1) in its stored form; null if it cannot be one. */
export function normalizeRedemptionCode(typed: string): string | null {
  const raw = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (raw.length !== LENGTH || [...raw].some((c) => !ALPHABET.includes(c))) return null;
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}
