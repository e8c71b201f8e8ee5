import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The share and wallet ledgers (append-only) and the employment projection they feed. */
export class Game1763960000000 implements MigrationInterface {
  name = 'Game1763960000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE share_ledger (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id),
        brand_id uuid NOT NULL REFERENCES brands (id),
        -- What the entry did to the balance (a reversal never takes it below 0, see requested_shares).
        shares integer NOT NULL,
        -- What the cause asked for, when the balance could not give it all (a reversal larger than the balance).
        requested_shares integer NOT NULL,
        reason text NOT NULL
          CHECK (reason IN ('PHOTO_PUBLISHED', 'COMMENT_POSTED', 'INVITE_QUALIFIED', 'AWARD_BONUS', 'REVERSAL', 'RESTORED')),
        source_type text NOT NULL CHECK (source_type IN ('photo', 'comment', 'invite', 'award', 'ledger')),
        source_id text NOT NULL,
        -- GAME.md's key of the cause: photo:<id>, reversal:<entryId>, …
        idempotency_key text NOT NULL UNIQUE,
        reverses bigint REFERENCES share_ledger (id),
        restores bigint REFERENCES share_ledger (id),
        created_at timestamptz NOT NULL,
        CHECK ((reason = 'REVERSAL') = (reverses IS NOT NULL)),
        CHECK ((reason = 'RESTORED') = (restores IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX share_ledger_employment ON share_ledger (user_id, brand_id, created_at)`);
    await db.query(`CREATE INDEX share_ledger_source ON share_ledger (source_type, source_id)`);

    await db.query(`
      CREATE TABLE wallet_ledger (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id),
        amount integer NOT NULL,
        requested_amount integer NOT NULL,
        reason text NOT NULL CHECK (reason IN ('PAYROLL', 'REDEMPTION', 'REVERSAL')),
        source_type text NOT NULL,
        source_id text NOT NULL,
        idempotency_key text NOT NULL UNIQUE,
        reverses bigint REFERENCES wallet_ledger (id),
        created_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX wallet_ledger_user ON wallet_ledger (user_id, created_at)`);

    for (const table of ['share_ledger', 'wallet_ledger']) {
      await db.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
      await db.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    }

    // One row per (user, brand): the projection of the share ledger, changed only with a ledger entry.
    await db.query(`
      CREATE TABLE employments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id),
        brand_id uuid NOT NULL REFERENCES brands (id),
        shares integer NOT NULL DEFAULT 0 CHECK (shares >= 0),
        title text NOT NULL DEFAULT 'INTERN'
          CHECK (title IN ('INTERN', 'ASSOCIATE', 'MANAGER', 'DIRECTOR', 'VICE_PRESIDENT', 'CEO')),
        salary integer NOT NULL CHECK (salary >= 0),
        since timestamptz NOT NULL,
        -- When the current share count was reached: ties on the leaderboard go to the earlier.
        shares_reached_at timestamptz NOT NULL,
        UNIQUE (user_id, brand_id)
      )`);
    // The leaderboard and rank: shares desc, then who reached the count first.
    await db.query(
      `CREATE INDEX employments_leaderboard ON employments (brand_id, shares DESC, shares_reached_at, user_id)`,
    );
    await db.query(`CREATE INDEX employments_user ON employments (user_id, shares DESC)`);
    // One CEO per brand.
    await db.query(`CREATE UNIQUE INDEX employments_one_ceo ON employments (brand_id) WHERE title = 'CEO'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE employments`);
    await db.query(`DROP TABLE wallet_ledger`);
    await db.query(`DROP TABLE share_ledger`);
  }
}
