import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Brand offers, their redemptions (one per user and offer, a unique code each) and who was told an offer unlocked. */
export class Rewards1764010000000 implements MigrationInterface {
  name = 'Rewards1764010000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE offers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        brand_id uuid NOT NULL REFERENCES brands (id),
        kind text NOT NULL CHECK (kind IN ('DISCOUNT', 'GIFT', 'JOB', 'EXPERIENCE')),
        title text NOT NULL,
        description text NOT NULL,
        min_title text NOT NULL CHECK (min_title IN ('INTERN', 'ASSOCIATE', 'MANAGER', 'DIRECTOR', 'VICE_PRESIDENT', 'CEO')),
        price integer NOT NULL CHECK (price >= 0),
        stock integer NOT NULL CHECK (stock BETWEEN 1 AND 1000000),
        -- Decremented only by a conditional UPDATE … WHERE remaining > 0: never below 0, never oversold.
        remaining integer NOT NULL CHECK (remaining BETWEEN 0 AND stock),
        starts_at timestamptz,
        expires_at timestamptz,
        closed_at timestamptz,
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL,
        CHECK (starts_at IS NULL OR expires_at IS NULL OR starts_at < expires_at)
      )`);
    await db.query(`CREATE INDEX offers_brand ON offers (brand_id, created_at DESC, id DESC)`);

    await db.query(`
      CREATE TABLE redemptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        offer_id uuid NOT NULL REFERENCES offers (id),
        user_id uuid NOT NULL REFERENCES users (id),
        code text NOT NULL,
        shared_profile boolean NOT NULL,
        price integer NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL,
        CONSTRAINT redemptions_once UNIQUE (offer_id, user_id)
      )`);
    await db.query(`CREATE UNIQUE INDEX redemptions_code ON redemptions (code)`);
    await db.query(`CREATE INDEX redemptions_offer_page ON redemptions (offer_id, created_at DESC, id DESC)`);

    // OFFER_UNLOCKED is sent once per (offer, user), whatever the title goes up and down.
    await db.query(`
      CREATE TABLE offer_unlocks (
        offer_id uuid NOT NULL REFERENCES offers (id),
        user_id uuid NOT NULL REFERENCES users (id),
        notified_at timestamptz NOT NULL,
        PRIMARY KEY (offer_id, user_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE offer_unlocks`);
    await db.query(`DROP TABLE redemptions`);
    await db.query(`DROP TABLE offers`);
  }
}
