import fc from 'fast-check';
import { hammingDistance } from '@boardroom/media';
import { bandProbes, hashBands, isProbeCandidate } from './hash-bands.js';

const hash = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
/** `base` with up to `maxBits` distinct bits flipped. */
const near = (maxBits: number) =>
  fc.tuple(hash, fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: maxBits })).map(([base, bits]) => {
    const other = BigInt.asIntN(
      64,
      bits.reduce((h, bit) => h ^ (1n << BigInt(bit)), base),
    );
    return { base, other };
  });

describe('perceptual-hash bands', () => {
  it('cut a hash into four 16-bit values, most significant first', () => {
    expect(hashBands(0x0001000200030004n)).toEqual([1, 2, 3, 4]);
    expect(hashBands(-1n)).toEqual([0xffff, 0xffff, 0xffff, 0xffff]);
    expect(bandProbes(0n)[0]).toHaveLength(17);
  });

  it('find every hash within distance 6 (and 7) by probing', () => {
    fc.assert(
      fc.property(near(7), ({ base, other }) => {
        expect(hammingDistance(base, other)).toBeLessThanOrEqual(7);
        expect(isProbeCandidate(base, other)).toBe(true);
        expect(isProbeCandidate(other, base)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('let few unrelated hashes through (about 68 in 65 536)', () => {
    // Uniform hashes, as unrelated pictures' are (fast-check's bigints lean to edge cases): splitmix64.
    let state = 42n;
    const next = () => {
      state = BigInt.asUintN(64, state + 0x9e3779b97f4a7c15n);
      let z = state;
      z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
      z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
      return BigInt.asIntN(64, z ^ (z >> 31n));
    };
    const pairs = 20_000;
    let candidates = 0;
    for (let i = 0; i < pairs; i++) if (isProbeCandidate(next(), next())) candidates++;
    // Expected 20 000 · 68 / 65 536 ≈ 21.
    expect(candidates).toBeGreaterThan(5);
    expect(candidates).toBeLessThan(60);
  });
});
