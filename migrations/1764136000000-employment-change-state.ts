import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The columns of a change's entry and employment, as the share-change functions return them. */
export const ENTRY_AND_EMPLOYMENT_COLUMNS = `
    entry_id text, entry_user_id uuid, entry_brand_id uuid, entry_shares integer, entry_requested_shares integer,
    entry_reason text, entry_source_type text, entry_source_id text, entry_idempotency_key text,
    entry_reverses text, entry_restores text, entry_created_at timestamptz,
    employment_id uuid, employment_user_id uuid, employment_brand_id uuid, employment_shares integer,
    employment_title text, employment_salary integer, employment_since timestamptz,
    employment_shares_reached_at timestamptz, employment_recent_shares integer,
    employment_recent_as_of timestamptz, employment_recent_reached_at timestamptz`;

// The key's entry or withheld credit, the user's hold, the employment, and the sum of the recent window
// that starts p_window_ms before the later of the employment's recent_as_of and the change's time
// (replaced by apply_share_change in migration 1764180000000, whose down restores it).
export const LOCKED_EMPLOYMENT_CHANGE_STATE = `
  CREATE FUNCTION locked_employment_change_state(
    p_user_id text, p_brand_id text, p_idempotency_key text, p_at timestamptz, p_window_ms double precision
  ) RETURNS TABLE (
    ${ENTRY_AND_EMPLOYMENT_COLUMNS},
    withheld boolean, hold_state text, window_shares integer
  ) LANGUAGE plpgsql AS $$
  #variable_conflict use_column
  BEGIN
    PERFORM lock_employment(p_user_id, p_brand_id);
    RETURN QUERY
      SELECT entry.id::text, entry.user_id, entry.brand_id, entry.shares, entry.requested_shares, entry.reason,
             entry.source_type, entry.source_id, entry.idempotency_key, entry.reverses::text,
             entry.restores::text, entry.created_at,
             employment.id, employment.user_id, employment.brand_id, employment.shares, employment.title,
             employment.salary, employment.since, employment.shares_reached_at, employment.recent_shares,
             employment.recent_as_of, employment.recent_reached_at,
             EXISTS (SELECT 1 FROM withheld_credits w WHERE w.idempotency_key = p_idempotency_key),
             (SELECT h.state FROM credit_holds h WHERE h.user_id = p_user_id::uuid),
             (SELECT coalesce(sum(l.shares), 0)::int FROM share_ledger l
               WHERE l.user_id = p_user_id::uuid AND l.brand_id = p_brand_id::uuid
                 AND l.created_at >= greatest(employment.recent_as_of, p_at) - p_window_ms * interval '1 millisecond')
        FROM (SELECT) one
        LEFT JOIN share_ledger entry ON entry.idempotency_key = p_idempotency_key
        LEFT JOIN employments employment
          ON employment.user_id = p_user_id::uuid AND employment.brand_id = p_brand_id::uuid;
  END $$`;

/**
 * The (user, brand) lock and the state a share change starts from, in one round trip (issue 6). One
 * statement cannot take the lock and read: its snapshot is taken before the lock is granted, so it would
 * miss what the holder before it committed. A PL/pgSQL function can: each statement in it takes a new
 * snapshot (READ COMMITTED), the read after the locks. ShareLedgerRepository calls both.
 */
export class EmploymentChangeState1764136000000 implements MigrationInterface {
  name = 'EmploymentChangeState1764136000000';

  async up(db: QueryRunner): Promise<void> {
    // The user's credit lock first, shared: a decision on their credit hold takes it alone (CreditHoldsRepository).
    await db.query(`
      CREATE FUNCTION lock_employment(p_user_id text, p_brand_id text) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock_shared(hashtext('credit:' || p_user_id)),
                pg_advisory_xact_lock(hashtext('employment:' || p_user_id), hashtext(p_brand_id));
      END $$`);
    await db.query(LOCKED_EMPLOYMENT_CHANGE_STATE);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION locked_employment_change_state(text, text, text, timestamptz, double precision)`);
    await db.query(`DROP FUNCTION lock_employment(text, text)`);
  }
}
