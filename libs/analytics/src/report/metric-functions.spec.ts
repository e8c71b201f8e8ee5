import fc from 'fast-check';
import { gini, hhi, median, reciprocity, retention, shareOf, topShare, type CommentEdge } from './metric-functions.js';

const amounts = fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 200 });
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const at = (hours: number) => new Date(Date.UTC(2026, 10, 1) + hours * HOUR);

describe('gini', () => {
  it('is 0 for equal amounts and for nothing, and grows with concentration among earners', () => {
    expect(gini([])).toBe(0);
    expect(gini([5, 5, 5, 5])).toBeCloseTo(0);
    expect(gini([0, 0, 0, 100])).toBeCloseTo(0); // zeros are not earners
    expect(gini([1, 1, 1, 97])).toBeCloseTo(0.72, 2);
    expect(gini([1, 3])).toBeCloseTo(0.25);
  });

  it('stays in 0..1, ignores order and scale', () => {
    fc.assert(
      fc.property(amounts, fc.integer({ min: 1, max: 50 }), (values, factor) => {
        const g = gini(values);
        expect(g).toBeGreaterThanOrEqual(0);
        expect(g).toBeLessThanOrEqual(1);
        expect(gini([...values].reverse())).toBeCloseTo(g, 9);
        expect(gini(values.map((v) => v * factor))).toBeCloseTo(g, 9);
      }),
    );
  });

  it('grows when a poorer earner gives to a richer one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 1_000 }), fc.integer({ min: 2, max: 1_000 }), (a, b) => {
        const [poor, rich] = a <= b ? [a, b] : [b, a];
        expect(gini([poor - 1, rich + 1, 10])).toBeGreaterThanOrEqual(gini([poor, rich, 10]) - 1e-12);
      }),
    );
  });
});

describe('hhi', () => {
  it('is 1/n for n equal earners and 1 for one', () => {
    expect(hhi([])).toBe(0);
    expect(hhi([7])).toBe(1);
    expect(hhi([2, 2, 2, 2])).toBeCloseTo(0.25);
    expect(hhi([3, 1])).toBeCloseTo(0.625);
  });

  it('lies between 1/n and 1', () => {
    fc.assert(
      fc.property(amounts, (values) => {
        const h = hhi(values);
        expect(h).toBeGreaterThanOrEqual(1 / values.length - 1e-12);
        expect(h).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('topShare', () => {
  it('takes at least one earner, the top 1 % of a hundred being one', () => {
    expect(topShare([])).toBe(0);
    expect(topShare([10, 30])).toBeCloseTo(0.75);
    const community = [...Array.from({ length: 99 }, () => 1), 101];
    expect(topShare(community)).toBeCloseTo(0.505);
    expect(topShare([...community, 50])).toBeCloseTo((101 + 50) / 250); // 101 earners: the top 2
  });

  it('is at least the top fraction of the total, and at most 1', () => {
    fc.assert(
      fc.property(amounts, (values) => {
        const share = topShare(values);
        expect(share).toBeLessThanOrEqual(1);
        expect(share).toBeGreaterThanOrEqual(Math.max(...values) / values.reduce((a, b) => a + b, 0) - 1e-12);
      }),
    );
  });
});

describe('retention', () => {
  const asOf = at(40 * 24);

  it('counts members active N days after joining, leaving out those whose day N is ahead', () => {
    const cohort = [
      { joinedAt: at(0), activeAt: [at(1), at(24 * 8)] }, // back on day 8
      { joinedAt: at(0), activeAt: [at(2)] }, // never back
      { joinedAt: at(24 * 35), activeAt: [at(24 * 36 + 1)] }, // joined 5 days ago: back on day 1
    ];
    expect(retention(cohort, 1, asOf)).toEqual({ value: 2 / 3, eligible: 3 });
    expect(retention(cohort, 7, asOf)).toEqual({ value: 1 / 2, eligible: 2 });
    expect(retention(cohort, 30, asOf)).toEqual({ value: 0, eligible: 2 });
    expect(retention([], 7, asOf)).toEqual({ value: 0, eligible: 0 });
  });

  it('never rises with N', () => {
    const member = fc.record({
      joinedAt: fc.integer({ min: 0, max: 24 * 39 }).map(at),
      activeAt: fc.array(fc.integer({ min: 0, max: 24 * 40 }).map(at), { maxLength: 5 }),
    });
    fc.assert(
      fc.property(fc.array(member, { maxLength: 30 }), (cohort) => {
        // Of the same members (the ones eligible for the larger N), fewer or as many are retained.
        const old = cohort.filter((m) => m.joinedAt.getTime() + 30 * DAY <= asOf.getTime());
        expect(retention(old, 7, asOf).value).toBeGreaterThanOrEqual(retention(old, 30, asOf).value);
        expect(retention(old, 1, asOf).value).toBeGreaterThanOrEqual(retention(old, 7, asOf).value);
      }),
    );
  });
});

describe('reciprocity', () => {
  const edge = (from: string, to: string, hours: number, inWindow = true): CommentEdge => ({
    from,
    to,
    at: at(hours),
    inWindow,
  });

  it('counts the pairs answered in kind within 24 hours, either way round in time', () => {
    expect(reciprocity([])).toBe(0);
    expect(
      reciprocity([
        edge('a', 'b', 0),
        edge('b', 'a', 23), // answers a → b
        edge('c', 'a', 0),
        edge('a', 'c', 30), // too late
        edge('d', 'd', 0), // on one's own photo: not a pair
      ]),
    ).toBeCloseTo(2 / 4); // pairs a→b, b→a (both answered), c→a, a→c (not)
    // An answer outside the window counts; a pair only outside it does not.
    expect(reciprocity([edge('a', 'b', 0), edge('b', 'a', -20, false)])).toBe(1);
  });

  it('stays in 0..1 and a complete exchange at once is 1', () => {
    const users = fc.constantFrom('a', 'b', 'c', 'd');
    const anEdge = fc.record({
      from: users,
      to: users,
      at: fc.integer({ min: 0, max: 200 }).map(at),
      inWindow: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(anEdge, { maxLength: 40 }), (edges) => {
        const value = reciprocity(edges);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
        const answered = edges.flatMap((e) => [e, { ...e, from: e.to, to: e.from }]);
        if (answered.some((e) => e.inWindow && e.from !== e.to)) expect(reciprocity(answered)).toBe(1);
      }),
    );
  });
});

describe('shareOf and median', () => {
  it('divide safely', () => {
    expect(shareOf(1, 0)).toBe(0);
    expect(shareOf(1, 4)).toBe(0.25);
    expect(median([])).toBe(0);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
