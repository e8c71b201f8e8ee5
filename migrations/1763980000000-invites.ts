import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invites: a code a user hands out, accepted by at most one newcomer at sign-up, then qualified (paid by the
 * game) or flagged as a self-invite (paid nothing). Supersedes `users.invite_code`, which stays for the
 * codes already written there but is no longer written.
 */
export class Invites1763980000000 implements MigrationInterface {
  name = 'Invites1763980000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE invites (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        inviter_id uuid NOT NULL REFERENCES users (id),
        -- Random, URL-safe, lower-case (see invite-code.ts).
        code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9]{8,32}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        invitee_id uuid UNIQUE REFERENCES users (id),
        accepted_at timestamptz,
        qualified_at timestamptz,
        flagged_at timestamptz,
        flag_reason text CHECK (flag_reason IN ('SAME_DEVICE', 'SAME_NETWORK', 'SAME_EMAIL')),
        CONSTRAINT invites_not_self CHECK (invitee_id <> inviter_id),
        CONSTRAINT invites_accepted_together CHECK ((invitee_id IS NULL) = (accepted_at IS NULL)),
        CONSTRAINT invites_flagged_together CHECK ((flagged_at IS NULL) = (flag_reason IS NULL)),
        CONSTRAINT invites_settled_after_accepted CHECK (
          (qualified_at IS NULL AND flagged_at IS NULL) OR accepted_at IS NOT NULL),
        CONSTRAINT invites_qualified_or_flagged CHECK (qualified_at IS NULL OR flagged_at IS NULL)
      )`);
    // A user's invites, newest first.
    await db.query(`CREATE INDEX invites_inviter ON invites (inviter_id, created_at DESC, id DESC)`);
    // The open (unused) invites of a user: the 20-open limit.
    await db.query(`CREATE INDEX invites_open ON invites (inviter_id) WHERE invitee_id IS NULL`);
    // User.invitedCount: the qualified invites of a user.
    await db.query(`CREATE INDEX invites_qualified ON invites (inviter_id) WHERE qualified_at IS NOT NULL`);
    await db.query(
      `COMMENT ON COLUMN users.invite_code IS 'Superseded by invites.invitee_id (migration 1763980000000); no longer written.'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`COMMENT ON COLUMN users.invite_code IS NULL`);
    await db.query(`DROP TABLE invites`);
  }
}
