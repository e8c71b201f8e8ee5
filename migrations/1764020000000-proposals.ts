import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Operations proposed by a brand's employees, their votes (one per employee) and the brand's answer. */
export class Proposals1764020000000 implements MigrationInterface {
  name = 'Proposals1764020000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE proposals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        brand_id uuid NOT NULL REFERENCES brands (id),
        author_id uuid NOT NULL REFERENCES users (id),
        title text NOT NULL CHECK (char_length(title) BETWEEN 5 AND 120),
        body text NOT NULL CHECK (char_length(body) BETWEEN 20 AND 5000),
        -- The count of proposal_votes, kept in the transaction of each inserted vote.
        votes integer NOT NULL DEFAULT 0 CHECK (votes >= 0),
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'ACCEPTED', 'DECLINED', 'DONE')),
        brand_response text,
        responded_by uuid REFERENCES users (id),
        responded_at timestamptz,
        created_at timestamptz NOT NULL
      )`);
    // Brand.proposals: most votes, then newest, keyset-paged on exactly this order.
    await db.query(`CREATE INDEX proposals_brand_rank ON proposals (brand_id, votes DESC, created_at DESC, id DESC)`);
    await db.query(`
      CREATE TABLE proposal_votes (
        proposal_id uuid NOT NULL REFERENCES proposals (id),
        user_id uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL,
        PRIMARY KEY (proposal_id, user_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE proposal_votes`);
    await db.query(`DROP TABLE proposals`);
  }
}
