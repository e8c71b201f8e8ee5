import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Account erasure: a tombstoned user keeps its row (the ledgers reference it, and other users' ranks and the
 * brands' history stay right) with `deleted_at` set and its personal fields replaced. The events log stays
 * append-only except for one change: the fingerprint hashes of an erased account's events may be nulled.
 */
export class AccountErasure1764120000000 implements MigrationInterface {
  name = 'AccountErasure1764120000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users ADD COLUMN deleted_at timestamptz`);
    await db.query(`
      CREATE FUNCTION events_only_forget_fingerprints() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE'
           AND NEW.device_fingerprint IS NULL AND NEW.network_fingerprint IS NULL
           AND (NEW.id, NEW.xid, NEW.occurred_at, NEW.actor_id, NEW.action, NEW.brand_id, NEW.target_type, NEW.target_id,
                NEW.meta)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.xid, OLD.occurred_at, OLD.actor_id, OLD.action, OLD.brand_id, OLD.target_type, OLD.target_id,
                OLD.meta) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'events is append-only: % refused (only fingerprints may be erased)', TG_OP
          USING ERRCODE = 'restrict_violation';
      END $$`);
    await db.query(`DROP TRIGGER events_append_only ON events`);
    await db.query(`
      CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
      FOR EACH ROW EXECUTE FUNCTION events_only_forget_fingerprints()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER events_append_only ON events`);
    await db.query(`
      CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
      FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await db.query(`DROP FUNCTION events_only_forget_fingerprints()`);
    await db.query(`ALTER TABLE users DROP COLUMN deleted_at`);
  }
}
