import fc from 'fast-check';
import { hammingDistance } from '@boardroom/media';
import { BAND_COUNT, GUARANTEED_DISTANCE, bandsOf, probesOf } from './hash-bands.js';

const hash = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
const key = ({ band, value }: { band: number; value: number }): string => `${band}:${value}`;

/** Whether a stored hash's bands answer one of the probes of `query`. */
function isCandidate(query: bigint, stored: bigint): boolean {
  const probes = new Set(probesOf(query).map(key));
  return bandsOf(stored).some((band) => probes.has(key(band)));
}

describe('multi-index hashing of perceptual hashes', () => {
  it('covers the duplicate distance of the rules', () => {
    expect(GUARANTEED_DISTANCE).toBeGreaterThanOrEqual(6);
  });

  it('finds every hash within distance 6 (and 7) as a candidate', () => {
    fc.assert(
      fc.property(hash, fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: 7 }), (query, bits) => {
        const near = bits.reduce((h, bit) => BigInt.asIntN(64, h ^ (1n << BigInt(bit))), query);
        expect(hammingDistance(query, near)).toBe(bits.length);
        expect(isCandidate(query, near)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('misses a pair 8 apart when every band is 2 bits apart: the bound is tight', () => {
    const query = 0n;
    const far = [0, 16, 32, 48].reduce((h, start) => h | (3n << BigInt(start)), 0n);
    expect(hammingDistance(query, far)).toBe(8);
    expect(isCandidate(query, far)).toBe(false);
  });

  it('keeps unrelated hashes out: about 1 in 960 uniformly random hashes is a candidate', () => {
    // fast-check favours small and edge values; uniform hashes (as unrelated pictures give) come from
    // a seeded xorshift. Expected rate: 1 − (1 − 17/65536)^4 ≈ 0.00104.
    let state = 0x9e3779b97f4a7c15n;
    const next = (): bigint => {
      state = BigInt.asUintN(64, state ^ (state << 13n));
      state ^= state >> 7n;
      state = BigInt.asUintN(64, state ^ (state << 17n));
      return BigInt.asIntN(64, state);
    };
    const pairs = 20_000;
    let candidates = 0;
    for (let i = 0; i < pairs; i++) if (isCandidate(next(), next())) candidates++;
    expect(candidates / pairs).toBeGreaterThan(0.0003);
    expect(candidates / pairs).toBeLessThan(0.003);
    expect(probesOf(0n)).toHaveLength(BAND_COUNT * 17);
  });

  it('reads a signed bigint as its 64 unsigned bits', () => {
    expect(bandsOf(-1n).map((b) => b.value)).toEqual([65535, 65535, 65535, 65535]);
    expect(bandsOf(0x0001_0002_0003_0004n).map((b) => b.value)).toEqual([4, 3, 2, 1]);
  });
});
