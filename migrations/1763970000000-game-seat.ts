import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the CEO seat, payroll and notifications need: recent shares on the employment projection, the
 * wallet projection, the payroll weeks run, and stored notifications.
 */
export class GameSeat1763970000000 implements MigrationInterface {
  name = 'GameSeat1763970000000';

  async up(db: QueryRunner): Promise<void> {
    // recent_shares = sum(shares) of the (user, brand) ledger entries at or after recent_as_of - 60 days:
    // the window moves with time, so the projection says when it was taken and the daily job moves it.
    await db.query(`
      ALTER TABLE employments
        -- Net: negative when a reversal in the window takes back more than the window earned.
        ADD COLUMN recent_shares integer NOT NULL DEFAULT 0,
        ADD COLUMN recent_as_of timestamptz,
        ADD COLUMN recent_reached_at timestamptz`);
    await db.query(`
      UPDATE employments e
         SET recent_as_of = now(), recent_reached_at = now(),
             recent_shares = (SELECT coalesce(sum(l.shares), 0) FROM share_ledger l
                               WHERE l.user_id = e.user_id AND l.brand_id = e.brand_id
                                 AND l.created_at >= now() - interval '60 days')`);
    await db.query(`
      ALTER TABLE employments
        ALTER COLUMN recent_as_of SET NOT NULL,
        ALTER COLUMN recent_reached_at SET NOT NULL`);
    // The CEO candidates of a brand, best first. Partial on GAME_RULES.ceo.minShares (1,000): a brand's
    // thousands of interns are not in it. If that rule changes, a migration changes the predicate; the
    // queries stay correct either way (they repeat the condition).
    await db.query(`
      CREATE INDEX employments_ceo_candidates ON employments (brand_id, recent_shares DESC, recent_reached_at, user_id)
        WHERE shares >= 1000`);
    // Banned users leave leaderboards: the few of them are found without scanning users.
    await db.query(`CREATE INDEX users_banned ON users (id) WHERE banned_at IS NOT NULL`);
    // The daily seat job: entries leaving the 60-day window.
    await db.query(`CREATE INDEX share_ledger_created ON share_ledger (created_at)`);

    await db.query(`
      CREATE TABLE wallets (
        user_id uuid PRIMARY KEY REFERENCES users (id),
        balance integer NOT NULL CHECK (balance >= 0)
      )`);
    // One row per payroll week that completed, so a missed Monday is paid on the next run.
    await db.query(`
      CREATE TABLE payroll_runs (
        iso_week text PRIMARY KEY,
        run_at timestamptz NOT NULL,
        employments_paid integer NOT NULL,
        amount_paid bigint NOT NULL,
        completed_at timestamptz NOT NULL
      )`);

    await db.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id),
        kind text NOT NULL CHECK (kind IN ('AWARD_GRANTED', 'TITLE_CHANGED', 'CEO_WON', 'CEO_LOST', 'COMMENT_RECEIVED',
          'OFFER_UNLOCKED', 'INVITE_QUALIFIED', 'PROPOSAL_ANSWERED', 'CREDIT_WITHHELD')),
        message text NOT NULL,
        brand_id uuid REFERENCES brands (id),
        meta jsonb NOT NULL DEFAULT '{}',
        read_at timestamptz,
        created_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX notifications_user ON notifications (user_id, created_at DESC, id DESC)`);
    await db.query(
      `CREATE INDEX notifications_unread ON notifications (user_id, created_at DESC, id DESC) WHERE read_at IS NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE notifications`);
    await db.query(`DROP TABLE payroll_runs`);
    await db.query(`DROP TABLE wallets`);
    await db.query(`DROP INDEX share_ledger_created`);
    await db.query(`DROP INDEX users_banned`);
    await db.query(`DROP INDEX employments_ceo_candidates`);
    await db.query(`
      ALTER TABLE employments DROP COLUMN recent_shares, DROP COLUMN recent_as_of,
        DROP COLUMN recent_reached_at`);
  }
}
