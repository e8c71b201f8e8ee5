import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two small indexes found by measuring:
 * - erased accounts (a handful among millions): every export statement leaves their events out, and without
 *   this index each keyset batch scanned the users table for them (7 ms a batch at 50,000 users);
 * - `fingerprint_accounts` by last sighting, for the daily retention purge, which scanned the table.
 */
export class ExportAndPurgeIndexes1764160000000 implements MigrationInterface {
  name = 'ExportAndPurgeIndexes1764160000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX users_erased ON users (id) WHERE deleted_at IS NOT NULL`);
    await db.query(`CREATE INDEX fingerprint_accounts_last_seen ON fingerprint_accounts (last_seen_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX fingerprint_accounts_last_seen`);
    await db.query(`DROP INDEX users_erased`);
  }
}
