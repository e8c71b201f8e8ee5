import { inTransaction } from '@boardroom/core';
import { shareLedgerOn } from '../../../../test/support/game-ledger.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import type { ShareChange } from './ledger.types.js';
import type { ShareLedgerRepository } from './share-ledger.repository.js';
import type { ShareLedger } from './share-ledger.service.js';

describe('ShareLedger', () => {
  let database: TestDatabase;
  let ledger: ShareLedger;
  let repository: ShareLedgerRepository;
  let userId: string;
  let brandId: string;

  const change = (key: string, shares: number, extra: Partial<ShareChange> = {}): ShareChange => ({
    userId,
    brandId,
    shares,
    reason: 'PHOTO_PUBLISHED',
    sourceType: 'photo',
    sourceId: key,
    idempotencyKey: `photo:${key}`,
    at: new Date('2026-12-02T10:00:00Z'),
    ...extra,
  });
  const apply = (c: ShareChange) => inTransaction(database.dataSource, (manager) => ledger.apply(manager, c));
  const balance = async () =>
    (await repository.findEmployment(database.dataSource.manager, userId, brandId))?.shares ?? null;

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 10 });
    ({ ledger, repository } = shareLedgerOn(database.dataSource));
    [{ id: userId }] = await database.dataSource.query(
      `INSERT INTO users (email, handle, display_name, password_hash) VALUES ('a@example.com', 'ann', 'Ann', 'x') RETURNING id`,
    );
    [{ id: brandId }] = await database.dataSource.query(
      `INSERT INTO brands (slug, name, folded_name) VALUES ('acme', 'Acme', 'acme') RETURNING id`,
    );
  });
  afterAll(() => database.close());

  it('applies a key once, however often and however concurrently it is delivered', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => apply(change('same', 10))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.entry.id)).size).toBe(1);
    expect(await balance()).toBe(10);
  });

  it('lands every one of many concurrent distinct changes exactly once', async () => {
    const keys = Array.from({ length: database.server ? 200 : 40 }, (_, i) => `many-${i}`);
    await Promise.all(keys.map((key) => apply(change(key, 1))));
    expect(await balance()).toBe(10 + keys.length);
    const [{ sum }] = await database.dataSource.query(
      `SELECT sum(shares)::int AS sum FROM share_ledger WHERE user_id = $1 AND brand_id = $2`,
      [userId, brandId],
    );
    expect(sum).toBe(10 + keys.length);
  });

  it('never takes a balance below 0: a larger reversal records what it asked and what it took', async () => {
    const before = (await balance())!;
    const reversed = (await ledger.findEntryByKey(database.dataSource.manager, 'photo:same'))!;
    const { entry } = await apply(
      change('reversal', -(before + 25), {
        reason: 'REVERSAL',
        sourceType: 'ledger',
        sourceId: reversed.id,
        reverses: reversed.id,
        idempotencyKey: `reversal:${reversed.id}`,
      }),
    );
    expect(entry).toMatchObject({ shares: -before, requestedShares: -(before + 25) });
    expect(await balance()).toBe(0);
  });

  describe('restore', () => {
    const at = new Date('2026-12-02T11:00:00Z');
    const inTx = <T>(work: Parameters<typeof inTransaction<T>>[1]) => inTransaction(database.dataSource, work);
    const entries = async (sourceKey: string) => {
      const first = (await ledger.findEntryByKey(database.dataSource.manager, sourceKey))!;
      return database.dataSource.query<{ id: string; shares: number; reason: string; key: string }[]>(
        `WITH RECURSIVE chain AS (
           SELECT * FROM share_ledger WHERE id = $1
           UNION ALL
           SELECT l.* FROM share_ledger l JOIN chain c ON l.reverses = c.id OR l.restores = c.id)
         SELECT id::text, shares, reason, idempotency_key AS key FROM chain ORDER BY chain.id`,
        [first.id],
      );
    };

    it('gives back what the reversal took, once, under restore:<reversalId>', async () => {
      await apply(change('restored', 10));
      const reversal = (await inTx((manager) => ledger.reverse(manager, 'photo:restored', at)))!;
      expect(reversal).toMatchObject({ shares: -10, reason: 'REVERSAL' });
      const restorations = await Promise.all(
        Array.from({ length: 5 }, () => inTx((manager) => ledger.restore(manager, 'photo:restored', at))),
      );
      expect(new Set(restorations.map((entry) => entry!.id)).size).toBe(1);
      expect(restorations[0]).toMatchObject({
        shares: 10,
        reason: 'RESTORED',
        idempotencyKey: `restore:${reversal.id}`,
        restores: reversal.id,
      });
      // Restoring what stands unreversed does nothing.
      expect(await inTx((manager) => ledger.restore(manager, 'photo:never-earned', at))).toBeNull();
    });

    it('restores only what a reversal cut short by the balance actually took', async () => {
      const before = (await balance())!;
      await apply(change('big', 30));
      // Other reversals leave less than the photo's 30 in the balance.
      const drain = await apply(
        change('drain', -(before + 20), { reason: 'AWARD_BONUS', sourceType: 'award', idempotencyKey: 'award:drain' }),
      );
      expect(drain.employment.shares).toBe(10);
      const reversal = (await inTx((manager) => ledger.reverse(manager, 'photo:big', at)))!;
      expect(reversal).toMatchObject({ shares: -10, requestedShares: -30 });
      const restoration = (await inTx((manager) => ledger.restore(manager, 'photo:big', at)))!;
      expect(restoration.shares).toBe(10);
      expect(await balance()).toBe(10);
    });

    it('chains removals and restorations with unique keys, each reversing what stands', async () => {
      await apply(change('chain', 10));
      const start = (await balance())!;
      for (let round = 0; round < 2; round++) {
        await inTx((manager) => ledger.reverse(manager, 'photo:chain', at));
        // A repeated removal finds the cause reversed already: nothing more is taken.
        await inTx((manager) => ledger.reverse(manager, 'photo:chain', at));
        expect(await balance()).toBe(start - 10);
        await inTx((manager) => ledger.restore(manager, 'photo:chain', at));
        expect(await balance()).toBe(start);
      }
      const chain = await entries('photo:chain');
      expect(chain.map((entry) => [entry.shares, entry.reason])).toEqual([
        [10, 'PHOTO_PUBLISHED'],
        [-10, 'REVERSAL'],
        [10, 'RESTORED'],
        [-10, 'REVERSAL'],
        [10, 'RESTORED'],
      ]);
      expect(chain.map((entry) => entry.key)).toEqual([
        'photo:chain',
        `reversal:${chain[0]!.id}`,
        `restore:${chain[1]!.id}`,
        `reversal:${chain[2]!.id}`,
        `restore:${chain[3]!.id}`,
      ]);
      // A deletion after a restoration takes back the restoration's shares.
      await inTx((manager) => ledger.reverse(manager, 'photo:chain', at));
      expect(await balance()).toBe(start - 10);
    });
  });
});
