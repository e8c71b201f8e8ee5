import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The share-count trigger's function as this migration made it (a later one replaces it, and restores it on down). */
export const COUNT_EMPLOYMENT_SHARES = `
      CREATE OR REPLACE FUNCTION count_employment_shares() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        count_at integer;
      BEGIN
        IF TG_OP = 'UPDATE' AND NEW.shares = OLD.shares THEN
          RETURN NEW;
        END IF;
        FOREACH count_at IN ARRAY CASE
            WHEN TG_OP = 'INSERT' THEN ARRAY[NEW.shares]
            ELSE ARRAY[least(OLD.shares, NEW.shares), greatest(OLD.shares, NEW.shares)] END
        LOOP
          IF TG_OP = 'UPDATE' AND count_at = OLD.shares THEN
            UPDATE brand_share_counts SET employees = employees - 1
             WHERE brand_id = NEW.brand_id AND shares = count_at;
          ELSE
            INSERT INTO brand_share_counts (brand_id, shares, employees) VALUES (NEW.brand_id, count_at, 1)
            ON CONFLICT (brand_id, shares) DO UPDATE SET employees = brand_share_counts.employees + 1;
          END IF;
        END LOOP;
        RETURN NEW;
      END $$`;

/**
 * How many employees of each brand hold each share count: a rank is then a sum over the counts above
 * (a few hundred rows however big the brand) plus the ties reached earlier, not a count of everyone
 * ahead. Kept by a trigger on employments, in the transaction of the change.
 */
export class ShareCounts1764000000000 implements MigrationInterface {
  name = 'ShareCounts1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE brand_share_counts (
        brand_id uuid NOT NULL REFERENCES brands (id),
        shares integer NOT NULL,
        employees integer NOT NULL CHECK (employees >= 0),
        PRIMARY KEY (brand_id, shares)
      )`);
    await db.query(`
      INSERT INTO brand_share_counts (brand_id, shares, employees)
      SELECT brand_id, shares, count(*) FROM employments GROUP BY brand_id, shares`);
    // The lower count's row is always changed first, so that a change up and a change down in one
    // brand take the two rows' locks in the same order (no deadlock). The count left is updated (its row
    // exists); the count reached is upserted. Rows at 0 stay: they weigh nothing in a sum.
    await db.query(COUNT_EMPLOYMENT_SHARES);
    await db.query(`
      CREATE TRIGGER employments_share_counts AFTER INSERT OR UPDATE OF shares ON employments
      FOR EACH ROW EXECUTE FUNCTION count_employment_shares()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER employments_share_counts ON employments`);
    await db.query(`DROP FUNCTION count_employment_shares()`);
    await db.query(`DROP TABLE brand_share_counts`);
  }
}
