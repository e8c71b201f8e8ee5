import type { EntityManager } from 'typeorm';

/**
 * The rows of any statement. TypeORM's plain `query()` returns the rows of a
 * SELECT or INSERT, but `[rows, rowCount]` for an UPDATE or DELETE, so a
 * destructured `UPDATE … RETURNING` silently reads the wrong thing. The
 * structured result of the query runner always has them in `records`.
 */
export async function queryRows<T>(manager: EntityManager, sql: string, parameters: unknown[] = []): Promise<T[]> {
  // Inside a transaction the manager has its runner; outside, borrow one from the pool.
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const result = (await runner.query(sql, parameters, true)) as { records: T[] };
    return result.records;
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}
