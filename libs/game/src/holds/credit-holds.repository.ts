import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';
import type { ShareChange } from '../ledger/ledger.types.js';
import type {
  CreditHoldRecord,
  CreditHoldState,
  WithheldCreditRecord,
  WithheldCreditState,
} from './credit-holds.types.js';

interface HoldRow {
  user_id: string;
  state: CreditHoldState;
  score: number;
  detectors: string[];
  held_at: Date;
  appeal: string | null;
  appealed_at: Date | null;
  decided_at: Date | null;
}

interface WithheldRow {
  id: string;
  user_id: string;
  brand_id: string;
  shares: number;
  reason: WithheldCreditRecord['reason'];
  source_type: WithheldCreditRecord['sourceType'];
  source_id: string;
  idempotency_key: string;
  state: WithheldCreditState;
  created_at: Date;
}

const HOLD_COLUMNS = `user_id, state, score, detectors, held_at, appeal, appealed_at, decided_at`;
const WITHHELD_COLUMNS = `id::text, user_id, brand_id, shares, reason, source_type, source_id, idempotency_key, state,
  created_at`;

const toHold = (row: HoldRow): CreditHoldRecord => ({
  userId: row.user_id,
  state: row.state,
  score: row.score,
  detectors: row.detectors,
  heldAt: row.held_at,
  appeal: row.appeal,
  appealedAt: row.appealed_at,
  decidedAt: row.decided_at,
});

const toWithheld = (row: WithheldRow): WithheldCreditRecord => ({
  id: row.id,
  userId: row.user_id,
  brandId: row.brand_id,
  shares: row.shares,
  reason: row.reason,
  sourceType: row.source_type,
  sourceId: row.source_id,
  idempotencyKey: row.idempotency_key,
  state: row.state,
  createdAt: row.created_at,
});

/** All SQL on `credit_holds` and `withheld_credits`. */
@Injectable()
export class CreditHoldsRepository {
  /**
   * Serializes a decision on the user's hold with their earnings: each earning holds the same lock shared
   * (ShareLedgerRepository.lockEmployment), so no credit is withheld under a hold being cleared.
   */
  async lockForDecision(manager: EntityManager, userId: string): Promise<void> {
    await queryRows(manager, `SELECT pg_advisory_xact_lock(hashtext('credit:' || $1))`, [userId]);
  }

  async findHold(manager: EntityManager, userId: string): Promise<CreditHoldRecord | null> {
    const [row] = await queryRows<HoldRow>(manager, `SELECT ${HOLD_COLUMNS} FROM credit_holds WHERE user_id = $1`, [
      userId,
    ]);
    return row ? toHold(row) : null;
  }

  /**
   * Holds the account, or holds it again after a moderator cleared it (new evidence). Null when it is
   * held already, appealed or confirmed: nothing changes.
   */
  async hold(
    manager: EntityManager,
    hold: { userId: string; score: number; detectors: readonly string[]; at: Date },
  ): Promise<CreditHoldRecord | null> {
    const [row] = await queryRows<HoldRow>(
      manager,
      `INSERT INTO credit_holds AS h (user_id, state, score, detectors, held_at) VALUES ($1, 'HELD', $2, $3::text[], $4)
       ON CONFLICT (user_id) DO UPDATE
         SET state = 'HELD', score = excluded.score, detectors = excluded.detectors, held_at = excluded.held_at,
             appeal = NULL, appealed_at = NULL, decided_at = NULL, decided_by = NULL
         WHERE h.state = 'CLEARED'
       RETURNING ${HOLD_COLUMNS}`,
      [hold.userId, hold.score, hold.detectors, hold.at],
    );
    return row ? toHold(row) : null;
  }

