import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { afterCommit, inTransaction, isRetryable } from './transaction.js';

describe('inTransaction', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    await database.dataSource.query(`CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)`);
    await database.dataSource.query(`INSERT INTO counters VALUES (1, 0), (2, 0)`);
  });
  afterAll(() => database.close());

  it('runs the work again after a serialization failure, and its effects land once', async () => {
    let attempts = 0;
    const result = await inTransaction(database.dataSource, async (manager) => {
      attempts++;
      await manager.query(`UPDATE counters SET n = n + 1 WHERE id = 1`);
      if (attempts < 3) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
      return 'done';
    });
    expect(result).toBe('done');
    expect(attempts).toBe(3);
    const [row] = await database.dataSource.query(`SELECT n FROM counters WHERE id = 1`);
    expect(row.n).toBe(1);
  });

  it('gives up after a bounded number of attempts, and never retries other errors', async () => {
    let attempts = 0;
    const deadlock = () => {
      attempts++;
      throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
    };
    await expect(inTransaction(database.dataSource, async () => deadlock(), { attempts: 4 })).rejects.toThrow(
      'deadlock',
    );
    expect(attempts).toBe(4);

    attempts = 0;
    await expect(
      inTransaction(database.dataSource, async () => {
        attempts++;
        throw Object.assign(new Error('duplicate key'), { code: '23505' });
      }),
    ).rejects.toThrow('duplicate key');
    expect(attempts).toBe(1);
  });

  it('runs after-commit callbacks once the work committed, never for a rolled-back or retried attempt', async () => {
    const ran: string[] = [];
    let attempts = 0;
    await inTransaction(database.dataSource, async (manager) => {
      attempts++;
      afterCommit(manager, () => {
        // The data is visible to others by then.
        ran.push(`attempt ${attempts}`);
      });
      await manager.query(`UPDATE counters SET n = n + 1 WHERE id = 2`);
      if (attempts === 1) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
      expect(ran).toEqual([]);
    });
    expect(ran).toEqual(['attempt 2']);

    await expect(
      inTransaction(database.dataSource, async (manager) => {
        afterCommit(manager, () => ran.push('rolled back'));
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(ran).toEqual(['attempt 2']);
    // A failing callback does not fail the committed transaction.
    await expect(
      inTransaction(database.dataSource, async (manager) => {
        afterCommit(manager, () => {
          throw new Error('callback failed');
        });
        return 'committed';
      }),
    ).resolves.toBe('committed');
    expect(() => afterCommit(database.dataSource.manager, () => undefined)).toThrow(/open inTransaction/);
  });

  // A real deadlock needs two open transactions at once: a server only.
  const onServer = process.env.TEST_DATABASE_URL ? it : it.skip;
  onServer('recovers from a real deadlock between two transactions', async () => {
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`UPDATE counters SET n = n + 1 WHERE id = 2`);
      let attempts = 0;
      const ours = inTransaction(database.dataSource, async (manager) => {
        attempts++;
        await manager.query(`UPDATE counters SET n = n + 1 WHERE id = 1`);
        await manager.query(`UPDATE counters SET n = n + 1 WHERE id = 2`);
      });
      // Let ours take row 1 and wait for row 2, then close the cycle.
      await new Promise((r) => setTimeout(r, 200));
      const theirs = other.query(`UPDATE counters SET n = n + 1 WHERE id = 1`).then(
        () => other.query('COMMIT'),
        async (error: unknown) => {
          await other.query('ROLLBACK');
          throw error;
        },
      );
      const [ourResult, theirResult] = await Promise.allSettled([ours, theirs]);
      // PostgreSQL breaks the cycle by failing one side; ours retries if it was the one.
      expect(ourResult.status).toBe('fulfilled');
      if (theirResult.status === 'rejected') expect(isRetryable(theirResult.reason)).toBe(true);
      else expect(attempts).toBe(2);
    } finally {
      await other.end();
    }
  });
});
