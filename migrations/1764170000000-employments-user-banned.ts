import type { MigrationInterface, QueryRunner } from 'typeorm';
import { COUNT_EMPLOYMENT_SHARES } from './1764000000000-share-counts.js';

/**
 * Whether an employment's user is banned, on the employment itself, so that boards and ranks leave the
 * banned out inside one index instead of probing `users` per row or per banned user (measured: the
 * banned subtraction was 3 of a rank's 3.7 ms at 200 bans, and grew with every ban).
 * - `employments.user_banned` is kept by triggers, in the transaction of the change: set from the user's
 *   row when an employment is created (that row locked FOR SHARE, so that a ban under way is waited for and
 *   seen), and on all of a user's employments when the user's `banned_at` is set or cleared.
 * - `brand_share_counts` counts only employments of users not banned; a ban moves its employments out.
 * - `employments_board` replaces `employments_leaderboard`: the same order, the banned left out.
 */
export class EmploymentsUserBanned1764170000000 implements MigrationInterface {
  name = 'EmploymentsUserBanned1764170000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE employments ADD COLUMN user_banned boolean NOT NULL DEFAULT false`);
    await db.query(`
      UPDATE employments e SET user_banned = true
        FROM users u WHERE u.id = e.user_id AND u.banned_at IS NOT NULL`);
    await db.query(`DELETE FROM brand_share_counts`);
    await db.query(`
      INSERT INTO brand_share_counts (brand_id, shares, employees)
      SELECT brand_id, shares, count(*) FROM employments WHERE NOT user_banned GROUP BY brand_id, shares`);
    // As before, the lower count's row is changed first (a change up and a change down in one brand take
    // the two rows' locks in the same order).
    await db.query(`
      CREATE OR REPLACE FUNCTION count_employment_shares() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        leaves integer := CASE WHEN TG_OP = 'UPDATE' AND NOT OLD.user_banned THEN OLD.shares END;
        reaches integer := CASE WHEN NOT NEW.user_banned THEN NEW.shares END;
        count_at integer;
      BEGIN
        IF leaves IS NOT DISTINCT FROM reaches THEN
          RETURN NEW;
        END IF;
        FOREACH count_at IN ARRAY ARRAY(SELECT c FROM unnest(ARRAY[leaves, reaches]) c WHERE c IS NOT NULL ORDER BY c)
        LOOP
          -- The row of a count left exists (this employment was in it), so leaving is always the update.
          INSERT INTO brand_share_counts (brand_id, shares, employees) VALUES (NEW.brand_id, count_at, 1)
          ON CONFLICT (brand_id, shares) DO UPDATE
            SET employees = brand_share_counts.employees + CASE WHEN count_at = leaves THEN -1 ELSE 1 END;
        END LOOP;
        RETURN NEW;
      END $$`);
    await db.query(`DROP TRIGGER employments_share_counts ON employments`);
    await db.query(`
      CREATE TRIGGER employments_share_counts AFTER INSERT OR UPDATE OF shares, user_banned ON employments
      FOR EACH ROW EXECUTE FUNCTION count_employment_shares()`);
    await db.query(`
      CREATE FUNCTION employment_user_banned() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.user_banned := coalesce(
          (SELECT banned_at IS NOT NULL FROM users WHERE id = NEW.user_id FOR SHARE), false);
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER employments_user_banned BEFORE INSERT ON employments
      FOR EACH ROW EXECUTE FUNCTION employment_user_banned()`);
    await db.query(`
      CREATE FUNCTION user_banned_employments() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE employments SET user_banned = NEW.banned_at IS NOT NULL
         WHERE user_id = NEW.id AND user_banned <> (NEW.banned_at IS NOT NULL);
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER users_banned_employments AFTER UPDATE OF banned_at ON users
      FOR EACH ROW WHEN ((OLD.banned_at IS NULL) <> (NEW.banned_at IS NULL))
      EXECUTE FUNCTION user_banned_employments()`);
    await db.query(`
      CREATE INDEX employments_board ON employments (brand_id, shares DESC, shares_reached_at, user_id)
       WHERE NOT user_banned`);
    await db.query(`DROP INDEX employments_leaderboard`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX employments_leaderboard ON employments (brand_id, shares DESC, shares_reached_at, user_id)`,
    );
    await db.query(`DROP INDEX employments_board`);
    await db.query(`DROP TRIGGER users_banned_employments ON users`);
    await db.query(`DROP FUNCTION user_banned_employments()`);
    await db.query(`DROP TRIGGER employments_user_banned ON employments`);
    await db.query(`DROP FUNCTION employment_user_banned()`);
    await db.query(`DROP TRIGGER employments_share_counts ON employments`);
    await db.query(COUNT_EMPLOYMENT_SHARES);
    await db.query(`
      CREATE TRIGGER employments_share_counts AFTER INSERT OR UPDATE OF shares ON employments
      FOR EACH ROW EXECUTE FUNCTION count_employment_shares()`);
    await db.query(`DELETE FROM brand_share_counts`);
    await db.query(`
      INSERT INTO brand_share_counts (brand_id, shares, employees)
      SELECT brand_id, shares, count(*) FROM employments GROUP BY brand_id, shares`);
    await db.query(`ALTER TABLE employments DROP COLUMN user_banned`);
  }
}
