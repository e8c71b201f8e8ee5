/**
 * argon2id cost: OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane), per the
 * Password Storage Cheat Sheet:
 * https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id
 * Raising these makes `needsRehash` upgrade old hashes at each user's next log-in.
 */
export const ARGON2_PARAMETERS = {
  variant: 'argon2id',
  /** Argon2 1.3 (0x13), the only version current libraries produce. */
  version: 19,
  /** KiB. */
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  hashLength: 32,
  saltLength: 16,
} as const;

export interface Argon2Parameters {
  variant: string;
  /** 16 when the string has no `v=` segment (Argon2 1.0). */
  version: number;
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

const VARIANTS = new Set(['argon2d', 'argon2i', 'argon2id']);

/**
 * The parameters of a PHC string such as `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`.
 * Throws on anything else. Parameter order is not fixed (node-argon2 writes m,p,t).
 */
export function readArgon2Parameters(hash: string): Argon2Parameters {
  const parts = hash.split('$');
  const variant = parts[1] ?? '';
  const hasVersion = parts[2]?.startsWith('v=') ?? false;
  const version = hasVersion ? Number(parts[2]?.slice(2)) : 16;
  const params = new Map(
    (parts[hasVersion ? 3 : 2] ?? '').split(',').map((pair) => {
      const [key = '', value = ''] = pair.split('=');
      return [key, value];
    }),
  );
  const int = (key: string): number => {
    const value = params.get(key) ?? '';
    return /^[1-9]\d{0,9}$/.test(value) ? Number(value) : NaN;
  };
  const read = { variant, version, memoryCost: int('m'), timeCost: int('t'), parallelism: int('p') };
  // '' + variant + version + params + salt + hash
  const expectedParts = hasVersion ? 6 : 5;
  if (
    parts[0] !== '' ||
    parts.length !== expectedParts ||
    !VARIANTS.has(variant) ||
    !Number.isInteger(version) ||
    [read.memoryCost, read.timeCost, read.parallelism].some(Number.isNaN)
  ) {
    throw new Error('Not an argon2 PHC string');
  }
  return read;
}
