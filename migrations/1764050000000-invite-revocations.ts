import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A qualified invite is revoked when its invitee is later found fraudulent (banned): its bonus is reversed
 * through the share ledger and it no longer counts in `User.invitedCount`.
 */
export class InviteRevocations1764050000000 implements MigrationInterface {
  name = 'InviteRevocations1764050000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE invites
        ADD COLUMN revoked_at timestamptz,
        ADD COLUMN revoke_reason text,
        ADD CONSTRAINT invites_revoked_together CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL)),
        ADD CONSTRAINT invites_revoked_after_qualified CHECK (revoked_at IS NULL OR qualified_at IS NOT NULL)`);
    await db.query(`DROP INDEX invites_qualified`);
    await db.query(
      `CREATE INDEX invites_qualified ON invites (inviter_id) WHERE qualified_at IS NOT NULL AND revoked_at IS NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX invites_qualified`);
    await db.query(`CREATE INDEX invites_qualified ON invites (inviter_id) WHERE qualified_at IS NOT NULL`);
    await db.query(`
      ALTER TABLE invites
        DROP CONSTRAINT invites_revoked_after_qualified,
        DROP CONSTRAINT invites_revoked_together,
        DROP COLUMN revoke_reason,
        DROP COLUMN revoked_at`);
  }
}
