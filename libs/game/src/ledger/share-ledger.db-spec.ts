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
});
