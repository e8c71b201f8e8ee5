import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';
import { GAME_RULES, type GameRules } from '../rules.js';
import { employmentColumns, toEmployment, type EmploymentRow } from '../ledger/share-ledger.repository.js';
import type { EmploymentRecord } from '../ledger/ledger.types.js';

export interface SeatHolder extends EmploymentRecord {
  banned: boolean;
}

const SEAT_COLUMNS = employmentColumns('e');

/** The SQL of the CEO seat: the incumbent, the best candidate, and moving the seat. */
@Injectable()
export class CeoSeatRepository {
  /** Serializes the seat decisions of one brand (and the changes of the employments that can sway them). */
  async lockSeat(manager: EntityManager, brandId: string): Promise<void> {
    // The function of migration 1764180000000, which apply_share_change takes too: one definition of the lock.
    await queryRows(manager, `SELECT lock_ceo_seat($1)`, [brandId]);
  }

  /** The brands whose seat the user holds. */
  async brandsSeatedBy(manager: EntityManager, userId: string): Promise<string[]> {
    const rows = await queryRows<{ brand_id: string }>(
      manager,
      `SELECT brand_id FROM employments WHERE user_id = $1 AND title = 'CEO' ORDER BY brand_id`,
      [userId],
    );
    return rows.map((row) => row.brand_id);
  }

  async findIncumbent(manager: EntityManager, brandId: string): Promise<SeatHolder | null> {
    const [row] = await queryRows<EmploymentRow & { banned: boolean }>(
      manager,
      `SELECT ${SEAT_COLUMNS}, u.banned_at IS NOT NULL AS banned
         FROM employments e JOIN users u ON u.id = e.user_id
        WHERE e.brand_id = $1 AND e.title = 'CEO'`,
      [brandId],
    );
    return row ? { ...toEmployment(row), banned: row.banned } : null;
  }

  /**
   * The eligible employee a vacant seat would go to: the most recent shares, then who reached that count
   * first, then the smaller user id (decideCeo's order), banned users left out. The minimum is inlined
   * (a trusted number from the rules) so that the planner can use the partial employments_ceo_candidates index.
   */
  async bestCandidate(
    manager: EntityManager,
    brandId: string,
    rules: GameRules = GAME_RULES,
  ): Promise<EmploymentRecord | null> {
    const minShares = Math.trunc(rules.ceo.minShares);
    const [row] = await queryRows<EmploymentRow>(
      manager,
      `SELECT ${SEAT_COLUMNS} FROM employments e
        WHERE e.brand_id = $1 AND e.shares >= ${minShares} AND e.recent_shares >= $2
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = e.user_id AND u.banned_at IS NOT NULL)
        ORDER BY e.recent_shares DESC, e.recent_reached_at, e.user_id
        LIMIT 1`,
      [brandId, rules.ceo.minRecentShares],
    );
    return row ? toEmployment(row) : null;
  }

  /**
   * Whether the user may take a seat (not banned), holding their row against a ban until the caller
   * commits: a ban under way is waited for and seen, and a ban that comes after sees the new seat.
   */
  async lockEligible(manager: EntityManager, userId: string): Promise<boolean> {
    const [row] = await queryRows<{ eligible: boolean }>(
      manager,
      `SELECT banned_at IS NULL AS eligible FROM users WHERE id = $1 FOR SHARE`,
      [userId],
    );
    return row?.eligible ?? false;
  }

  async setTitle(
    manager: EntityManager,
    employmentId: string,
    title: EmploymentRecord['title'],
    salary: number,
  ): Promise<void> {
    await queryRows(manager, `UPDATE employments SET title = $2, salary = $3 WHERE id = $1`, [
      employmentId,
      title,
      salary,
    ]);
  }
}
