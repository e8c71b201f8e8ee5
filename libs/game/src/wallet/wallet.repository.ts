import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';

export type WalletReason = 'PAYROLL' | 'REDEMPTION' | 'REVERSAL';

export interface WalletEntryRecord {
  id: string;
  userId: string;
  amount: number;
  reason: WalletReason;
  createdAt: Date;
}

/** All SQL on `wallet_ledger` and its projection `wallets`. */
@Injectable()
export class WalletRepository {
  async balance(manager: EntityManager, userId: string): Promise<number> {
    const [row] = await queryRows<{ balance: number }>(manager, `SELECT balance FROM wallets WHERE user_id = $1`, [
      userId,
    ]);
    return row?.balance ?? 0;
  }

  /** Newest first: `after` is the id of the last entry of the previous page. */
  async entries(
    manager: EntityManager,
    userId: string,
    after: string | null,
    limit: number,
  ): Promise<WalletEntryRecord[]> {
    return queryRows<WalletEntryRecord>(
      manager,
      `SELECT id::text, user_id AS "userId", amount, reason, created_at AS "createdAt" FROM wallet_ledger
        WHERE user_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint)
        ORDER BY id DESC
        LIMIT $3`,
      [userId, after, limit],
    );
  }

  /**
   * Pays one batch of a payroll week, in one statement: the next `limit` employments after `afterId`
   * (by id) with a positive share entry in [activityFrom, runAt) get salary / weeksPerYear (rounded down)
   * under the key `payroll:<employmentId>:<isoWeek>`; a key already paid inserts nothing and credits
   * nothing, so a week re-run, or run by two workers, pays each employment once.
   */
  async payBatch(
    manager: EntityManager,
    batch: {
      isoWeek: string;
      runAt: Date;
      activityFrom: Date;
      weeksPerYear: number;
      afterId: string | null;
      limit: number;
    },
  ): Promise<{ lastId: string | null; paid: number; amount: number }> {
    const [row] = await queryRows<{ last_id: string | null; paid: number; amount: string | null }>(
      manager,
      `WITH batch AS (
         SELECT e.id, e.user_id, e.salary FROM employments e
          WHERE ($1::uuid IS NULL OR e.id > $1::uuid)
            AND EXISTS (SELECT 1 FROM share_ledger l
                         WHERE l.user_id = e.user_id AND l.brand_id = e.brand_id AND l.shares > 0
                           AND l.created_at >= $2 AND l.created_at < $3)
          ORDER BY e.id
          LIMIT $4
       ), paid AS (
         INSERT INTO wallet_ledger (user_id, amount, requested_amount, reason, source_type, source_id,
                                    idempotency_key, created_at)
         SELECT user_id, salary / $5, salary / $5, 'PAYROLL', 'employment', id::text,
                'payroll:' || id || ':' || $6, $3
           FROM batch WHERE salary / $5 > 0
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING user_id, amount
       ), credited AS (
         INSERT INTO wallets (user_id, balance)
         SELECT user_id, sum(amount) FROM paid GROUP BY user_id
         ON CONFLICT (user_id) DO UPDATE SET balance = wallets.balance + excluded.balance
       )
       SELECT (SELECT max(id::text) FROM batch) AS last_id, (SELECT count(*)::int FROM paid) AS paid,
              (SELECT sum(amount) FROM paid) AS amount`,
      [batch.afterId, batch.activityFrom, batch.runAt, batch.limit, batch.weeksPerYear, batch.isoWeek],
    );
    return { lastId: row!.last_id, paid: row!.paid, amount: Number(row!.amount ?? 0) };
  }

  /**
   * Takes `debit.amount` (> 0) from the wallet with its ledger entry, in one statement, only if the balance
   * covers it: the conditional UPDATE holds the wallet's row lock, so concurrent debits never overdraw.
   * Returns false (nothing written) when the balance is short.
   */
  async debit(
    manager: EntityManager,
    debit: {
      userId: string;
      amount: number;
      reason: WalletReason;
      sourceType: string;
      sourceId: string;
      idempotencyKey: string;
      at: Date;
    },
  ): Promise<boolean> {
    const rows = await queryRows(
      manager,
      `WITH debited AS (
         UPDATE wallets SET balance = balance - $2 WHERE user_id = $1 AND balance >= $2 RETURNING user_id
       )
       INSERT INTO wallet_ledger (user_id, amount, requested_amount, reason, source_type, source_id,
                                  idempotency_key, created_at)
       SELECT user_id, -$2::int, -$2::int, $3, $4, $5, $6, $7 FROM debited
       RETURNING id`,
      [debit.userId, debit.amount, debit.reason, debit.sourceType, debit.sourceId, debit.idempotencyKey, debit.at],
    );
    return rows.length > 0;
  }

  /** The latest completed payroll run, to catch up the Mondays no worker ran. */
  async lastRunAt(manager: EntityManager): Promise<Date | null> {
    const [row] = await queryRows<{ run_at: Date | null }>(manager, `SELECT max(run_at) AS run_at FROM payroll_runs`);
    return row?.run_at ?? null;
  }

  async recordRun(
    manager: EntityManager,
    run: { isoWeek: string; runAt: Date; paid: number; amount: number; completedAt: Date },
  ): Promise<void> {
    await queryRows(
      manager,
      `INSERT INTO payroll_runs (iso_week, run_at, employments_paid, amount_paid, completed_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (iso_week) DO NOTHING`,
      [run.isoWeek, run.runAt, run.paid, run.amount, run.completedAt],
    );
  }

  /** Wallets whose balance differs from their ledger's sum, or is negative (check-ledger). */
  async balanceDifferences(
    manager: EntityManager,
  ): Promise<{ userId: string; projected: number | null; ledger: number }[]> {
    return queryRows(
      manager,
      `SELECT coalesce(w.user_id, l.user_id) AS "userId", w.balance AS projected, coalesce(l.total, 0)::int AS ledger
         FROM wallets w
         FULL JOIN (SELECT user_id, sum(amount) AS total FROM wallet_ledger GROUP BY user_id) l ON l.user_id = w.user_id
        WHERE coalesce(w.balance, 0) <> coalesce(l.total, 0) OR coalesce(l.total, 0) < 0
        ORDER BY 1`,
    );
  }
}