  /** Records the appeal of a HELD account; null when the account is not held (or appealed already). */
  async appeal(manager: EntityManager, userId: string, text: string, at: Date): Promise<CreditHoldRecord | null> {
    const [row] = await queryRows<HoldRow>(
      manager,
      `UPDATE credit_holds SET state = 'APPEALED', appeal = $2, appealed_at = $3
        WHERE user_id = $1 AND state = 'HELD' RETURNING ${HOLD_COLUMNS}`,
      [userId, text, at],
    );
    return row ? toHold(row) : null;
  }

  async decide(
    manager: EntityManager,
    userId: string,
    decision: { state: 'CLEARED' | 'CONFIRMED'; moderatorId: string; at: Date },
  ): Promise<void> {
    await queryRows(
      manager,
      `UPDATE credit_holds SET state = $2, decided_by = $3, decided_at = $4 WHERE user_id = $1`,
      [userId, decision.state, decision.moderatorId, decision.at],
    );
  }

  /** Withholds a cause's credit; null when the cause was withheld before (a redelivery). */
  async insertWithheld(
    manager: EntityManager,
    change: ShareChange,
    state: 'PENDING' | 'FORFEITED',
  ): Promise<WithheldCreditRecord | null> {
    const [row] = await queryRows<WithheldRow>(
      manager,
      `INSERT INTO withheld_credits (user_id, brand_id, shares, reason, source_type, source_id, idempotency_key, state,
                                     created_at, settled_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $8 = 'PENDING' THEN NULL ELSE $9::timestamptz END)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING ${WITHHELD_COLUMNS}`,
      [
        change.userId,
        change.brandId,
        change.shares,
        change.reason,
        change.sourceType,
        change.sourceId,
        change.idempotencyKey,
        state,
        change.at,
      ],
    );
    return row ? toWithheld(row) : null;
  }

  async findWithheld(manager: EntityManager, idempotencyKey: string): Promise<WithheldCreditRecord | null> {
    const [row] = await queryRows<WithheldRow>(
      manager,
      `SELECT ${WITHHELD_COLUMNS} FROM withheld_credits WHERE idempotency_key = $1`,
      [idempotencyKey],
    );
    return row ? toWithheld(row) : null;
  }

  /** The user's withheld credits waiting for the decision, oldest first. */
  async pendingOf(manager: EntityManager, userId: string): Promise<WithheldCreditRecord[]> {
    const rows = await queryRows<WithheldRow>(
      manager,
      `SELECT ${WITHHELD_COLUMNS} FROM withheld_credits WHERE user_id = $1 AND state = 'PENDING'
        ORDER BY id FOR UPDATE`,
      [userId],
    );
    return rows.map(toWithheld);
  }

  /** Settles pending credits: by id, or (cancel) the one of a cause. Returns how many were pending. */
  async settle(
    manager: EntityManager,
    which: { ids: readonly string[] } | { idempotencyKey: string },
    state: Exclude<WithheldCreditState, 'PENDING'>,
    at: Date,
  ): Promise<number> {
    const [byIds, key] = 'ids' in which ? [which.ids, null] : [null, which.idempotencyKey];
    const settled = await queryRows<{ id: string }>(
      manager,
      `UPDATE withheld_credits SET state = $3, settled_at = $4
        WHERE state = 'PENDING' AND (id = ANY($1::bigint[]) OR idempotency_key = $2) RETURNING id`,
      [byIds ?? [], key, state, at],
    );
    return settled.length;
  }

  /** The keys of every cause that earned the user shares (earnings and releases of withheld credit). */
  async earningKeysOf(manager: EntityManager, userId: string): Promise<string[]> {
    const rows = await queryRows<{ key: string }>(
      manager,
      `SELECT idempotency_key AS key FROM share_ledger
        WHERE user_id = $1 AND shares > 0
          AND (reason IN ('PHOTO_PUBLISHED', 'COMMENT_POSTED', 'INVITE_QUALIFIED', 'AWARD_BONUS')
               OR (reason = 'RESTORED' AND source_type = 'withheld'))
        ORDER BY id`,
      [userId],
    );
    return rows.map((row) => row.key);
  }
}
