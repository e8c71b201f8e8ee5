import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Brands (user-created, duplicate-checked by trigram similarity), their managers and claims. */
export class Brands1763940000000 implements MigrationInterface {
  name = 'Brands1763940000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE brands (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
        -- The name with accents, case, punctuation and trademark signs removed (computed by the app).
        folded_name text NOT NULL,
        website text,
        domain text,
        description text CHECK (char_length(description) <= 2000),
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        claimed_at timestamptz
      )`);
    await db.query(`CREATE INDEX brands_folded_name_trgm ON brands USING gin (folded_name gin_trgm_ops)`);
    await db.query(`CREATE INDEX brands_domain ON brands (domain) WHERE domain IS NOT NULL`);

    await db.query(`
      CREATE TABLE brand_managers (
        brand_id uuid NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (brand_id, user_id)
      )`);
    await db.query(`CREATE INDEX brand_managers_user ON brand_managers (user_id)`);

    await db.query(`
      CREATE TABLE brand_claims (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        brand_id uuid NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
        claimant_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),
        verification_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz,
        decided_by uuid REFERENCES users (id) ON DELETE SET NULL
      )`);
    // One open claim per person and brand.
    await db.query(
      `CREATE UNIQUE INDEX brand_claims_one_pending ON brand_claims (brand_id, claimant_id) WHERE status = 'PENDING'`,
    );
    await db.query(`CREATE INDEX brand_claims_status ON brand_claims (status, created_at, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE brand_claims`);
    await db.query(`DROP TABLE brand_managers`);
    await db.query(`DROP TABLE brands`);
  }
}
