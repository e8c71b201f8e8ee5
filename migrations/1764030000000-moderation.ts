import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Moderation: users' (and, later, the detectors') reports, the queue of reported targets, the decisions
 * of moderators, and the index of the audit log over the events.
 */
export class Moderation1764030000000 implements MigrationInterface {
  name = 'Moderation1764030000000';

  async up(db: QueryRunner): Promise<void> {
    // What a moderator decided, and why: append-only, as the ledgers are.
    await db.query(`
      CREATE TABLE moderation_decisions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        moderator_id uuid NOT NULL REFERENCES users (id),
        action text NOT NULL
          CHECK (action IN ('REMOVE_PHOTO', 'RESTORE_PHOTO', 'REMOVE_COMMENT', 'BAN_USER', 'DISMISS_REPORTS')),
        target_type text NOT NULL CHECK (target_type IN ('PHOTO', 'COMMENT', 'USER', 'BRAND')),
        target_id uuid NOT NULL,
        reason text CHECK (char_length(reason) <= 2000),
        created_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX moderation_decisions_target ON moderation_decisions (target_type, target_id, id)`);
    await db.query(`
      CREATE TRIGGER moderation_decisions_append_only BEFORE UPDATE OR DELETE ON moderation_decisions
      FOR EACH ROW EXECUTE FUNCTION refuse_change()`);

    await db.query(`
      CREATE TABLE reports (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        -- Null: a report by the system (a detector flagging an account), which no user made.
        reporter_id uuid REFERENCES users (id),
        target_type text NOT NULL CHECK (target_type IN ('PHOTO', 'COMMENT', 'USER', 'BRAND')),
        target_id uuid NOT NULL,
        reason text NOT NULL
          CHECK (reason IN ('SPAM', 'FAKE_ENGAGEMENT', 'OFFENSIVE', 'COPYRIGHT', 'NOT_THIS_BRAND', 'OTHER')),
        details text CHECK (char_length(details) <= 2000),
        created_at timestamptz NOT NULL,
        -- Set when a moderator decides on the target: the report leaves the queue.
        decision_id bigint REFERENCES moderation_decisions (id)
      )`);
    // One report per user and target, ever: a repeat changes nothing.
    await db.query(
      `CREATE UNIQUE INDEX reports_one_per_reporter ON reports (reporter_id, target_type, target_id)
        WHERE reporter_id IS NOT NULL`,
    );
    await db.query(`CREATE INDEX reports_open_target ON reports (target_type, target_id) WHERE decision_id IS NULL`);

    // The queue: one row per target with open reports, kept in the transaction of each report and
    // decision, so that a page is an index range (most reported, then latest report) and not a
    // grouping of every open report.
    await db.query(`
      CREATE TABLE moderation_queue (
        target_type text NOT NULL,
        target_id uuid NOT NULL,
        open_reports integer NOT NULL CHECK (open_reports > 0),
        reasons text[] NOT NULL,
        first_reported_at timestamptz NOT NULL,
        last_reported_at timestamptz NOT NULL,
        PRIMARY KEY (target_type, target_id)
      )`);
    await db.query(
      `CREATE INDEX moderation_queue_order
         ON moderation_queue (open_reports DESC, last_reported_at DESC, target_type, target_id)`,
    );

    // The audit log: the privileged actions among the events, newest first (libs/moderation
    // AUDITED_ACTIONS names the same list; a new privileged action replaces this index).
    await db.query(`
      CREATE INDEX events_audit ON events (id DESC)
        WHERE action IN ('account.role_granted', 'brand.claim_approved', 'brand.claim_rejected', 'photo.removed',
                         'photo.restored', 'comment.removed', 'reports.dismissed', 'user.banned')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX events_audit`);
    await db.query(`DROP TABLE moderation_queue`);
    await db.query(`DROP TABLE reports`);
    await db.query(`DROP TABLE moderation_decisions`);
  }
}
