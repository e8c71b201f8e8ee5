import { jest } from '@jest/globals';
import { argon2id } from 'hash-wasm';
import { ARGON2_PARAMETERS, readArgon2Parameters } from './argon2-parameters.js';
import { PasswordHasher } from './password-hasher.js';

const PASSWORD = 'correct horse battery staple';

async function millis(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();
  let stored: string;

  beforeAll(async () => {
    stored = await hasher.hash(PASSWORD);
  });

  it('stores argon2id with at least OWASP’s minimum cost (m=19456 KiB, t=2, p=1)', () => {
    const read = readArgon2Parameters(stored);
    expect(read.variant).toBe('argon2id');
    expect(read.memoryCost).toBeGreaterThanOrEqual(19_456);
    expect(read.timeCost).toBeGreaterThanOrEqual(2);
    expect(read.parallelism).toBeGreaterThanOrEqual(1);
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    await expect(hasher.verify(stored, PASSWORD)).resolves.toBe(true);
    await expect(hasher.verify(stored, PASSWORD + '!')).resolves.toBe(false);
  });

  it.each(['', 'not a hash', '$argon2id$v=19$m=19456,t=2,p=1$AAAA$BBBB', '$2b$12$abcdefghijklmnopqrstuv'])(
    'answers false, not an error, for the malformed hash %j',
    async (hash) => {
      await expect(hasher.verify(hash, PASSWORD)).resolves.toBe(false);
    },
  );

  it('salts: two hashes of one password differ, and both verify', async () => {
    const again = await hasher.hash(PASSWORD);
    expect(again).not.toBe(stored);
    await expect(hasher.verify(again, PASSWORD)).resolves.toBe(true);
  });

  it('needs a rehash only when the stored cost is below the current one', async () => {
    const weak = await argon2id({
      password: PASSWORD,
      salt: new Uint8Array(16).fill(7),
      memorySize: 4096,
      iterations: 1,
      parallelism: 1,
      hashLength: 32,
      outputType: 'encoded',
    });
    expect(hasher.needsRehash(weak)).toBe(true);
    expect(hasher.needsRehash(stored)).toBe(false);
    expect(hasher.needsRehash('not a hash')).toBe(true);
  });

  it('verifyAgainstNothing resolves false after a real verify against a hash of the current cost', async () => {
    await expect(hasher.verifyAgainstNothing(PASSWORD)).resolves.toBe(false); // computes the dummy hash
    const verify = jest.spyOn(hasher, 'verify');
    try {
      const real: number[] = [];
      const dummy: number[] = [];
      // Interleaved, so that a change in machine load affects both series alike.
      for (let run = 0; run < 3; run++) {
        real.push(await millis(() => hasher.verify(stored, 'wrong password')));
        dummy.push(await millis(() => hasher.verifyAgainstNothing('wrong password')));
      }
      // Each dummy call ran the same verify, on a hash with the parameters a real one has.
      const dummyCalls = verify.mock.calls.filter((_, index) => index % 2 === 1);
      expect(dummyCalls).toHaveLength(3);
      for (const [hash, password] of dummyCalls) {
        expect(password).toBe('wrong password');
        expect(readArgon2Parameters(hash)).toEqual(readArgon2Parameters(stored));
      }
      // Timing, loosely: skipped hashing would take microseconds; a real verify tens of milliseconds.
      // Under a loaded CI machine the two series differ by 2x or more, so only the order of magnitude is checked.
      expect(Math.min(...dummy)).toBeGreaterThanOrEqual(Math.min(...real) * 0.1);
    } finally {
      verify.mockRestore();
    }
  });
});

describe('readArgon2Parameters', () => {
  it('reads a PHC string in any parameter order', () => {
    expect(readArgon2Parameters('$argon2id$v=19$m=19456,p=1,t=2$c2FsdHNhbHQ$aGFzaGhhc2g')).toEqual({
      variant: 'argon2id',
      version: 19,
      memoryCost: 19_456,
      timeCost: 2,
      parallelism: 1,
    });
  });

  it('throws on anything else', () => {
    expect(() => readArgon2Parameters('$argon2id$v=19$m=x,t=2,p=1$c2FsdA$aGFzaA')).toThrow();
    expect(() => readArgon2Parameters('$argon2id$v=19$m=19456,t=2$c2FsdA$aGFzaA')).toThrow();
    expect(() => readArgon2Parameters('$scrypt$ln=16,r=8,p=1$c2FsdA$aGFzaA')).toThrow();
  });

  it('matches the parameters the hasher uses', () => {
    expect(ARGON2_PARAMETERS).toMatchObject({ variant: 'argon2id', memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  });
});
