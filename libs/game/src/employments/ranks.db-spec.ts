import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { titleForShares, salaryFor } from '../rules.js';
import { EmploymentsRepository } from './employments.repository.js';

/**
 * `Employment.rank` is computed from per-brand share counts of the unbanned and a count of the tie; the
 * board is an ordered scan of the unbanned. Both rely on `employments.user_banned`, which triggers keep:
 * users banned before their employment exists and users banned after. For random boards (ties, bans of
 * both kinds, a second brand beside) the rank of every employee must be its place on the board of the
 * unbanned, by shares desc, then who reached the count first, then user id, and the board must be that order.
 */
describe('Employment.rank', () => {
  let database: TestDatabase;
  const repository = new EmploymentsRepository();
  const sql = <T = Record<string, unknown>>(query: string, parameters: unknown[] = []) =>
    database.dataSource.query<T[]>(query, parameters);

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.close());

  const employee = fc.record({
    shares: fc.integer({ min: 0, max: 40 }),
    reachedDay: fc.integer({ min: 0, max: 3 }),
    banned: fc.constantFrom('never', 'never', 'never', 'before', 'after'),
    brand: fc.constantFrom(0, 1),
  });

  it('equals the place on the board of the unbanned, whatever the ties and bans', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(employee, { minLength: 1, maxLength: 25 }), async (people) => {
        round++;
        // Each round its own two brands and users: the ledger's tables are append-only, nothing is cleared.
        const brands = await sql<{ id: string }>(
          `INSERT INTO brands (slug, name, folded_name) VALUES ($1, $1, $1), ($2, $2, $2) RETURNING id`,
          [`a${round}`, `b${round}`],
        );
        const rows: { id: string; userId: string; brand: number; shares: number; reached: Date; banned: boolean }[] =
          [];
        for (const [i, person] of people.entries()) {
          const [user] = await sql<{ id: string }>(
            `INSERT INTO users (email, handle, display_name, password_hash, banned_at)
             VALUES ($1, $2, $2, 'x', $3) RETURNING id`,
            [`r${round}u${i}@example.com`, `r${round}u${i}`, person.banned === 'before' ? new Date() : null],
          );
          const reached = new Date(Date.UTC(2026, 11, 1 + person.reachedDay));
          const title = titleForShares(person.shares);
          const [row] = await sql<{ id: string }>(
            `INSERT INTO employments (user_id, brand_id, shares, title, salary, since, shares_reached_at,
                                      recent_shares, recent_as_of, recent_reached_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6, 0, $6, $6) RETURNING id`,
            [user!.id, brands[person.brand]!.id, person.shares, title, salaryFor(title, person.shares), reached],
          );
          rows.push({ id: row!.id, userId: user!.id, ...person, reached, banned: person.banned !== 'never' });
        }
        const bannedAfter = rows.filter((_, i) => people[i]!.banned === 'after').map((r) => r.userId);
        await sql(`UPDATE users SET banned_at = now() WHERE id = ANY($1::uuid[])`, [bannedAfter]);
        const ranks = new Map(
          (
            await repository.ranks(
              database.dataSource.manager,
              rows.map((r) => r.id),
            )
          ).map((r) => [r.id, r.rank]),
        );
        for (const row of rows.filter((r) => !r.banned)) {
          const ahead = rows.filter(
            (other) =>
              other.brand === row.brand &&
              !other.banned &&
              (other.shares > row.shares ||
                (other.shares === row.shares &&
                  (other.reached < row.reached || (+other.reached === +row.reached && other.userId < row.userId)))),
          ).length;
          expect(ranks.get(row.id)).toBe(ahead + 1);
        }
        for (const [i, brand] of brands.entries()) {
          const board = await repository.leaderboard(database.dataSource.manager, brand.id, null, 100);
          const expected = rows
            .filter((r) => r.brand === i && !r.banned)
            .sort((a, b) => b.shares - a.shares || +a.reached - +b.reached || (a.userId < b.userId ? -1 : 1));
          expect(board.map((r) => r.id)).toEqual(expected.map((r) => r.id));
        }
      }),
      { numRuns: 40 },
    );
  });
});
