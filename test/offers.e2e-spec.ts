import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { Clock, JobRunner, LedgerChecks } from '@boardroom/core';
import type { Session } from './support/accounts-client.js';
import { createBrand } from './support/brands-client.js';
import { employeesOf } from './support/employees.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface OfferView {
  id: string;
  remaining: number;
  canRedeem: boolean;
  redeemBlockedReason: string | null;
  closedAt: string | null;
}
interface RedemptionView {
  id: string;
  code: string;
  sharedProfile: boolean;
  usedAt: string | null;
  user: { handle: string } | null;
}

const OFFER_FIELDS = `id remaining canRedeem redeemBlockedReason closedAt`;

/** A brand's promotion end to end: offers, redemptions at every refusal, codes at the till, unlock notices. */
describe('offers (e2e)', () => {
  let app: TestApp;
  let owner: Session;
  let slug: string;
  let brandId: string;
  let keys = 0;

  const { sql, newUser, as, errorOf, userIdOf, giveShares: giveSharesIn } = employeesOf(() => app);
  const giveShares = (session: Session, shares: number) => giveSharesIn(session, brandId, shares);
  /** Credits the wallet as payroll would: a ledger entry and its projection. */
  const credit = async (session: Session, amount: number) => {
    await sql(
      `INSERT INTO wallet_ledger (user_id, amount, requested_amount, reason, source_type, source_id, idempotency_key, created_at)
       VALUES ($1, $2, $2, 'PAYROLL', 'test', $3, $3, now())`,
      [userIdOf(session), amount, `test-pay:${++keys}`],
    );
    await sql(
      `INSERT INTO wallets (user_id, balance) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET balance = wallets.balance + excluded.balance`,
      [userIdOf(session), amount],
    );
  };
  const createOffer = (session: Session, input: Record<string, unknown>) =>
    as<{ createOffer: OfferView }>(
      session,
      `mutation($slug: String!, $input: CreateOfferInput!) { createOffer(brandSlug: $slug, input: $input) { ${OFFER_FIELDS} } }`,
      {
        slug,
        input: { kind: 'GIFT', title: 'A jar', description: 'One free jar.', minTitle: 'INTERN', stock: 5, ...input },
      },
    );
  const offerAs = async (session: Session, id: string) =>
    (
      await as<{ node: OfferView }>(session, `query($id: ID!) { node(id: $id) { ... on Offer { ${OFFER_FIELDS} } } }`, {
        id,
      })
    ).data!.node;
  const redeem = (session: Session, offerId: string, shareProfileWithBrand = false) =>
    as<{ redeemOffer: RedemptionView }>(
      session,
      `mutation($id: ID!, $share: Boolean) { redeemOffer(offerId: $id, shareProfileWithBrand: $share) { id code sharedProfile usedAt user { handle } } }`,
      { id: offerId, share: shareProfileWithBrand },
    );
  /** The refusal of redeemOffer and what the offer told the same user just before. */
  const refusal = async (session: Session, offerId: string) => {
    const before = await offerAs(session, offerId);
    const error = errorOf(await redeem(session, offerId))!;
    return { before, error };
  };

  beforeAll(async () => {
    app = await startTestApp({
      JOBS_IN_API: 'true',
      JOBS_POLL_INTERVAL_MS: '50',
      RATE_LIMIT_GRAPHQL: '100000/60',
    });
    owner = await newUser('offerowner');
    slug = await createBrand(app, owner, 'Offer Foods');
    brandId = (await sql<{ id: string }>(`SELECT id FROM brands WHERE slug = $1`, [slug]))[0]!.id;
    await sql(`INSERT INTO brand_managers (brand_id, user_id) VALUES ($1, $2)`, [brandId, userIdOf(owner)]);
  });
  afterAll(async () => {
    await app?.close();
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    const manager = app.app.get(DataSource).manager;
    for (const check of app.app.get(LedgerChecks).all()) expect(await check.differences(manager)).toEqual([]);
  });

  it('lets only the brand’s managers create offers, and validates them field by field', async () => {
    const stranger = await newUser('offerstranger');
    const refused = errorOf(await createOffer(stranger, {}))!;
    expect(refused.extensions.code).toBe('FORBIDDEN');
    expect(refused.message).toContain('Offer Foods');

    const invalid = errorOf(await createOffer(owner, { stock: 0, price: -1, title: 'x' }))!;
    expect(invalid.extensions.code).toBe('BAD_USER_INPUT');
    expect(invalid.message).toContain('input.stock');
    expect(invalid.message).toContain('input.price');
    expect(invalid.message).toContain('input.title');
    const window = errorOf(
      await createOffer(owner, { startsAt: '2026-12-10T00:00:00Z', expiresAt: '2026-12-09T00:00:00Z' }),
    )!;
    expect(window.message).toContain('input.expiresAt');

    const created = (await createOffer(owner, { stock: 3 })).data!.createOffer;
    expect(created).toMatchObject({ remaining: 3, closedAt: null });
    const listed = await as<{ brand: { offers: { id: string; price: number }[] } }>(
      stranger,
      `query($slug: String!) { brand(slug: $slug) { offers { id price } } }`,
      { slug },
    );
    expect(listed.data!.brand.offers).toContainEqual({ id: created.id, price: 0 });
  });

  it('refuses an INTERN a MANAGER offer, naming MANAGER, and agrees with canRedeem before', async () => {
    const intern = await newUser('offerintern');
    await giveShares(intern, 10);
    const offer = (await createOffer(owner, { minTitle: 'MANAGER' })).data!.createOffer;
    const { before, error } = await refusal(intern, offer.id);
    expect(error.extensions.code).toBe('FORBIDDEN');
    expect(error.message).toContain('MANAGER');
    expect(before).toMatchObject({ canRedeem: false, redeemBlockedReason: error.message });

    const manager = await newUser('offermanager');
    await giveShares(manager, 200);
    expect(await offerAs(manager, offer.id)).toMatchObject({ canRedeem: true, redeemBlockedReason: null });
    expect(errorOf(await redeem(manager, offer.id))).toBeUndefined();
  });

  it('refuses outside the window and with too little balance (BAD_USER_INPUT), then debits the wallet once', async () => {
    const buyer = await newUser('offerbuyer');
    await giveShares(buyer, 10);
    const now = Date.now();
    const later = (
      await createOffer(owner, {
        startsAt: new Date(now + 86_400_000).toISOString(),
        expiresAt: new Date(now + 2 * 86_400_000).toISOString(),
      })
    ).data!.createOffer;
    const early = await refusal(buyer, later.id);
    expect(early.error.extensions.code).toBe('BAD_USER_INPUT');
    expect(early.before.redeemBlockedReason).toBe(early.error.message);
    jest.spyOn(app.app.get(Clock), 'now').mockReturnValue(new Date(now + 3 * 86_400_000));
    const late = await refusal(buyer, later.id);
    expect(late.error.extensions.code).toBe('BAD_USER_INPUT');
    expect(late.error.message).toContain('expired');
    jest.restoreAllMocks();

    const priced = (await createOffer(owner, { price: 30 })).data!.createOffer;
    await credit(buyer, 20);
    const poor = await refusal(buyer, priced.id);
    expect(poor.error.extensions.code).toBe('BAD_USER_INPUT');
    expect(poor.error.message).toContain('needs 30');
    expect(poor.error.message).toContain('you have 20');
    expect(poor.before.redeemBlockedReason).toBe(poor.error.message);
    expect((await offerAs(buyer, priced.id)).remaining).toBe(5);

    await credit(buyer, 15);
    expect(errorOf(await redeem(buyer, priced.id))).toBeUndefined();
    const wallet = await as<{ me: { wallet: { balance: number } } }>(buyer, `{ me { wallet { balance } } }`);
    expect(wallet.data!.me.wallet.balance).toBe(5);
    const debits = await sql(
      `SELECT amount, idempotency_key FROM wallet_ledger WHERE user_id = $1 AND reason = 'REDEMPTION'`,
      [userIdOf(buyer)],
    );
    expect(debits).toEqual([{ amount: -30, idempotency_key: expect.stringMatching(/^redemption:/) }]);

    const twice = await refusal(buyer, priced.id);
    expect(twice.error.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_REDEEMED' });
    expect(twice.before.redeemBlockedReason).toBe(twice.error.message);
  });

  it('sells out (CONFLICT SOLD_OUT) and refuses a closed offer', async () => {
    const offer = (await createOffer(owner, { stock: 1 })).data!.createOffer;
    const first = await newUser('offerfirst');
    const second = await newUser('offersecond');
    await giveShares(first, 1);
    await giveShares(second, 1);
    expect(errorOf(await redeem(first, offer.id))).toBeUndefined();
    const soldOut = await refusal(second, offer.id);
    expect(soldOut.error.extensions).toMatchObject({ code: 'CONFLICT', reason: 'SOLD_OUT' });
    expect(soldOut.before).toMatchObject({
      remaining: 0,
      canRedeem: false,
      redeemBlockedReason: soldOut.error.message,
    });

    const open = (await createOffer(owner, {})).data!.createOffer;
    const refusedClose = errorOf(
      await as(second, `mutation($id: ID!) { closeOffer(id: $id) { id } }`, { id: open.id }),
    )!;
    expect(refusedClose.extensions.code).toBe('FORBIDDEN');
    const closed = await as<{ closeOffer: OfferView }>(
      owner,
      `mutation($id: ID!) { closeOffer(id: $id) { ${OFFER_FIELDS} } }`,
      {
        id: open.id,
      },
    );
    expect(closed.data!.closeOffer.closedAt).not.toBeNull();
    expect(errorOf(await redeem(second, open.id))!.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'OFFER_CLOSED',
    });
  });

  it('shows managers the redemptions, the redeemer only when shared (JOB offers), and marks codes used once', async () => {
    const job = (await createOffer(owner, { kind: 'JOB', title: 'Summer job' })).data!.createOffer;
    const sharing = await newUser('offersharing');
    const private_ = await newUser('offerprivate');
    await giveShares(sharing, 1);
    await giveShares(private_, 1);
    const shared = (await redeem(sharing, job.id, true)).data!.redeemOffer;
    const kept = (await redeem(private_, job.id)).data!.redeemOffer;
    expect(shared.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/);
    expect(kept.user).toEqual({ handle: 'offerprivate' });

    const listQuery = `query($id: ID!) { node(id: $id) { ... on Offer { redemptions(first: 1) { edges { node { code sharedProfile user { handle } } } pageInfo { hasNextPage endCursor } } } } }`;
    const page = await as<{
      node: {
        redemptions: { edges: { node: RedemptionView }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
      };
    }>(owner, listQuery, { id: job.id });
    const firstPage = page.data!.node.redemptions;
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    expect(firstPage.edges.map((e) => e.node)).toEqual([{ code: kept.code, sharedProfile: false, user: null }]);
    const next = await as<{ node: { redemptions: { edges: { node: RedemptionView }[] } } }>(
      owner,
      `query($id: ID!, $after: String) { node(id: $id) { ... on Offer { redemptions(first: 5, after: $after) { edges { node { code user { handle } } } } } } }`,
      { id: job.id, after: firstPage.pageInfo.endCursor },
    );
    expect(next.data!.node.redemptions.edges.map((e) => e.node)).toEqual([
      { code: shared.code, user: { handle: 'offersharing' } },
    ]);
    const notManager = await as<{ node: { redemptions: unknown } }>(private_, listQuery, { id: job.id });
    expect(notManager.data!.node.redemptions).toBeNull();

    const mark = (session: Session, code: string) =>
      as<{ markRedemptionUsed: RedemptionView }>(
        session,
        `mutation($code: String!) { markRedemptionUsed(code: $code) { code usedAt } }`,
        {
          code,
        },
      );
    expect(errorOf(await mark(private_, kept.code))!.extensions.code).toBe('FORBIDDEN');
    const used = await mark(owner, kept.code.toLowerCase());
    expect(used.data!.markRedemptionUsed).toMatchObject({ code: kept.code, usedAt: expect.any(String) });
    expect(errorOf(await mark(owner, kept.code))!.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'ALREADY_USED',
    });
    expect(errorOf(await mark(owner, 'ZZZZ-ZZZZ-ZZ'))!.extensions.code).toBe('NOT_FOUND');
    const events = await sql<{ action: string }>(
      `SELECT e.action FROM events e JOIN offers o ON o.id::text = e.target_id OR o.id::text = e.meta->>'offerId'
        WHERE o.title = 'Summer job' ORDER BY e.id`,
    );
    expect(events.map((e) => e.action)).toEqual([
      'offer.created',
      'offer.redeemed',
      'offer.redeemed',
      'redemption.used',
    ]);
  });

  it('notifies OFFER_UNLOCKED once when a title first reaches an offer’s minTitle', async () => {
    const climber = await newUser('offerclimber');
    await giveShares(climber, 10);
    await createOffer(owner, { minTitle: 'ASSOCIATE', title: 'Associate tote' });
    await app.app.get(JobRunner).drainConsumers();
    await giveShares(climber, 60);
    await app.app.get(JobRunner).drainConsumers();
    await giveShares(climber, -60);
    await giveShares(climber, 60);
    await app.app.get(JobRunner).drainConsumers();
    const notices = await sql<{ message: string }>(
      `SELECT message FROM notifications WHERE user_id = $1 AND kind = 'OFFER_UNLOCKED'`,
      [userIdOf(climber)],
    );
    expect(notices.map((n) => n.message)).toEqual(['As ASSOCIATE at Offer Foods you can now redeem "Associate tote".']);
  });

  it('notifies OFFER_UNLOCKED for a CEO offer when the seat is won', async () => {
    const challenger = await newUser('offerchallenger');
    await createOffer(owner, { minTitle: 'CEO', title: 'Lunch with the founders' });
    await giveShares(challenger, 5000);
    await app.app.get(JobRunner).drainConsumers();
    const [seated] = await sql<{ title: string }>(`SELECT title FROM employments WHERE user_id = $1`, [
      userIdOf(challenger),
    ]);
    expect(seated).toEqual({ title: 'CEO' });
    const notices = await sql<{ message: string }>(
      `SELECT message FROM notifications WHERE user_id = $1 AND kind = 'OFFER_UNLOCKED'`,
      [userIdOf(challenger)],
    );
    expect(notices.map((n) => n.message)).toContain(
      'As CEO at Offer Foods you can now redeem "Lunch with the founders".',
    );
  });
});
