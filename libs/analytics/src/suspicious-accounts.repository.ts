import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';
import { accountSuspicion } from './account-suspicion.js';

export interface SuspiciousAccount {
  userId: string;
  /** The noisy-or of the account's open flags, the strongest of each detector. */
  score: number;
  detectors: string[];
}

/** The accounts the detectors' open flags make suspicious, and moderators' decisions on those flags. */
@Injectable()
export class SuspiciousAccountsRepository {
  /** Accounts whose open account flags combine to at least `threshold`, most suspicious first. */
  async atLeast(manager: EntityManager, threshold: number): Promise<SuspiciousAccount[]> {
    const rows = await queryRows<{ userId: string; detectors: string[]; scores: number[] }>(
      manager,
      `SELECT subject_id AS "userId", array_agg(detector ORDER BY detector) AS detectors,
              array_agg(score ORDER BY detector) AS scores
         FROM (SELECT subject_id, detector, max(score)::float8 AS score FROM flags
                WHERE subject_type = 'ACCOUNT' AND state = 'OPEN' GROUP BY subject_id, detector) AS strongest
        GROUP BY subject_id
        -- The noisy-or, in SQL so only candidates travel (a hair below the threshold: float rounding); the
        -- exact value is accountSuspicion's, below.
       HAVING 1 - exp(sum(ln(greatest(1e-12, 1 - greatest(0, score))))) >= $1::float8 - 1e-9`,
      [threshold],
    );
    return rows
      .map((row) => ({ userId: row.userId, detectors: row.detectors, score: accountSuspicion(row.scores) }))
      .filter((account) => account.score >= threshold)
      .sort((a, b) => b.score - a.score || a.userId.localeCompare(b.userId));
  }

  /** A moderator decided on the account: its open account flags take the decision (they no longer count as open). */
  async decide(manager: EntityManager, userId: string, state: 'CLEARED' | 'CONFIRMED', at: Date): Promise<number> {
    const decided = await queryRows<{ id: string }>(
      manager,
      `UPDATE flags SET state = $2, decided_at = $3, updated_at = $3
        WHERE subject_type = 'ACCOUNT' AND subject_id = $1 AND state = 'OPEN' RETURNING id`,
      [userId, state, at],
    );
    return decided.length;
  }
}
