import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inTransaction } from '@boardroom/core';
import { shareLedgerOn } from '../../../test/support/game-ledger.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import type { ShareChange } from './ledger/ledger.types.js';
import { GAME_RULES, decideCeo, salaryFor, titleForShares, weeklyPay } from './rules.js';

/**
 * The game under concurrency. On PGlite (one connection, transactions in turn) these prove the rules;
 * on the PostgreSQL server of `.ci/run` (TEST_DATABASE_URL) they prove the locks, with real races.
 */
describe('the game under concurrency', () => {
  let database: TestDatabase;
  let game: ReturnType<typeof shareLedgerOn>;
  const at = new Date('2026-12-02T10:00:00Z');

  const sql = <T = Record<string, unknown>>(query: string, parameters: unknown[] = []) =>
    database.dataSource.query<T[]>(query, parameters);

  const newUser = async () => {
    const handle = `u${randomUUID().slice(0, 8)}`;
    const [row] = await sql<{ id: string }>(
      `INSERT INTO users (email, handle, display_name, password_hash) VALUES ($1, $2, $2, 'x') RETURNING id`,
      [`${handle}@example.com`, handle],
    );
    return row!.id;
  };
  const newBrand = async () => {
    const slug = `b${randomUUID().slice(0, 8)}`;
    const [row] = await sql<{ id: string }>(
      `INSERT INTO brands (slug, name, folded_name) VALUES ($1, $1, $1) RETURNING id`,
      [slug],
    );
    return row!.id;
  };
  const bonus = (userId: string, brandId: string, shares: number, when = at): ShareChange => ({
    userId,
    brandId,
    shares,
    reason: 'AWARD_BONUS',
    sourceType: 'award',
    sourceId: randomUUID(),
    idempotencyKey: `award:TEST_${randomUUID()}:${userId}:${brandId}`,
    at: when,
  });
  const apply = (change: ShareChange) =>
    inTransaction(database.dataSource, (manager) => game.ledger.apply(manager, change));
  const employmentOf = async (userId: string, brandId: string) =>
    (await game.repository.findEmployment(database.dataSource.manager, userId, brandId))!;
  const ceosOf = (brandId: string) =>
    sql<{ user_id: string }>(`SELECT user_id FROM employments WHERE brand_id = $1 AND title = 'CEO'`, [brandId]);

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 20 });
    game = shareLedgerOn(database.dataSource);
  });
  afterAll(() => database.close());
  afterEach(async () => expect(await game.ledgerDifferences()).toEqual([]));

  const concurrency = () => (database.server ? 200 : 40);

  it('200 concurrent publishes and comments, each delivered twice, land once each and the caps hold exactly', async () => {
    const [author, other, brand] = [await newUser(), await newUser(), await newBrand()];
    const photos = Array.from({ length: concurrency() }, () => randomUUID());
    const comments = Array.from({ length: concurrency() }, (_, i) => ({
      id: randomUUID(),
      authorId: author,
      body: `a thoughtful comment number ${i}`,
      previousBodies: [],
    }));
    const publish = (id: string) =>
      inTransaction(database.dataSource, (manager) =>
        game.awards.published(manager, { id, ownerId: author, brandId: brand, duplicateOf: null }, at),
      );
    const comment = (c: (typeof comments)[number]) =>
      inTransaction(database.dataSource, (manager) =>
        game.awards.commentPosted(manager, c, { ownerId: other, brandId: brand }, at),
      );
    const results = await Promise.all([
      ...[...photos, ...photos].map((id) => publish(id).then((earning) => ({ id, earning }))),
      ...[...comments, ...comments].map((c) => comment(c).then(() => null)),
    ]);

    // Each photo's two deliveries agree, and exactly the cap of them earned.
    const byPhoto = new Map<string, number[]>();
    for (const result of results) {
      if (result) byPhoto.set(result.id, [...(byPhoto.get(result.id) ?? []), result.earning.sharesAwarded]);
    }
    const earning = [...byPhoto.values()].filter((awarded) => awarded[0] === GAME_RULES.shares.photoPublished);
    expect(earning).toHaveLength(GAME_RULES.caps.earningPhotosPerUserBrandDay);
    for (const awarded of byPhoto.values()) expect(awarded[0]).toBe(awarded[1]);

    const [counts] = await sql<{ photos: number; comments: number; keys: number; entries: number }>(
      `SELECT count(*) FILTER (WHERE reason = 'PHOTO_PUBLISHED')::int AS photos,
              count(*) FILTER (WHERE reason = 'COMMENT_POSTED')::int AS comments,
              count(DISTINCT idempotency_key)::int AS keys, count(*)::int AS entries
         FROM share_ledger WHERE user_id = $1`,
      [author],
    );
    expect(counts).toEqual({
      photos: GAME_RULES.caps.earningPhotosPerUserBrandDay,
      comments: GAME_RULES.caps.earningCommentsPerUserDay,
      keys: counts!.entries,
      entries: GAME_RULES.caps.earningPhotosPerUserBrandDay + GAME_RULES.caps.earningCommentsPerUserDay,
    });
    const shares =
      GAME_RULES.caps.earningPhotosPerUserBrandDay * GAME_RULES.shares.photoPublished +
      GAME_RULES.caps.earningCommentsPerUserDay * GAME_RULES.shares.commentPosted;
    expect(await employmentOf(author, brand)).toMatchObject({
      shares,
      recentShares: shares,
      title: titleForShares(shares),
      salary: salaryFor(titleForShares(shares), shares),
    });
  });

  it('two users racing for a vacant seat end with exactly one CEO: the one with more recent shares', async () => {
    const brand = await newBrand();
    const [ann, ben] = [await newUser(), await newUser()];
    // Both eligible at once; ben ends with more recent shares whatever the order.
    await Promise.all([
      ...Array.from({ length: 20 }, () => apply(bonus(ann, brand, 55))),
      ...Array.from({ length: 20 }, () => apply(bonus(ben, brand, 56))),
    ]);
    expect(await ceosOf(brand)).toEqual([{ user_id: ben }]);
    expect(await employmentOf(ben, brand)).toMatchObject({ title: 'CEO', salary: salaryFor('CEO', 1120) });
    expect(await employmentOf(ann, brand)).toMatchObject({ title: 'VICE_PRESIDENT', shares: 1100 });
  });

  // One connection on PGlite: the ban's open transaction would block the award for good.
  (process.env.TEST_DATABASE_URL ? it : it.skip)(
    'a ban committing while a seat decision picks the banned user never leaves them seated',
    async () => {
      const brand = await newBrand();
      const [ann, ben] = [await newUser(), await newUser()];
      await apply(bonus(ben, brand, 1000));
      expect(await ceosOf(brand)).toEqual([{ user_id: ben }]);
      const banning = database.dataSource.createQueryRunner();
      await banning.connect();
      await banning.startTransaction();
      try {
        await banning.query(`UPDATE users SET banned_at = now() WHERE id = $1`, [ann]);
        // Ann overtakes Ben while her ban is under way: the decision reads her as eligible.
        const overtaking = apply(bonus(ann, brand, 1100));
        await new Promise((resolve) => setTimeout(resolve, 300));
        await game.seat.decideSeatsHeldBy(banning.manager, ann, at);
        await banning.commitTransaction();
        await overtaking;
      } finally {
        await banning.release();
      }
      expect(await ceosOf(brand)).toEqual([{ user_id: ben }]);
    },
  );

  it('a ban racing awards that create and change the user’s employments leaves every one of them off the boards', async () => {
    const brands = await Promise.all(Array.from({ length: 12 }, () => newBrand()));
    const ann = await newUser();
    for (const brand of brands.slice(0, 4)) await apply(bonus(ann, brand, 10));
    const awards = brands.flatMap((brand) => Array.from({ length: 3 }, () => apply(bonus(ann, brand, 5))));
    const ban = inTransaction(database.dataSource, (manager) =>
      manager.query(`UPDATE users SET banned_at = now() WHERE id = $1`, [ann]),
    );
    await Promise.all([...awards, ban]);
    // The share counts' agreement with the unbanned employments is checked after each test.
    expect(await sql(`SELECT brand_id FROM employments WHERE user_id = $1 AND NOT user_banned`, [ann])).toEqual([]);
    expect(await sql(`SELECT count(*)::int AS n FROM employments WHERE user_id = $1`, [ann])).toEqual([{ n: 12 }]);
  });

  it('many challengers racing with reversals: the seat is always the rules’ decision over the final standings', async () => {
    const brand = await newBrand();
    const users = await Promise.all(Array.from({ length: 8 }, () => newUser()));
    const changes = users.flatMap((user, i) =>
      Array.from({ length: 12 }, (_, j) => bonus(user, brand, 80 + ((i * 7 + j * 3) % 13))),
    );
    await Promise.all(changes.map((change) => apply(change)));
    // Reverse a random-ish half of one user's bonuses, racing more bonuses of the others.
    const victim = users[0]!;
    const victimEntries = await sql<{ idempotency_key: string }>(
      `SELECT idempotency_key FROM share_ledger WHERE user_id = $1 AND brand_id = $2 ORDER BY id LIMIT 6`,
      [victim, brand],
    );
    await Promise.all([
      ...victimEntries.map(({ idempotency_key }) =>
        inTransaction(database.dataSource, (manager) => game.ledger.reverse(manager, idempotency_key, at)),
      ),
      ...users.slice(1).map((user) => apply(bonus(user, brand, 5))),
    ]);

    const standings = await sql<{
      user_id: string;
      shares: number;
      recent_shares: number;
      recent_reached_at: Date;
      title: string;
    }>(`SELECT user_id, shares, recent_shares, recent_reached_at, title FROM employments WHERE brand_id = $1`, [brand]);
    const ceo = standings.find((s) => s.title === 'CEO')?.user_id ?? null;
    expect(standings.filter((s) => s.title === 'CEO').length).toBeLessThanOrEqual(1);
    // The seat as decideCeo would give it, from these standings with the seated CEO as incumbent.
    const decided = decideCeo(
      standings.map((s) => ({
        userId: s.user_id,
        shares: s.shares,
        recentShares: s.recent_shares,
        reachedRecentAt: s.recent_reached_at,
      })),
      ceo,
    );
    expect(ceo).toBe(decided);
    expect(ceo).not.toBeNull();
  });

  it('the same award delivered twice, concurrently or after the cap filled, awards once', async () => {
    const [owner, brand] = [await newUser(), await newBrand()];
    const id = randomUUID();
    const publish = (photoId: string) =>
      inTransaction(database.dataSource, (manager) =>
        game.awards.published(manager, { id: photoId, ownerId: owner, brandId: brand, duplicateOf: null }, at),
      );
    const [first, second] = await Promise.all([publish(id), publish(id)]);
    expect([first.sharesAwarded, second.sharesAwarded]).toEqual([10, 10]);
    // Fill the day's cap, then deliver the first photo again: it still answers what it earned.
    for (let i = 1; i < GAME_RULES.caps.earningPhotosPerUserBrandDay; i++) await publish(randomUUID());
    expect(await publish(id)).toEqual({ sharesAwarded: 10, sharesWithheld: null });
    expect((await employmentOf(owner, brand)).shares).toBe(10 * GAME_RULES.caps.earningPhotosPerUserBrandDay);
  });

  (process.env.TEST_DATABASE_URL ? it : it.skip)(
    'a connection killed in the middle of an award transaction leaves nothing; the retry with the same key has one effect',
    async () => {
      const [owner, brand] = [await newUser(), await newBrand()];
      const photoId = randomUUID();
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      try {
        // The award runs, then its connection dies before the commit.
        const killed = database.dataSource.transaction(async (manager) => {
          await game.awards.published(manager, { id: photoId, ownerId: owner, brandId: brand, duplicateOf: null }, at);
          const [{ pid }] = await manager.query<[{ pid: number }]>(`SELECT pg_backend_pid() AS pid`);
          await admin.query(`SELECT pg_terminate_backend($1)`, [pid]);
          await manager.query(`SELECT 1`);
        });
        await expect(killed).rejects.toThrow();
        expect(await sql(`SELECT 1 FROM share_ledger WHERE idempotency_key = $1`, [`photo:${photoId}`])).toEqual([]);

        // The job's retry: same key, one entry, and a second retry changes nothing.
        const retry = () =>
          inTransaction(database.dataSource, (manager) =>
            game.awards.published(manager, { id: photoId, ownerId: owner, brandId: brand, duplicateOf: null }, at),
          );
        await retry();
        await retry();
        expect(await sql(`SELECT shares FROM share_ledger WHERE idempotency_key = $1`, [`photo:${photoId}`])).toEqual([
          { shares: 10 },
        ]);
        expect((await employmentOf(owner, brand)).shares).toBe(10);
      } finally {
        await admin.end();
      }
    },
  );

  it('payroll run twice for a week, and by two workers at once, pays each active employment once', async () => {
    const brand = await newBrand();
    const [active, idle] = [await newUser(), await newUser()];
    const monday = new Date('2026-12-07T00:00:00Z');
    await apply(bonus(active, brand, 120, new Date('2026-12-01T12:00:00Z')));
    // Idle: the last positive entry is older than the 30 days before the run.
    await apply(bonus(idle, brand, 80, new Date('2026-10-01T12:00:00Z')));

    const runs = await Promise.all([game.payroll.runWeek(monday), game.payroll.runWeek(monday)]);
    const again = await game.payroll.runWeek(monday);
    // Other tests' employments are active too: between them the two runs paid each one once.
    const [{ paid }] = (await sql<{ paid: number }>(
      `SELECT count(*)::int AS paid FROM wallet_ledger WHERE idempotency_key LIKE 'payroll:%:2026-W49'`,
    )) as [{ paid: number }];
    expect(runs[0].employmentsPaid + runs[1].employmentsPaid).toBe(paid);
    expect(again).toMatchObject({ isoWeek: '2026-W49', employmentsPaid: 0, amountPaid: 0 });

    const pay = weeklyPay(salaryFor(titleForShares(120), 120));
    expect(
      await sql(`SELECT amount, reason, idempotency_key FROM wallet_ledger WHERE user_id = ANY($1::uuid[])`, [
        [active, idle],
      ]),
    ).toEqual([
      { amount: pay, reason: 'PAYROLL', idempotency_key: `payroll:${(await employmentOf(active, brand)).id}:2026-W49` },
    ]);
    expect(await sql(`SELECT balance FROM wallets WHERE user_id = $1`, [active])).toEqual([{ balance: pay }]);
  });

  it('a missed Monday is paid on the next run, once', async () => {
    const brand = await newBrand();
    const worker = await newUser();
    await apply(bonus(worker, brand, 60, new Date('2026-12-08T12:00:00Z')));
    await game.payroll.runWeek(new Date('2026-12-07T00:00:00Z'));
    // The run of 2026-12-14 never happened; the one of 2026-12-21 pays both weeks.
    const runs = await game.payroll.runDue(new Date('2026-12-21T00:00:00Z'));
    expect(runs.map((run) => run.isoWeek)).toEqual(['2026-W50', '2026-W51']);
    expect(await game.payroll.runDue(new Date('2026-12-21T00:00:00Z'))).toEqual([]);
    const [{ count }] = (await sql<{ count: number }>(
      `SELECT count(*)::int AS count FROM wallet_ledger WHERE user_id = $1`,
      [worker],
    )) as [{ count: number }];
    expect(count).toBe(2);
  });

  it('the daily refresh takes the seat from a CEO whose recent shares aged out, and tells both', async () => {
    const brand = await newBrand();
    const [old, newer] = [await newUser(), await newUser()];
    await apply(bonus(old, brand, 1500, new Date('2026-09-01T10:00:00Z')));
    expect(await ceosOf(brand)).toEqual([{ user_id: old }]);
    await apply(bonus(newer, brand, 1000, new Date('2026-10-15T10:00:00Z')));
    // Still old's: 1,500 recent against 1,000.
    expect(await ceosOf(brand)).toEqual([{ user_id: old }]);

    // 2026-11-15: old's shares are over 60 days old; newer's are not.
    const refreshed = await game.seatRefresh.refresh(new Date('2026-11-15T00:00:00Z'));
    expect(refreshed.brands).toBeGreaterThanOrEqual(1);
    expect(await ceosOf(brand)).toEqual([{ user_id: newer }]);
    expect(await employmentOf(old, brand)).toMatchObject({ recentShares: 0, title: 'VICE_PRESIDENT' });
    const notified = await sql<{ user_id: string; kind: string }>(
      `SELECT user_id, kind FROM notifications WHERE brand_id = $1 AND kind IN ('CEO_WON', 'CEO_LOST') ORDER BY created_at, kind`,
      [brand],
    );
    expect(notified.filter((n) => n.kind === 'CEO_LOST')).toEqual([{ user_id: old, kind: 'CEO_LOST' }]);
    expect(
      notified
        .filter((n) => n.kind === 'CEO_WON')
        .map((n) => n.user_id)
        .sort(),
    ).toEqual([old, newer].sort());
    // A second refresh the same day finds nothing to do.
    expect(await game.seatRefresh.refresh(new Date('2026-11-15T00:00:00Z'))).toEqual({ employments: 0, brands: 0 });
  });
});
