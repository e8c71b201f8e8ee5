import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  ENTRY_AND_EMPLOYMENT_COLUMNS,
  LOCKED_EMPLOYMENT_CHANGE_STATE,
} from './1764136000000-employment-change-state.js';

/**
 * A share change in one round trip (issue 6, award throughput: the lock, the state read, the entry, the
 * projection and the first entry's event took four before, and round trips were most of an award's cost).
 * `apply_share_change` takes the (user, brand) lock, then — unless the idempotency key has its entry already,
 * or the credit is to be withheld from a held account — writes the ledger entry, the employment projection
 * and, for a first entry, the `employment.started` event. The numbers (title floors, salaries, the seat's
 * minimums) are parameters from rules.ts, so a change of the rules needs no migration. A change that can
 * sway the brand's CEO seat takes the seat lock before reading the employment again (a decision that held
 * it before may have seated or unseated this employee); the caller then decides the seat, and writes the
 * title change's event and notification. ShareLedger is the one caller.
 *
 * Every statement in the function takes a new snapshot (READ COMMITTED), so the reads after the lock see
 * what the lock's previous holders committed (see migration 1764136000000).
 */
export class ApplyShareChange1764180000000 implements MigrationInterface {
  name = 'ApplyShareChange1764180000000';

  async up(db: QueryRunner): Promise<void> {
    // The seat's lock in one definition, for CeoSeatRepository and apply_share_change alike.
    await db.query(`
      CREATE FUNCTION lock_ceo_seat(p_brand_id text) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('ceo-seat'), hashtext(p_brand_id));
      END $$`);
    // outcome: EXISTING (the key's entry, nothing written), WITHHELD (nothing written: p_withholding_states is
    // given, for an earning, and the key's credit was withheld before or the user's hold state is one of them),
    // APPLIED (the new entry and
    // the employment as written; former_title is the title before it, sways_seat whether the seat lock was taken).
    await db.query(`
      CREATE FUNCTION apply_share_change(
        p_user_id text, p_brand_id text, p_idempotency_key text, p_at timestamptz, p_window_ms double precision,
        p_shares integer, p_reason text, p_source_type text, p_source_id text, p_reverses text, p_restores text,
        p_withholding_states text[],
        p_share_titles text[], p_title_floors integer[], p_titles text[], p_salary_bases integer[],
        p_salary_per_share integer, p_ceo_min_shares integer, p_ceo_min_recent_shares integer
      ) RETURNS TABLE (
        outcome text, former_title text, sways_seat boolean, withheld boolean, hold_state text,
        ${ENTRY_AND_EMPLOYMENT_COLUMNS}
      ) LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      DECLARE
        v_user_id uuid := p_user_id::uuid;
        v_brand_id uuid := p_brand_id::uuid;
        v_entry share_ledger%ROWTYPE;
        v_current employments%ROWTYPE;
        v_balance integer;
        v_applied integer;
        v_as_of timestamptz;
        v_window_start timestamptz;
        v_recent integer;
        v_title text;
        v_first boolean;
      BEGIN
        PERFORM lock_employment(p_user_id, p_brand_id);
        outcome := 'APPLIED';
        sways_seat := false;
        SELECT * INTO v_entry FROM share_ledger WHERE idempotency_key = p_idempotency_key;
        IF FOUND THEN
          outcome := 'EXISTING';
        ELSE
          withheld := EXISTS (SELECT 1 FROM withheld_credits w WHERE w.idempotency_key = p_idempotency_key);
          hold_state := (SELECT h.state FROM credit_holds h WHERE h.user_id = v_user_id);
          IF p_withholding_states IS NOT NULL AND (withheld OR hold_state = ANY (p_withholding_states)) THEN
            outcome := 'WITHHELD';
          END IF;
        END IF;
        SELECT * INTO v_current FROM employments WHERE user_id = v_user_id AND brand_id = v_brand_id;

        IF outcome = 'APPLIED' THEN
          v_balance := greatest(0, coalesce(v_current.shares, 0) + p_shares);
          v_applied := v_balance - coalesce(v_current.shares, 0);
          -- The window is taken at the latest instant the projection has seen: a transaction that waited
          -- for the lock may carry an earlier time than the one that went before it.
          v_as_of := greatest(v_current.recent_as_of, p_at);
          v_window_start := v_as_of - p_window_ms * interval '1 millisecond';
          v_recent := (SELECT coalesce(sum(l.shares), 0)::int FROM share_ledger l
                        WHERE l.user_id = v_user_id AND l.brand_id = v_brand_id AND l.created_at >= v_window_start)
                      + CASE WHEN p_at >= v_window_start THEN v_applied ELSE 0 END;
          -- Seated before, a candidate before, or a candidate after (the first two are NULL for a first entry).
          sways_seat := coalesce(v_current.title = 'CEO'
            OR (v_current.shares >= p_ceo_min_shares AND v_current.recent_shares >= p_ceo_min_recent_shares), false)
            OR (v_balance >= p_ceo_min_shares AND v_recent >= p_ceo_min_recent_shares);
          IF sways_seat THEN
            PERFORM lock_ceo_seat(p_brand_id);
            SELECT * INTO v_current FROM employments WHERE user_id = v_user_id AND brand_id = v_brand_id;
          END IF;
          former_title := coalesce(v_current.title, 'INTERN');
          -- A seated CEO keeps the seat until the seat's decision says otherwise.
          v_title := CASE WHEN former_title = 'CEO' THEN 'CEO' ELSE
            (SELECT t.title FROM unnest(p_share_titles, p_title_floors) WITH ORDINALITY AS t(title, floor, position)
              WHERE t.floor <= v_balance ORDER BY t.position DESC LIMIT 1) END;

          v_first := v_current.id IS NULL;
          INSERT INTO share_ledger (user_id, brand_id, shares, requested_shares, reason, source_type, source_id,
                                    idempotency_key, reverses, restores, created_at)
          VALUES (v_user_id, v_brand_id, v_applied, p_shares, p_reason, p_source_type, p_source_id,
                  p_idempotency_key, p_reverses::bigint, p_restores::bigint, p_at)
          RETURNING * INTO v_entry;
          INSERT INTO employments AS e (user_id, brand_id, shares, title, salary, since, shares_reached_at,
                                        recent_shares, recent_as_of, recent_reached_at)
          VALUES (v_user_id, v_brand_id, v_balance, v_title,
                  p_salary_bases[array_position(p_titles, v_title)] + p_salary_per_share * v_balance,
                  coalesce(v_current.since, p_at),
                  CASE WHEN v_applied <> 0 OR v_current.id IS NULL THEN p_at ELSE v_current.shares_reached_at END,
                  v_recent, v_as_of,
                  CASE WHEN v_current.id IS NULL OR v_current.recent_shares <> v_recent THEN p_at
                       ELSE v_current.recent_reached_at END)
          ON CONFLICT (user_id, brand_id) DO UPDATE
            SET shares = excluded.shares, title = excluded.title, salary = excluded.salary,
                shares_reached_at = excluded.shares_reached_at, recent_shares = excluded.recent_shares,
                recent_as_of = excluded.recent_as_of, recent_reached_at = excluded.recent_reached_at
          RETURNING e.* INTO v_current;
          -- Only for a first entry: what BRAND_HOPPER counts.
          IF v_first THEN
            INSERT INTO events (action, actor_id, brand_id, target_type, target_id, meta, occurred_at)
            VALUES ('employment.started', v_user_id, v_brand_id, 'employment', v_current.id::text,
                    jsonb_build_object('entryId', v_entry.id::text), p_at);
          END IF;
        END IF;

        entry_id := v_entry.id::text; entry_user_id := v_entry.user_id; entry_brand_id := v_entry.brand_id;
        entry_shares := v_entry.shares; entry_requested_shares := v_entry.requested_shares;
        entry_reason := v_entry.reason; entry_source_type := v_entry.source_type;
        entry_source_id := v_entry.source_id; entry_idempotency_key := v_entry.idempotency_key;
        entry_reverses := v_entry.reverses::text; entry_restores := v_entry.restores::text;
        entry_created_at := v_entry.created_at;
        employment_id := v_current.id; employment_user_id := v_current.user_id;
        employment_brand_id := v_current.brand_id; employment_shares := v_current.shares;
        employment_title := v_current.title; employment_salary := v_current.salary;
        employment_since := v_current.since; employment_shares_reached_at := v_current.shares_reached_at;
        employment_recent_shares := v_current.recent_shares; employment_recent_as_of := v_current.recent_as_of;
        employment_recent_reached_at := v_current.recent_reached_at;
        RETURN NEXT;
      END $$`);
    await db.query(`DROP FUNCTION locked_employment_change_state(text, text, text, timestamptz, double precision)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION apply_share_change(
      text, text, text, timestamptz, double precision, integer, text, text, text, text, text, text[],
      text[], integer[], text[], integer[], integer, integer, integer)`);
    await db.query(`DROP FUNCTION lock_ceo_seat(text)`);
    await db.query(LOCKED_EMPLOYMENT_CHANGE_STATE);
  }
}
