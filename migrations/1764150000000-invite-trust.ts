import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The invite-trust detector (SybilRank): the interactions it has read from the events log, the
 * undirected trust edges they make (an accepted invite, or a follow or comment returned), and the trust
 * each account in that graph was last given, with its tier.
 */
export class InviteTrust1764150000000 implements MigrationInterface {
  name = 'InviteTrust1764150000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE trust_interactions (
        from_user uuid NOT NULL REFERENCES users (id),
        to_user uuid NOT NULL REFERENCES users (id),
        kind text NOT NULL CHECK (kind IN ('INVITE', 'FOLLOW', 'COMMENT')),
        first_at timestamptz NOT NULL,
        PRIMARY KEY (from_user, to_user, kind),
        CHECK (from_user <> to_user)
      )`);
    await db.query(`
      CREATE TABLE trust_edges (
        user_a uuid NOT NULL REFERENCES users (id),
        user_b uuid NOT NULL REFERENCES users (id),
        -- One of them invited the other (the invite tree), besides or instead of returned interactions.
        invite boolean NOT NULL,
        since timestamptz NOT NULL,
        PRIMARY KEY (user_a, user_b),
        CHECK (user_a < user_b)
      )`);
    await db.query(`
      CREATE TABLE account_trust (
        user_id uuid PRIMARY KEY REFERENCES users (id),
        -- Degree-normalized trust over the stationary value: about 1 when fully mixed, near 0 when unreached.
        relative_trust double precision NOT NULL CHECK (relative_trust >= 0),
        degree integer NOT NULL CHECK (degree > 0),
        tier text NOT NULL CHECK (tier IN ('SEED', 'HIGH', 'MEDIUM', 'LOW')),
        detector_version text NOT NULL,
        computed_at timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE account_trust`);
    await db.query(`DROP TABLE trust_edges`);
    await db.query(`DROP TABLE trust_interactions`);
  }
}
