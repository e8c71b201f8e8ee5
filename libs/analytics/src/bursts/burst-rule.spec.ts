import fc from 'fast-check';
import { DETECTION_RULES } from '../detection-rules.js';
import { median } from '../report/metric-functions.js';
import { burstScore, hourOf, judgeHour, mad } from './burst-rule.js';

const rules = DETECTION_RULES.bursts;
// Two weeks of a steady brand: 2 to 4 events an hour.
const steady = Array.from({ length: 14 * 24 }, (_, i) => 2 + (i % 3));

describe('the burst rule', () => {
  it('takes median and MAD', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(mad([1, 1, 2, 2, 4, 6, 9])).toBe(1);
  });

  it('calls an hour of 40 events over a steady baseline a burst', () => {
    const judgement = judgeHour(40, steady, rules);
    expect(judgement).toMatchObject({ burst: true, median: 3, mad: 1 });
    expect(judgement.z).toBeCloseTo(37 / 1.4826);
  });

  it('does not call a busy hour a burst when it is within reach of the baseline', () => {
    // 11 events: z = 8 / 1.4826 ≈ 5.4, just under 6.
    expect(judgeHour(11, steady, rules).burst).toBe(false);
    // Far above a silent brand, but under the minimum count.
    expect(judgeHour(19, Array(336).fill(0), rules)).toMatchObject({ burst: false });
    expect(judgeHour(20, Array(336).fill(0), rules)).toMatchObject({ burst: true });
  });

  it('never lowers an hour’s z when events are added to it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(50), { minLength: 1, maxLength: 400 }),
        fc.nat(60),
        fc.integer({ min: 1, max: 100 }),
        (baseline, count, added) => {
          expect(judgeHour(count + added, baseline, rules).z).toBeGreaterThanOrEqual(
            judgeHour(count, baseline, rules).z,
          );
        },
      ),
    );
  });

  it('scores an explained burst low and an unexplained one by z, capped', () => {
    expect(burstScore(50, true, rules)).toBe(0.05);
    expect(burstScore(15, false, rules)).toBe(0.3);
    expect(burstScore(500, false, rules)).toBe(0.6);
  });

  it('truncates to the UTC hour', () => {
    expect(hourOf(new Date('2026-11-20T12:59:59.999Z')).toISOString()).toBe('2026-11-20T12:00:00.000Z');
  });
});
