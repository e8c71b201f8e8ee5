import fc from 'fast-check';
import {
  AWARD_CODES,
  GAME_RULES,
  TITLES,
  applyDelta,
  commentCredit,
  compareTitles,
  dailyCommentCapReached,
  dailyPhotoCapReached,
  decideCeo,
  payrollActivityStart,
  payrollEligible,
  recentWindowStart,
  salaryFor,
  titleForShares,
  titleRank,
  visibleLength,
  weeklyPay,
  type CeoCandidate,
  type CommentForCredit,
  type GameRules,
  type Title,
} from './rules.js';

const at = (iso: string) => new Date(iso);
const shares = fc.integer({ min: 0, max: 1_000_000 });
const title = fc.constantFrom(...TITLES);

describe('the game rules', () => {
  it('hold every number of GAME.md, versioned', () => {
    expect(GAME_RULES.version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(GAME_RULES.shares).toEqual({ photoPublished: 10, commentPosted: 1, inviteQualified: 25 });
    expect(GAME_RULES.caps).toEqual({ earningPhotosPerUserBrandDay: 5, earningCommentsPerUserDay: 20 });
    expect(GAME_RULES.comments).toEqual({ minVisibleCharacters: 3, repeatWindow: 20 });
    expect(GAME_RULES.duplicates).toEqual({ maxHammingDistance: 6, hashBits: 64 });
    expect(GAME_RULES.invites).toEqual({ sameNetworkWindowHours: 24 });
    expect(GAME_RULES.titles).toEqual({ INTERN: 0, ASSOCIATE: 50, MANAGER: 200, DIRECTOR: 500, VICE_PRESIDENT: 1_000 });
    expect(GAME_RULES.ceo).toEqual({ minShares: 1_000, minRecentShares: 1, recentWindowDays: 60 });
    expect(GAME_RULES.salary).toEqual({
      base: {
        INTERN: 18_000,
        ASSOCIATE: 32_000,
        MANAGER: 55_000,
        DIRECTOR: 90_000,
        VICE_PRESIDENT: 150_000,
        CEO: 250_000,
      },
      perShare: 20,
    });
    expect(GAME_RULES.payroll).toEqual({ cadence: 'weekly', weeksPerYear: 52, activityWindowDays: 30 });
    expect(GAME_RULES.offers).toEqual({ defaultPrice: 0 });
  });

  it('declare the first set of awards as data', () => {
    expect(Object.keys(GAME_RULES.awards)).toEqual([...AWARD_CODES]);
    const table = Object.fromEntries(
      Object.entries(GAME_RULES.awards).map(([code, award]) => [code, [award.sharesBonus, award.perBrand]]),
    );
    expect(table).toEqual({
      FIRST_PHOTO: [5, false],
      BRAND_HOPPER: [10, false],
      STREAK_7: [10, false],
      RECRUITER: [15, false],
      PROMOTED_MANAGER: [5, true],
      CEO: [20, true],
      CRITIC: [5, false],
      FOUNDER: [10, true],
    });
    for (const award of Object.values(GAME_RULES.awards)) {
      expect(award.name).not.toBe('');
      expect(award.description).not.toBe('');
    }
  });
});

describe('titles', () => {
  it('follow total shares at each threshold', () => {
    const titles: [number, string][] = [
      [0, 'INTERN'],
      [49, 'INTERN'],
      [50, 'ASSOCIATE'],
      [199, 'ASSOCIATE'],
      [200, 'MANAGER'],
      [499, 'MANAGER'],
      [500, 'DIRECTOR'],
      [999, 'DIRECTOR'],
      [1_000, 'VICE_PRESIDENT'],
      [1_000_000, 'VICE_PRESIDENT'],
    ];
    for (const [count, expected] of titles) expect([count, titleForShares(count)]).toEqual([count, expected]);
  });

  it('read the thresholds from the rules they are given', () => {
    const rules: GameRules = { ...GAME_RULES, titles: { ...GAME_RULES.titles, ASSOCIATE: 10 } };
    expect(titleForShares(10, rules)).toBe('ASSOCIATE');
    expect(titleForShares(10)).toBe('INTERN');
  });

  it('rank from INTERN to CEO', () => {
    expect(TITLES.map(titleRank)).toEqual([0, 1, 2, 3, 4, 5]);
    const unsorted: Title[] = ['CEO', 'INTERN', 'DIRECTOR', 'ASSOCIATE'];
    expect(unsorted.sort(compareTitles)).toEqual(['INTERN', 'ASSOCIATE', 'DIRECTOR', 'CEO']);
  });

  it('never fall as shares rise, whatever the thresholds', () => {
    const thresholds = fc.record({
      INTERN: fc.constant(0),
      ASSOCIATE: fc.nat(2_000),
      MANAGER: fc.nat(2_000),
      DIRECTOR: fc.nat(2_000),
      VICE_PRESIDENT: fc.nat(2_000),
    });
    fc.assert(
      fc.property(shares, shares, fc.option(thresholds, { nil: undefined }), (a, b, titles) => {
        const rules = titles ? { ...GAME_RULES, titles } : GAME_RULES;
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(titleRank(titleForShares(low, rules))).toBeLessThanOrEqual(titleRank(titleForShares(high, rules)));
      }),
    );
  });
});

describe('salary and payroll', () => {
  it('pay a base by title plus 20 per share', () => {
    expect(salaryFor('INTERN', 0)).toBe(18_000);
    expect(salaryFor('ASSOCIATE', 50)).toBe(33_000);
    expect(salaryFor('VICE_PRESIDENT', 1_000)).toBe(170_000);
    expect(salaryFor('CEO', 1_000)).toBe(270_000);
  });

  it('rise with the title and with the shares', () => {
    fc.assert(
      fc.property(title, title, shares, shares, (a, b, x, y) => {
        const [lowTitle, highTitle] = compareTitles(a, b) <= 0 ? [a, b] : [b, a];
        const [few, many] = x <= y ? [x, y] : [y, x];
        expect(salaryFor(lowTitle, x)).toBeLessThanOrEqual(salaryFor(highTitle, x));
        expect(salaryFor(a, few)).toBeLessThanOrEqual(salaryFor(a, many));
        // The salary an employment shows, with its title following its shares, rises too.
        expect(salaryFor(titleForShares(few), few)).toBeLessThanOrEqual(salaryFor(titleForShares(many), many));
      }),
    );
  });

  it('pay a week of salary rounded down', () => {
    expect(weeklyPay(18_000)).toBe(346); // 346.15…
    expect(weeklyPay(33_000)).toBe(634); // 634.61…
    expect(weeklyPay(52)).toBe(1);
    expect(weeklyPay(51)).toBe(0);
    fc.assert(
      fc.property(fc.nat(100_000_000), (salary) => {
        const pay = weeklyPay(salary);
        expect(Number.isInteger(pay)).toBe(true);
        expect(pay * 52).toBeLessThanOrEqual(salary);
        expect((pay + 1) * 52).toBeGreaterThan(salary);
      }),
    );
  });

  it('pay employments with a positive entry in the 30 days before the run', () => {
    const runAt = at('2026-12-07T00:00:00Z');
    expect(payrollActivityStart(runAt)).toEqual(at('2026-11-07T00:00:00Z'));
    expect(payrollEligible(null, runAt)).toBe(false);
    expect(payrollEligible(at('2026-11-07T00:00:00Z'), runAt)).toBe(true);
    expect(payrollEligible(at('2026-11-06T23:59:59.999Z'), runAt)).toBe(false);
    expect(payrollEligible(at('2026-12-06T23:59:59.999Z'), runAt)).toBe(true);
    expect(payrollEligible(runAt, runAt)).toBe(false);
  });
});

describe('caps and comments', () => {
  it('cap earning photos at 5 per user, brand and day, and earning comments at 20 per user and day', () => {
    expect(dailyPhotoCapReached(4)).toBe(false);
    expect(dailyPhotoCapReached(5)).toBe(true);
    expect(dailyCommentCapReached(19)).toBe(false);
    expect(dailyCommentCapReached(20)).toBe(true);
  });

  it('count visible characters', () => {
    const lengths: [string, number][] = [
      ['abc', 3],
      ['  a b  ', 2],
      ['a\u200Bb\u200D', 2],
      ['\u3164\u3164\u3164', 0],
      ['\u2800\u2800\u2800', 0],
      ['\t\n\u00A0', 0],
      ['e\u0301e\u0301', 2],
      ['👍🏽👍🏽👍🏽', 3],
      ['👨‍👩‍👧', 1],
      ['🇫🇷🇫🇷', 2],
    ];
    for (const [body, length] of lengths) expect([body, visibleLength(body)]).toEqual([body, length]);
  });

  const comment = (overrides: Partial<CommentForCredit> = {}): CommentForCredit => ({
    onOwnPhoto: false,
    body: 'Lovely shot',
    previousBodies: [],
    earningToday: 0,
    ...overrides,
  });

  it('earn 1 share for a comment on someone else’s photo', () => {
    expect(commentCredit(comment())).toEqual({ shares: 1, withheld: null });
    expect(commentCredit(comment({ body: 'wow' }))).toEqual({ shares: 1, withheld: null });
  });

  it('earn nothing on one’s own photo, under 3 visible characters, repeated, or beyond the cap', () => {
    expect(commentCredit(comment({ onOwnPhoto: true }))).toEqual({ shares: 0, withheld: 'OWN_PHOTO' });
    expect(commentCredit(comment({ body: ' ok \u200B ' }))).toEqual({ shares: 0, withheld: 'TOO_SHORT' });
    expect(commentCredit(comment({ body: 'Nice!', previousBodies: ['first', ' nice! '] }))).toEqual({
      shares: 0,
      withheld: 'REPEAT',
    });
    expect(commentCredit(comment({ earningToday: 19 }))).toEqual({ shares: 1, withheld: null });
    expect(commentCredit(comment({ earningToday: 20 }))).toEqual({ shares: 0, withheld: 'DAILY_CAP' });
  });

  it('compare a body with the last 20 comments only', () => {
    const older = Array.from({ length: 20 }, (_, i) => `comment ${i}`);
    expect(commentCredit(comment({ body: 'again', previousBodies: [...older.slice(1), 'again'] })).withheld).toBe(
      'REPEAT',
    );
    expect(commentCredit(comment({ body: 'again', previousBodies: [...older, 'again'] })).withheld).toBeNull();
  });

  it('report the reason a comment earns nothing before the cap, which it does not use', () => {
    expect(commentCredit(comment({ body: 'ok', earningToday: 20 })).withheld).toBe('TOO_SHORT');
  });
});

describe('the CEO seat', () => {
  const candidate = (userId: string, overrides: Partial<CeoCandidate> = {}): CeoCandidate => ({
    userId,
    shares: 1_500,
    recentShares: 10,
    reachedRecentAt: at('2026-11-01T00:00:00Z'),
    ...overrides,
  });

  it('looks back 60 days, an entry exactly 60 days old included', () => {
    expect(recentWindowStart(at('2026-12-02T00:00:00Z'))).toEqual(at('2026-10-03T00:00:00Z'));
  });

  it('seats no one below 1,000 shares or without recent shares', () => {
    expect(decideCeo([], null)).toBeNull();
    expect(decideCeo([candidate('a', { shares: 999 })], null)).toBeNull();
    expect(decideCeo([candidate('a', { shares: 1_000 })], null)).toBe('a');
    expect(decideCeo([candidate('a', { recentShares: 0 })], 'a')).toBeNull();
    expect(decideCeo([candidate('a', { recentShares: 1 })], null)).toBe('a');
  });

  it('goes to the most recent shares', () => {
    const candidates = [candidate('a', { recentShares: 5, shares: 9_000 }), candidate('b', { recentShares: 6 })];
    expect(decideCeo(candidates, 'a')).toBe('b');
    expect(decideCeo(candidates, null)).toBe('b');
  });

  it('stays with an eligible incumbent on a tie', () => {
    const late = at('2026-11-30T00:00:00Z');
    expect(decideCeo([candidate('a'), candidate('b', { reachedRecentAt: late })], 'b')).toBe('b');
    // An incumbent below 1,000 shares cannot hold the seat, tied or not.
    expect(decideCeo([candidate('a'), candidate('b', { shares: 999 })], 'b')).toBe('a');
  });

  it('goes, between tied challengers, to whoever reached the count first, then by userId', () => {
    const early = at('2026-10-15T00:00:00Z');
    expect(decideCeo([candidate('a'), candidate('b', { reachedRecentAt: early })], 'c')).toBe('b');
    expect(decideCeo([candidate('b'), candidate('a')], null)).toBe('a');
  });

  it('reads its thresholds from the rules it is given', () => {
    const rules: GameRules = { ...GAME_RULES, ceo: { ...GAME_RULES.ceo, minShares: 100, minRecentShares: 3 } };
    expect(decideCeo([candidate('a', { shares: 100, recentShares: 3 })], null, rules)).toBe('a');
    expect(decideCeo([candidate('a', { shares: 100, recentShares: 2 })], null, rules)).toBeNull();
  });

  // Few ids, share counts around the threshold and few instants, so that ties and near misses are common.
  const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
  const candidates = fc.uniqueArray(
    fc.record({
      userId: fc.constantFrom(...ids),
      shares: fc.oneof(fc.integer({ min: 995, max: 1_005 }), fc.nat(3_000)),
      recentShares: fc.integer({ min: -2, max: 4 }),
      reachedRecentAt: fc.integer({ min: 0, max: 3 }).map((day) => new Date(Date.UTC(2026, 10, 1 + day))),
    }),
    { selector: (c) => c.userId, maxLength: ids.length },
  );
  const incumbent = fc.option(fc.constantFrom(...ids, 'gone'), { nil: null });
  const eligible = (c: CeoCandidate) => c.shares >= 1_000 && c.recentShares >= 1;

  it('seats only an eligible employee with the most recent shares, or no one if none is eligible', () => {
    fc.assert(
      fc.property(candidates, incumbent, (all, incumbentId) => {
        const seated = all.find((c) => c.userId === decideCeo(all, incumbentId));
        const most = Math.max(0, ...all.filter(eligible).map((c) => c.recentShares));
        if (!seated) {
          expect(all.some(eligible)).toBe(false);
          return;
        }
        expect(seated.shares).toBeGreaterThanOrEqual(1_000);
        expect(seated.recentShares).toBeGreaterThanOrEqual(1);
        expect(seated.recentShares).toBe(most);
      }),
    );
  });

  it('keeps an eligible incumbent tied for the most recent shares', () => {
    fc.assert(
      fc.property(candidates, (all) => {
        const most = Math.max(0, ...all.filter(eligible).map((c) => c.recentShares));
        for (const c of all.filter((c) => eligible(c) && c.recentShares === most)) {
          expect(decideCeo(all, c.userId)).toBe(c.userId);
        }
      }),
    );
  });

  it('does not depend on the order of the candidates', () => {
    fc.assert(
      fc.property(
        candidates.chain((all) => fc.tuple(fc.constant(all), fc.shuffledSubarray(all, { minLength: all.length }))),
        incumbent,
        ([all, shuffled], incumbentId) => {
          expect(decideCeo(shuffled, incumbentId)).toBe(decideCeo(all, incumbentId));
        },
      ),
    );
  });
});

describe('reversals', () => {
  it('never take a balance below 0, and record what they took', () => {
    expect(applyDelta(10, 5)).toEqual({ balance: 15, applied: 5 });
    expect(applyDelta(10, -10)).toEqual({ balance: 0, applied: -10 });
    expect(applyDelta(10, -15)).toEqual({ balance: 0, applied: -10 });
    expect(applyDelta(0, -1)).toEqual({ balance: 0, applied: 0 });
  });

  it('apply a change whole unless the balance cannot give it, and restore exactly what they took', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.integer({ min: -1_000_000, max: 1_000_000 }), (balance, delta) => {
        const result = applyDelta(balance, delta);
        expect(result.balance).toBeGreaterThanOrEqual(0);
        expect(result.balance).toBe(balance + result.applied);
        // Whole when the balance can give it; otherwise all of the balance.
        expect(result.balance).toBe(Math.max(0, balance + delta));
        expect(applyDelta(result.balance, -result.applied).balance).toBe(balance);
      }),
    );
  });
});
