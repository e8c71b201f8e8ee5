import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Awards granted to users, and the progress of each criterion the awards engine keeps. */
export class Awards1763990000000 implements MigrationInterface {
  name = 'Awards1763990000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE user_awards (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id),
        code text NOT NULL,
        -- The brand of a per-brand award; null for the others.
        brand_id uuid REFERENCES brands (id),
        -- Where the bonus went: the award's brand, or the brand of the event that completed it.
        bonus_brand_id uuid NOT NULL REFERENCES brands (id),
        -- The event that completed the criterion.
        event_id bigint NOT NULL,
        granted_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    // Once per user and brand for per-brand awards, once per user for the others.
    await db.query(`
      CREATE UNIQUE INDEX user_awards_once
        ON user_awards (user_id, code, coalesce(brand_id, '00000000-0000-0000-0000-000000000000'::uuid))`);
    await db.query(`CREATE INDEX user_awards_user ON user_awards (user_id, granted_at DESC)`);

    // What each criterion has counted for a user (and brand): distinct items, so that counting an event
    // twice (a replay, a redelivery) changes nothing.
    await db.query(`
      CREATE TABLE award_progress (
        code text NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id),
        -- A brand id for per-brand awards, 'global' for the others.
        scope text NOT NULL,
        items text[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (code, user_id, scope)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE award_progress`);
    await db.query(`DROP TABLE user_awards`);
  }
}
