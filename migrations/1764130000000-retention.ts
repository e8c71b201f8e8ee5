import type { MigrationInterface, QueryRunner } from 'typeorm';
import { replaceCheckConstraint } from './replace-check-constraint.js';

/**
 * Retention and the rest of erasure:
 * - a photo whose files were purged (deleted or removed long enough ago, or its owner erased) keeps its row for the
 *   ledger and the events with no storage keys; an erased owner's photos lose their hashes too;
 * - an expired export archive: the job stays, EXPIRED, without its storage key;
 * - an erased author's proposal reads `[deleted]`, shorter than a proposal's body may otherwise be;
 * - indexes for the daily purges: events still carrying fingerprint hashes, finished jobs, photos with files;
 * - the events log allows one more change: an erased author's proposal title leaves its `proposal.created` event.
 *   (Nulling the fingerprints of any row, which the retention purge does, was allowed already.)
 */
export class Retention1764130000000 implements MigrationInterface {
  name = 'Retention1764130000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE photos ALTER COLUMN original_key DROP NOT NULL, ALTER COLUMN sha256 DROP NOT NULL`);
    // The photos of accounts erased before this migration: their files were deleted with the account.
    await db.query(`
      DELETE FROM photo_hash_bands b USING photos p, users u
       WHERE b.photo_id = p.id AND u.id = p.owner_id AND u.deleted_at IS NOT NULL`);
    await db.query(`
      UPDATE photos p SET original_key = NULL, display_key = NULL, thumbnail_key = NULL, sha256 = NULL,
             perceptual_hash = NULL
        FROM users u WHERE u.id = p.owner_id AND u.deleted_at IS NOT NULL`);
    await db.query(`
      CREATE INDEX photos_files_to_purge ON photos (id)
        WHERE original_key IS NOT NULL AND (deleted_at IS NOT NULL OR status = 'REMOVED')`);

    await replaceCheckConstraint(
      db,
      'export_jobs',
      '%QUEUED%RUNNING%DONE%FAILED%',
      `export_jobs_status CHECK (status IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED', 'EXPIRED'))`,
    );
    await replaceCheckConstraint(
      db,
      'export_jobs',
      '%finished_at IS NOT NULL%',
      `export_jobs_finished_at CHECK ((status IN ('DONE', 'FAILED', 'EXPIRED')) = (finished_at IS NOT NULL))`,
    );
    await db.query(
      `ALTER TABLE export_jobs ADD CONSTRAINT export_jobs_expired CHECK (status <> 'EXPIRED' OR storage_key IS NULL)`,
    );

    await replaceCheckConstraint(
      db,
      'proposals',
      '%char_length(body)%',
      `proposals_body CHECK (char_length(body) BETWEEN 20 AND 5000 OR body = '[deleted]')`,
    );

    // The fingerprint purge walks only the events that still carry a hash, oldest first; nulled rows leave the index.
    await db.query(`
      CREATE INDEX events_fingerprinted ON events (occurred_at, id)
        WHERE device_fingerprint IS NOT NULL OR network_fingerprint IS NOT NULL`);
    await db.query(`CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL`);

    await db.query(`
      CREATE FUNCTION events_only_forget_personal_data() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE'
           AND (NEW.id, NEW.xid, NEW.occurred_at, NEW.actor_id, NEW.action, NEW.brand_id, NEW.target_type, NEW.target_id)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.xid, OLD.occurred_at, OLD.actor_id, OLD.action, OLD.brand_id, OLD.target_type, OLD.target_id)
           AND (
             -- The fingerprint hashes forgotten (erasure, retention).
             (NEW.device_fingerprint IS NULL AND NEW.network_fingerprint IS NULL AND NEW.meta IS NOT DISTINCT FROM OLD.meta)
             -- An erased author's proposal title.
             OR (OLD.action = 'proposal.created' AND NEW.meta IS NOT DISTINCT FROM OLD.meta - 'title'
                 AND (NEW.device_fingerprint, NEW.network_fingerprint)
                     IS NOT DISTINCT FROM (OLD.device_fingerprint, OLD.network_fingerprint))
           ) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'events is append-only: % refused (only fingerprints and erased proposal titles may be erased)', TG_OP
          USING ERRCODE = 'restrict_violation';
      END $$`);
    await this.pointEventsTriggerAt(db, 'events_only_forget_personal_data');
  }

  async down(db: QueryRunner): Promise<void> {
    await this.pointEventsTriggerAt(db, 'events_only_forget_fingerprints');
    await db.query(`DROP FUNCTION events_only_forget_personal_data()`);
    await db.query(`DROP INDEX jobs_finished`);
    await db.query(`DROP INDEX events_fingerprinted`);
    await db.query(`UPDATE proposals SET body = '[deleted by its author]' WHERE body = '[deleted]'`);
    await db.query(`
      ALTER TABLE proposals DROP CONSTRAINT proposals_body,
        ADD CONSTRAINT proposals_body CHECK (char_length(body) BETWEEN 20 AND 5000)`);
    await db.query(`UPDATE export_jobs SET status = 'DONE' WHERE status = 'EXPIRED'`);
    await db.query(`
      ALTER TABLE export_jobs DROP CONSTRAINT export_jobs_expired, DROP CONSTRAINT export_jobs_finished_at,
        DROP CONSTRAINT export_jobs_status,
        ADD CONSTRAINT export_jobs_status CHECK (status IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
        ADD CONSTRAINT export_jobs_finished_at CHECK ((status IN ('DONE', 'FAILED')) = (finished_at IS NOT NULL))`);
    await db.query(`DROP INDEX photos_files_to_purge`);
    // Purged photos have nothing to point at any more: the down migration cannot bring their files back.
    await db.query(`
      UPDATE photos SET original_key = coalesce(original_key, 'purged/' || id), sha256 = coalesce(sha256, repeat('0', 64))
       WHERE original_key IS NULL OR sha256 IS NULL`);
    await db.query(`ALTER TABLE photos ALTER COLUMN original_key SET NOT NULL, ALTER COLUMN sha256 SET NOT NULL`);
  }

  private async pointEventsTriggerAt(db: QueryRunner, fn: string): Promise<void> {
    await db.query(`DROP TRIGGER events_append_only ON events`);
    await db.query(`
      CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
      FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
  }
}
