import type { QueryRunner } from 'typeorm';

/**
 * Replaces the table's one check constraint whose definition matches `pattern` (a LIKE pattern): constraints
 * declared inline were named by PostgreSQL at creation, so they are found by what they say.
 */
export async function replaceCheckConstraint(
  db: QueryRunner,
  table: string,
  pattern: string,
  definition: string,
): Promise<void> {
  const rows = (await db.query(
    `SELECT conname FROM pg_constraint
      WHERE conrelid = $1::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE $2`,
    [table, pattern],
  )) as { conname: string }[];
  if (rows.length !== 1) throw new Error(`Expected one constraint of ${table} like ${pattern}, found ${rows.length}`);
  await db.query(`ALTER TABLE ${table} DROP CONSTRAINT "${rows[0]!.conname}", ADD CONSTRAINT ${definition}`);
}
