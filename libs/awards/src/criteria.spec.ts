import type { StoredEvent } from '@boardroom/core';
import type { CriterionLookups } from './award-criterion.js';
import { AWARD_CRITERIA, hasConsecutiveDays } from './criteria.js';

const criterion = (code: string) => AWARD_CRITERIA.find((c) => c.code === code)!;
const event = (action: string, extra: Partial<StoredEvent> = {}): StoredEvent => ({
  id: '1',
  xid: '1',
  occurredAt: new Date('2026-12-02T10:00:00Z'),
  action,
  actorId: 'user-1',
  brandId: 'brand-1',
  targetType: null,
  targetId: 'target-1',
  deviceFingerprintHash: null,
  networkFingerprintHash: null,
  meta: {},
  ...extra,
});
const lookups = (creator: string | null): CriterionLookups => ({
  manager: null as never,
  brandCreator: () => Promise.resolve(creator),
});

describe('award criteria', () => {
  it('cover every award of the rules, once each', () => {
    expect(AWARD_CRITERIA.map((c) => c.code).sort()).toEqual(
      ['BRAND_HOPPER', 'CEO', 'CRITIC', 'FIRST_PHOTO', 'FOUNDER', 'PROMOTED_MANAGER', 'RECRUITER', 'STREAK_7'].sort(),
    );
  });

  it('STREAK_7 needs 7 consecutive UTC days, whatever the order and repeats', () => {
    const days = ['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06'];
    expect(hasConsecutiveDays(days, 7)).toBe(false);
    expect(hasConsecutiveDays([...days, '2026-12-08'], 7)).toBe(false);
    expect(hasConsecutiveDays(['2026-12-07', ...days, '2026-12-03'], 7)).toBe(true);
    // Across a month and a year.
    expect(
      hasConsecutiveDays(
        ['2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04'],
        7,
      ),
    ).toBe(true);
    const streak = criterion('STREAK_7');
    expect(streak.count(event('photo.published'), lookups(null))).toEqual([
      { userId: 'user-1', brandId: null, bonusBrandId: 'brand-1', item: '2026-12-02' },
    ]);
    // What it keeps stays small and still holds a streak.
    const many = Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10));
    expect(streak.keep(many).length).toBeLessThanOrEqual(14);
    expect(streak.reached(streak.keep(many))).toBe(true);
  });

  it('PROMOTED_MANAGER counts titles from MANAGER up, per brand', () => {
    const promoted = criterion('PROMOTED_MANAGER');
    expect(promoted.count(event('employment.title_changed', { meta: { to: 'ASSOCIATE' } }), lookups(null))).toEqual([]);
    for (const to of ['MANAGER', 'DIRECTOR', 'VICE_PRESIDENT']) {
      expect(promoted.count(event('employment.title_changed', { meta: { to } }), lookups(null))).toEqual([
        { userId: 'user-1', brandId: 'brand-1', bonusBrandId: 'brand-1', item: 'manager' },
      ]);
    }
  });

  it('CRITIC counts earning comments only; FOUNDER counts other publishers of the creator’s brand', async () => {
    const critic = criterion('CRITIC');
    expect(critic.count(event('comment.posted', { meta: { sharesAwarded: 0 } }), lookups(null))).toEqual([]);
    expect(critic.count(event('comment.posted', { meta: { sharesAwarded: 1 } }), lookups(null))).toHaveLength(1);
    expect(critic.reached(Array.from({ length: 49 }, String))).toBe(false);
    expect(critic.reached(Array.from({ length: 50 }, String))).toBe(true);

    const founder = criterion('FOUNDER');
    expect(await founder.count(event('photo.published'), lookups('user-1'))).toEqual([]);
    expect(await founder.count(event('photo.published'), lookups(null))).toEqual([]);
    expect(await founder.count(event('photo.published', { actorId: 'user-2' }), lookups('user-1'))).toEqual([
      { userId: 'user-1', brandId: 'brand-1', bonusBrandId: 'brand-1', item: 'user-2' },
    ]);
  });
});
