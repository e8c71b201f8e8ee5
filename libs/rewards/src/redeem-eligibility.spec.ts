import { redeemBlock, type RedeemFacts } from './redeem-eligibility.js';
import { newRedemptionCode, normalizeRedemptionCode } from './redemption-code.js';

const now = new Date('2026-12-02T12:00:00Z');
const facts = (changed: Partial<RedeemFacts> = {}, offer: Partial<RedeemFacts['offer']> = {}): RedeemFacts => ({
  offer: { minTitle: 'MANAGER', price: 30, remaining: 1, startsAt: null, expiresAt: null, closedAt: null, ...offer },
  brandName: 'Nutella',
  title: 'MANAGER',
  balance: 30,
  alreadyRedeemed: false,
  now,
  ...changed,
});

describe('redeemBlock', () => {
  it('lets an employee at minTitle with the price in the wallet redeem', () => {
    expect(redeemBlock(facts())).toBeNull();
    expect(redeemBlock(facts({ title: 'CEO', balance: 31 }))).toBeNull();
  });

  it('names the title needed when the title is too low or the user is not an employee', () => {
    expect(redeemBlock(facts({ title: 'INTERN' }))).toMatchObject({
      code: 'FORBIDDEN',
      message: 'This offer needs the title MANAGER or higher at Nutella; you are INTERN.',
    });
    expect(redeemBlock(facts({ title: null }))?.message).toContain('not an employee of Nutella');
  });

  it('refuses outside the window: the start is inclusive, the expiry exclusive', () => {
    expect(redeemBlock(facts({}, { startsAt: new Date(now.getTime() + 1) }))).toMatchObject({ reason: 'NOT_STARTED' });
    expect(redeemBlock(facts({}, { startsAt: now }))).toBeNull();
    expect(redeemBlock(facts({}, { expiresAt: now }))).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'EXPIRED' });
  });

  it('says how much is needed and held', () => {
    expect(redeemBlock(facts({ balance: 29 }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: 'This offer needs 30 in your wallet, you have 29.',
    });
  });

  it('gives the first blocking reason: closed, redeemed, title, window, stock, balance', () => {
    const all = facts(
      { alreadyRedeemed: true, title: 'INTERN', balance: 0 },
      { closedAt: now, remaining: 0, expiresAt: now },
    );
    expect(redeemBlock(all)?.reason).toBe('OFFER_CLOSED');
    expect(redeemBlock({ ...all, offer: { ...all.offer, closedAt: null } })?.reason).toBe('ALREADY_REDEEMED');
    expect(redeemBlock({ ...all, alreadyRedeemed: false, offer: { ...all.offer, closedAt: null } })?.reason).toBe(
      'TITLE_TOO_LOW',
    );
    expect(redeemBlock(facts({ balance: 0 }, { remaining: 0 }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'SOLD_OUT',
    });
  });
});

describe('redemption codes', () => {
  it('are 10 Crockford base32 characters grouped 4-4-2, and differ', () => {
    const codes = Array.from({ length: 1000 }, () => newRedemptionCode());
    for (const code of codes)
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('are read back as typed at the till, and anything else is no code', () => {
    expect(normalizeRedemptionCode(' 7kq4 m2xd 9b ')).toBe('7KQ4-M2XD-9B');
    expect(normalizeRedemptionCode('oIl4-M2XD-9B')).toBe('0114-M2XD-9B');
    expect(normalizeRedemptionCode('7KQ4-M2XD-9')).toBeNull();
    expect(normalizeRedemptionCode('7KQ4-M2XD-9U')).toBeNull();
  });
});
