import { DataSource } from 'typeorm';
import { DomainError, LedgerChecks, inTransaction } from '@boardroom/core';
import { Role, type Viewer } from '@boardroom/accounts';
import { ShareLedger } from '@boardroom/game';
import { OffersService, type OfferRecord } from '@boardroom/rewards';
import { startTestApp, type TestApp } from './support/test-app.js';

const REDEEMERS = 500;
const STOCK = 10;
const PRICE = 5;

/** redeemOffer under load, through the service the API calls: never oversold, never overdrawn, once per user. */
describe('redemptions under concurrency (e2e)', () => {
  let app: TestApp;
  let brandId: string;
  let ownerId: string;
  let userIds: string[];
  let offers: OffersService;

  const sql = <T = Record<string, unknown>>(query: string, parameters: unknown[] = []) =>
    app.app.get(DataSource).query<T[]>(query, parameters);
  const viewer = (id: string): Viewer => ({ id, roles: [Role.CONSUMER], sessionId: 'concurrency' });
  const newOffer = (manager: Viewer, stock: number) =>
    offers.create(
      'rush-foods',
      {
        kind: 'GIFT',
        title: 'Rush jar',
        description: 'First come, first served.',
        minTitle: 'INTERN',
        stock,
        price: PRICE,
      },
      manager,
    );
  const outcomes = async (offer: OfferRecord, redeemers: string[]) => {
    const settled = await Promise.allSettled(redeemers.map((id) => offers.redeem(offer.id, false, viewer(id))));
    const refusals = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
    for (const refusal of refusals) expect(refusal).toBeInstanceOf(DomainError);
    return {
      succeeded: settled.filter((s) => s.status === 'fulfilled').length,
      reasons: new Set(refusals.map((r) => (r as DomainError).details.reason)),
    };
  };

  beforeAll(async () => {
    app = await startTestApp({ EVENT_CONSUMERS_PAUSED: 'true' });
    offers = app.app.get(OffersService);
    const [owner] = await sql<{ id: string }>(
      `INSERT INTO users (email, handle, display_name, password_hash) VALUES ('rush@example.com', 'rush_owner', 'Rush', 'x')
       RETURNING id`,
    );
    ownerId = owner!.id;
    brandId = (
      await sql<{ id: string }>(
        `INSERT INTO brands (slug, name, folded_name, created_by) VALUES ('rush-foods', 'Rush Foods', 'rush foods', $1) RETURNING id`,
        [ownerId],
      )
    )[0]!.id;
    await sql(`INSERT INTO brand_managers (brand_id, user_id) VALUES ($1, $2)`, [brandId, owner!.id]);
    userIds = (
      await sql<{ id: string }>(
        `INSERT INTO users (email, handle, display_name, password_hash)
         SELECT 'rush' || n || '@example.com', 'rush_' || n, 'Rusher ' || n, 'x' FROM generate_series(1, $1) n
         RETURNING id`,
        [REDEEMERS],
      )
    ).map((row) => row.id);
    // Employees through the game's ledger (the projections stay consistent); wallets as payroll pays them.
    const ledger = app.app.get(ShareLedger);
    for (let i = 0; i < userIds.length; i += 50) {
      await Promise.all(
        userIds.slice(i, i + 50).map((userId) =>
          inTransaction(app.app.get(DataSource), (manager) =>
            ledger.apply(manager, {
              userId,
              brandId,
              shares: 1,
              reason: 'AWARD_BONUS',
              sourceType: 'award',
              sourceId: `rush:${userId}`,
              idempotencyKey: `rush:${userId}`,
              at: new Date(),
            }),
          ),
        ),
      );
    }
    await sql(
      `INSERT INTO wallet_ledger (user_id, amount, requested_amount, reason, source_type, source_id, idempotency_key, created_at)
       SELECT id, $2, $2, 'PAYROLL', 'test', id::text, 'rush-pay:' || id, now() FROM unnest($1::uuid[]) id`,
      [userIds, PRICE * 2],
    );
    await sql(`INSERT INTO wallets (user_id, balance) SELECT id, $2 FROM unnest($1::uuid[]) id`, [userIds, PRICE * 2]);
  }, 300_000);
  afterAll(async () => {
    await app?.close();
  });
  afterEach(async () => {
    const manager = app.app.get(DataSource).manager;
    for (const check of app.app.get(LedgerChecks).all()) expect(await check.differences(manager)).toEqual([]);
  });

  it(`sells exactly ${STOCK} of ${STOCK} to ${REDEEMERS} concurrent redeemers, debiting ${STOCK} wallets`, async () => {
    const offer = await newOffer(viewer(ownerId), STOCK);
    const { succeeded, reasons } = await outcomes(offer, userIds);
    expect(succeeded).toBe(STOCK);
    expect(reasons).toEqual(new Set(['SOLD_OUT']));
    const [state] = await sql<{ remaining: number; redemptions: number; debits: number; codes: number }>(
      `SELECT o.remaining,
              (SELECT count(*)::int FROM redemptions r WHERE r.offer_id = o.id) AS redemptions,
              (SELECT count(DISTINCT r.code)::int FROM redemptions r WHERE r.offer_id = o.id) AS codes,
              (SELECT count(*)::int FROM wallet_ledger l JOIN redemptions r ON l.idempotency_key = 'redemption:' || r.id
                WHERE r.offer_id = o.id AND l.amount = -$2::int) AS debits
         FROM offers o WHERE o.id = $1`,
      [offer.id, PRICE],
    );
    expect(state).toEqual({ remaining: 0, redemptions: STOCK, debits: STOCK, codes: STOCK });
  }, 300_000);

  it('redeems once for one user redeeming five times at once', async () => {
    const offer = await newOffer(viewer(ownerId), STOCK);
    const { succeeded, reasons } = await outcomes(
      offer,
      Array.from({ length: 5 }, () => userIds[0]!),
    );
    expect(succeeded).toBe(1);
    expect(reasons).toEqual(new Set(['ALREADY_REDEEMED']));
    const [state] = await sql<{ remaining: number; debits: number }>(
      `SELECT o.remaining, (SELECT count(*)::int FROM wallet_ledger l JOIN redemptions r ON l.idempotency_key = 'redemption:' || r.id
                             WHERE r.offer_id = o.id) AS debits
         FROM offers o WHERE o.id = $1`,
      [offer.id],
    );
    expect(state).toEqual({ remaining: STOCK - 1, debits: 1 });
  }, 120_000);
});
