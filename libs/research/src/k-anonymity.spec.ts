import fc from 'fast-check';
import { planGeneralization, type QuasiIdentifiers } from './k-anonymity.js';

const TITLES = ['INTERN', 'ASSOCIATE', 'MANAGER', 'DIRECTOR', 'VICE_PRESIDENT', 'CEO'];
const classArbitrary = fc.record({
  ids: fc.record({
    signupWeek: fc
      .tuple(fc.integer({ min: 2025, max: 2026 }), fc.integer({ min: 1, max: 52 }))
      .map(([year, week]) => `${year}-W${String(week).padStart(2, '0')}`),
    brands: fc.integer({ min: 0, max: 14 }),
    topTitle: fc.constantFrom(...TITLES),
  }),
  count: fc.integer({ min: 1, max: 40 }),
});

/** The published combinations and how many accounts share each. */
function publishedClasses(classes: { ids: QuasiIdentifiers; count: number }[], k: number): Map<string, number> {
  const plan = planGeneralization(classes, k);
  const sizes = new Map<string, number>();
  for (const { ids, count } of classes) {
    const published = plan.publish(ids);
    const key = `${published.signupWeek}|${published.brands}|${published.topTitle}`;
    sizes.set(key, (sizes.get(key) ?? 0) + count);
  }
  return sizes;
}

describe('planGeneralization', () => {
  it('publishes every combination for at least k accounts, or suppresses it entirely', () => {
    fc.assert(
      fc.property(fc.array(classArbitrary, { maxLength: 60 }), fc.integer({ min: 2, max: 10 }), (classes, k) => {
        for (const [key, size] of publishedClasses(classes, k)) {
          if (key !== '*|*|*') expect(size).toBeGreaterThanOrEqual(k);
        }
      }),
    );
  });

  it('counts the accounts it generalized and keeps classes of k as they are', () => {
    fc.assert(
      fc.property(fc.array(classArbitrary, { maxLength: 60 }), fc.integer({ min: 2, max: 10 }), (classes, k) => {
        const plan = planGeneralization(classes, k);
        let generalized = 0;
        for (const { ids, count } of classes) {
          const published = plan.publish(ids);
          if (published.level > 0) generalized += count;
        }
        expect(plan.generalized).toBe(generalized);
      }),
    );
    const plan = planGeneralization(
      [
        { ids: { signupWeek: '2026-W07', brands: 2, topTitle: 'MANAGER' }, count: 5 },
        { ids: { signupWeek: '2026-W08', brands: 2, topTitle: 'MANAGER' }, count: 2 },
        { ids: { signupWeek: '2026-W06', brands: 2, topTitle: 'MANAGER' }, count: 3 },
        { ids: { signupWeek: '2026-W30', brands: 3, topTitle: 'CEO' }, count: 1 },
      ],
      5,
    );
    expect(plan.publish({ signupWeek: '2026-W07', brands: 2, topTitle: 'MANAGER' })).toEqual({
      signupWeek: '2026-W07',
      brands: '2',
      topTitle: 'MANAGER',
      level: 0,
    });
    // The two small classes share a four-week bucket: 5 accounts together.
    expect(plan.publish({ signupWeek: '2026-W08', brands: 2, topTitle: 'MANAGER' })).toEqual({
      signupWeek: '2026-W05..W08',
      brands: '2',
      topTitle: 'MANAGER',
      level: 1,
    });
    expect(plan.publish({ signupWeek: '2026-W06', brands: 2, topTitle: 'MANAGER' }).level).toBe(1);
    expect(plan.publish({ signupWeek: '2026-W30', brands: 3, topTitle: 'CEO' }).level).toBe(4);
    expect(plan.generalized).toBe(6);
    expect(plan.suppressed).toBe(1);
  });

  it('suppresses what cannot reach k at any level', () => {
    const plan = planGeneralization([{ ids: { signupWeek: '2026-W07', brands: 1, topTitle: 'CEO' }, count: 2 }], 5);
    expect(plan.publish({ signupWeek: '2026-W07', brands: 1, topTitle: 'CEO' })).toMatchObject({
      signupWeek: '*',
      level: 4,
    });
    expect(plan.suppressed).toBe(2);
  });
});
