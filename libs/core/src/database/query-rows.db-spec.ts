import { QueryFailedError } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { preparedRows } from './query-rows.js';
import { inTransaction, sqlState } from './transaction.js';

describe('preparedRows', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    await database.dataSource.query(`CREATE TABLE prepared_items (id int PRIMARY KEY, name text NOT NULL)`);
  });
  afterAll(() => database.close());

  const insert = (id: number) =>
    inTransaction(database.dataSource, (manager) =>
      preparedRows<{ id: number }>(
        manager,
        'prepared_items_insert',
        `INSERT INTO prepared_items (id, name) VALUES ($1, $2) RETURNING id`,
        [id, `item ${id}`],
      ),
    );

  it('runs one statement on many connections at once, again and again (PGlite: one session for all)', async () => {
    const rows = await Promise.all(Array.from({ length: 12 }, (_, i) => insert(i + 1)));
    expect(rows.map(([row]) => row!.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const outside = await preparedRows<{ count: number }>(
      database.dataSource.manager,
      'prepared_items_count',
      `SELECT count(*)::int AS count FROM prepared_items WHERE id > $1`,
      [0],
    );
    expect(outside).toEqual([{ count: 12 }]);
  });

  it("fails as TypeORM's own queries do, with the SQLSTATE", async () => {
    const failure = await insert(1).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(QueryFailedError);
    expect(sqlState(failure)).toBe('23505');
    // The connection and its prepared statement still serve the next call.
    await expect(insert(100)).resolves.toEqual([{ id: 100 }]);
  });
});
