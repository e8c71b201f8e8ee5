import { randomBytes } from 'node:crypto';
import { QueryFailedError, type EntityManager } from 'typeorm';

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

/**
 * A name per `pg` client: PGlite runs every connection, of every process that shares it (the test
 * workers), in one session, where prepared statements' names must not collide.
 */
const clientNames = new WeakMap<object, string>();
const processName = randomBytes(4).toString('hex');
let nextClientSerial = 0;

/**
 * The rows of a hot statement, run as a prepared statement of its connection: parsed, analysed and
 * planned once per connection instead of at every call, which on a busy server is most of a short
 * statement's CPU (issue 6: 38 % of an award's backend time). Goes to the `pg` client directly, past
 * TypeORM's per-query logging and broadcasting (this project logs only migrations). `name` says which
 * statement it is and must always come with the same `sql`; each stays prepared for the connection's life,
 * so keep it to a few statements run very often.
 */
export async function preparedRows<T>(
  manager: EntityManager,
  name: string,
  sql: string,
  parameters: unknown[],
): Promise<T[]> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const client = (await runner.connect()) as { query: (config: object) => Promise<{ rows: T[] }> };
    let clientName = clientNames.get(client);
    if (clientName === undefined) clientNames.set(client, (clientName = `${processName}_${nextClientSerial++}`));
    try {
      const result = await client.query({ name: `${name}_${clientName}`, text: sql, values: parameters });
      return result.rows;
    } catch (error) {
      // The error TypeORM's own queries throw, with the driver's (and its SQLSTATE) inside.
      throw new QueryFailedError(sql, parameters, error as Error);
    }
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}
