import fc from 'fast-check';
import { laplaceNoise, noisyCount, secureUniform } from './differential-privacy.js';

/** A seeded uniform source in (0, 1), for repeatable statistics. */
function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return (state + 0.5) / 2 ** 32;
  };
}

describe('the Laplace mechanism', () => {
  it('draws uniforms strictly inside (0, 1)', () => {
    for (let i = 0; i < 2_000; i++) {
      const u = secureUniform();
      expect(u).toBeGreaterThan(0);
      expect(u).toBeLessThan(1);
    }
  });

  it('has mean 0 and mean absolute deviation equal to its scale', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.double({ min: 0.5, max: 20, noNaN: true }),
        (seed, scale) => {
          const uniform = seeded(seed);
          const draws = Array.from({ length: 20_000 }, () => laplaceNoise(scale, uniform));
          const mean = draws.reduce((sum, x) => sum + x, 0) / draws.length;
          const meanAbsolute = draws.reduce((sum, x) => sum + Math.abs(x), 0) / draws.length;
          // Standard errors: scale·√2/√n for the mean, scale/√n for the mean absolute value; 5 of them.
          expect(Math.abs(mean)).toBeLessThan((5 * scale * Math.SQRT2) / Math.sqrt(draws.length));
          expect(Math.abs(meanAbsolute - scale)).toBeLessThan((5 * scale) / Math.sqrt(draws.length));
        },
      ),
      { numRuns: 20 },
    );
  });

  it('scales the noise to sensitivity / epsilon and releases whole numbers', () => {
    const spread = (epsilon: number, sensitivity: number) => {
      const uniform = seeded(7);
      const draws = Array.from({ length: 20_000 }, () => noisyCount(100, epsilon, sensitivity, uniform));
      expect(draws.every(Number.isInteger)).toBe(true);
      return draws.reduce((sum, x) => sum + Math.abs(x - 100), 0) / draws.length;
    };
    expect(spread(1, 5)).toBeGreaterThan(4.7);
    expect(spread(1, 5)).toBeLessThan(5.3);
    expect(spread(0.5, 5)).toBeGreaterThan(9.5);
    expect(spread(10, 1)).toBeLessThan(0.3);
  });
});
