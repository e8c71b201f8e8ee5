import fc from 'fast-check';
import { accountSuspicion } from './account-suspicion.js';

describe('accountSuspicion', () => {
  const score = fc.double({ min: 0, max: 1, noNaN: true });

  it('is 0 without flags, the score itself for one flag, and 1 once a flag is certain', () => {
    expect(accountSuspicion([])).toBe(0);
    expect(accountSuspicion([0.4])).toBeCloseTo(0.4);
    expect(accountSuspicion([0.4, 1])).toBe(1);
    expect(accountSuspicion([0.5, 0.5])).toBeCloseTo(0.75);
  });

  it('stays in 0..1, never falls below its strongest flag, and never falls when a flag is added', () => {
    fc.assert(
      fc.property(fc.array(score, { maxLength: 8 }), score, (scores, added) => {
        const before = accountSuspicion(scores);
        expect(before).toBeGreaterThanOrEqual(0);
        expect(before).toBeLessThanOrEqual(1);
        expect(before).toBeGreaterThanOrEqual(Math.max(0, ...scores) - 1e-12);
        expect(accountSuspicion([...scores, added])).toBeGreaterThanOrEqual(before - 1e-12);
      }),
    );
  });
});
