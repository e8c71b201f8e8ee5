import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedRows, queryRows } from '@boardroom/core';
import type { CreditHoldState } from '../holds/credit-holds.types.js';
import type { Title } from '../rules.js';
import type { EmploymentRecord, LedgerEntryRecord, LedgerReason, ShareChange } from './ledger.types.js';

export interface EntryRow {
  id: string;
  user_id: string;
  brand_id: string;
  shares: number;
  requested_shares: number;
  reason: LedgerReason;
  source_type: string;
  source_id: string;
  idempotency_key: string;
  reverses: string | null;
  restores: string | null;
  created_at: Date;
}

export interface EmploymentRow {
  id: string;
  user_id: string;
  brand_id: string;
  shares: number;
  title: Title;
  salary: number;
  since: Date;
  shares_reached_at: Date;
  recent_shares: number;
  recent_as_of: Date;
  recent_reached_at: Date;
}

export const ENTRY_COLUMNS = `id::text, user_id, brand_id, shares, requested_shares, reason, source_type, source_id,
  idempotency_key, reverses::text, restores::text, created_at`;
export const EMPLOYMENT_COLUMNS = `id, user_id, brand_id, shares, title, salary, since, shares_reached_at, recent_shares,
  recent_as_of, recent_reached_at`;

/** The employment columns qualified by a table alias, for queries that join. */
export function employmentColumns(alias: string): string {
  return EMPLOYMENT_COLUMNS.split(',')
    .map((column) => `${alias}.${column.trim()}`)
    .join(', ');
}

/** The columns `<alias>_<name>` of a row, as a row of their own; null when its id is null (none found). */
function unprefixed<T>(row: Record<string, unknown>, alias: string): T | null {
  if (row[`${alias}_id`] === null) return null;
  const prefix = `${alias}_`;
  const columns: Record<string, unknown> = {};
  for (const key in row) if (key.startsWith(prefix)) columns[key.slice(prefix.length)] = row[key];
  return columns as T;
}

/** The rules' numbers apply_share_change decides a change by (see ShareLedger). */
export interface ProjectionRules {
  /** The titles that follow shares, lowest first, and the shares each needs. */
  shareTitles: readonly string[];
  titleFloors: readonly number[];
  /** Every title, and its base salary. */
  titles: readonly string[];
  salaryBases: readonly number[];
  salaryPerShare: number;
  ceoMinShares: number;
  ceoMinRecentShares: number;
}

/** What apply_share_change did with a change, under the (user, brand) lock. */
export type ChangeResult =
  /** The idempotency key had its entry already: nothing written. */
  | { outcome: 'EXISTING'; entry: LedgerEntryRecord; employment: EmploymentRecord }
  /** An earning from a held account: nothing written. `withheld`: the key's credit was withheld before. */
  | { outcome: 'WITHHELD'; withheld: boolean; holdState: CreditHoldState | null }
  /** The entry and the employment as written; `swaysSeat`: the seat lock is held and the seat is to be decided. */
  | {
      outcome: 'APPLIED';
      entry: LedgerEntryRecord;
      employment: EmploymentRecord;
      formerTitle: Title;
      swaysSeat: boolean;
    };

export const toEntry = (row: EntryRow): LedgerEntryRecord => ({
  id: row.id,
  userId: row.user_id,
  brandId: row.brand_id,
  shares: row.shares,
  requestedShares: row.requested_shares,
  reason: row.reason,
  sourceType: row.source_type,
  sourceId: row.source_id,
  idempotencyKey: row.idempotency_key,
  reverses: row.reverses,
  restores: row.restores,
  createdAt: row.created_at,
});

export const toEmployment = (row: EmploymentRow): EmploymentRecord => ({
  id: row.id,
  userId: row.user_id,
  brandId: row.brand_id,
  shares: row.shares,
  title: row.title,
  salary: row.salary,
  since: row.since,
  sharesReachedAt: row.shares_reached_at,
  recentShares: row.recent_shares,
  recentAsOf: row.recent_as_of,
  recentReachedAt: row.recent_reached_at,
});

/**
 * All SQL on `share_ledger` and `employments` (the caps' count and the state of a change read
 * `withheld_credits` and `credit_holds` too).
 */
@Injectable()
export class ShareLedgerRepository {
  /**
   * Serializes every change of one (user, brand) — the caps counted, the entry and the projection —
   * whether or not the employment exists yet (the first entry creates it).
   */
  async lockEmployment(manager: EntityManager, userId: string, brandId: string): Promise<void> {
    // The function of migration 1764136000000, which the change state takes too: one definition of the lock.
    await preparedRows(manager, 'share_ledger_lock', `SELECT lock_employment($1, $2)`, [userId, brandId]);
  }

  /** Serializes the comment credit of one user across brands: the daily comment cap counts all of them. */
  async lockCommentCredit(manager: EntityManager, userId: string): Promise<void> {
    await queryRows(manager, `SELECT pg_advisory_xact_lock(hashtext('comment-credit:' || $1))`, [userId]);
  }

  async findEmployment(manager: EntityManager, userId: string, brandId: string): Promise<EmploymentRecord | null> {
    const [row] = await queryRows<EmploymentRow>(
      manager,
      `SELECT ${EMPLOYMENT_COLUMNS} FROM employments WHERE user_id = $1 AND brand_id = $2`,
      [userId, brandId],
    );
    return row ? toEmployment(row) : null;
  }

  /**
   * The change, in one round trip (the function of migration 1764180000000): the (user, brand) lock, then,
   * unless the key has its entry or (with `withholdingStates`, for an earning) the credit is withheld, the
   * entry, the projection by `rules` and a first entry's event. The recent window starts `windowMs` before
   * the later of the employment's `recent_as_of` and the change's time.
   */
  async applyChange(
    manager: EntityManager,
    change: ShareChange,
    options: { windowMs: number; withholdingStates: readonly CreditHoldState[] | null; rules: ProjectionRules },
  ): Promise<ChangeResult> {
    const { windowMs, withholdingStates, rules } = options;
    const [row] = await preparedRows<
      Record<string, unknown> & {
        outcome: ChangeResult['outcome'];
        former_title: Title;
        sways_seat: boolean;
        withheld: boolean;
        hold_state: CreditHoldState | null;
      }
    >(
      manager,
      'share_ledger_apply_change',
      `SELECT * FROM apply_share_change($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                                        $18, $19)`,
      [
        change.userId,
        change.brandId,
        change.idempotencyKey,
        change.at,
        windowMs,
        change.shares,
        change.reason,
        change.sourceType,
        change.sourceId,
        change.reverses ?? null,
        change.restores ?? null,
        withholdingStates,
        rules.shareTitles,
        rules.titleFloors,
        rules.titles,
        rules.salaryBases,
        rules.salaryPerShare,
        rules.ceoMinShares,
        rules.ceoMinRecentShares,
      ],
    );
    if (row!.outcome === 'WITHHELD')
      return { outcome: 'WITHHELD', withheld: row!.withheld, holdState: row!.hold_state };
    const entry = toEntry(unprefixed<EntryRow>(row!, 'entry')!);
    const employment = toEmployment(unprefixed<EmploymentRow>(row!, 'employment')!);
    if (row!.outcome === 'EXISTING') return { outcome: 'EXISTING', entry, employment };
    return { outcome: 'APPLIED', entry, employment, formerTitle: row!.former_title, swaysSeat: row!.sways_seat };
  }

  async findEntryByKey(manager: EntityManager, idempotencyKey: string): Promise<LedgerEntryRecord | null> {
    const [row] = await queryRows<EntryRow>(
      manager,
      `SELECT ${ENTRY_COLUMNS} FROM share_ledger WHERE idempotency_key = $1`,
      [idempotencyKey],
    );
    return row ? toEntry(row) : null;
  }

  /**
   * Earning entries of a reason for (user, brand) in [from, to), and the earnings withheld from a held
   * account, whatever became of them: what the daily caps count (reversals do not free a slot, and a
   * release never takes one twice).
   */
  async countEarning(
    manager: EntityManager,
    userId: string,
    brandId: string | null,
    reason: LedgerReason,
    from: Date,
    to: Date,
  ): Promise<number> {
    const [row] = await queryRows<{ count: number }>(
      manager,
      `SELECT ((SELECT count(*) FROM share_ledger
                WHERE user_id = $1 AND ($2::uuid IS NULL OR brand_id = $2) AND reason = $3 AND shares > 0
                  AND created_at >= $4 AND created_at < $5)
            + (SELECT count(*) FROM withheld_credits
                WHERE user_id = $1 AND ($2::uuid IS NULL OR brand_id = $2) AND reason = $3
                  AND created_at >= $4 AND created_at < $5))::int AS count`,
      [userId, brandId, reason, from, to],
    );
    return row!.count;
  }

  /**
   * Employments, after `after` by (user, brand), whose recent window lost an entry since it was last
   * taken: an entry at or after their window's start then, and before `windowStart` now.
   */
  async staleRecent(
    manager: EntityManager,
    windowStart: Date,
    windowDays: number,
    after: [userId: string, brandId: string] | null,
    limit: number,
  ): Promise<{ userId: string; brandId: string }[]> {
    return queryRows(
      manager,
      `SELECT e.user_id AS "userId", e.brand_id AS "brandId" FROM employments e
        WHERE ($1::uuid IS NULL OR (e.user_id, e.brand_id) > ($1::uuid, $2::uuid))
          AND EXISTS (SELECT 1 FROM share_ledger l
                       WHERE l.user_id = e.user_id AND l.brand_id = e.brand_id
                         AND l.created_at >= e.recent_as_of - make_interval(days => $3) AND l.created_at < $4)
        ORDER BY e.user_id, e.brand_id
        LIMIT $5`,
      [after?.[0] ?? null, after?.[1] ?? null, windowDays, windowStart, limit],
    );
  }

  /** Takes the recent window of (user, brand) again at `asOf` (never backwards); the caller holds its lock. */
  async retakeRecent(
    manager: EntityManager,
    userId: string,
    brandId: string,
    asOf: Date,
    windowStart: Date,
  ): Promise<void> {
    await queryRows(
      manager,
      `UPDATE employments e
          SET recent_shares = s.total, recent_as_of = $3,
              recent_reached_at = CASE WHEN e.recent_shares = s.total THEN e.recent_reached_at ELSE $3 END
         FROM (SELECT coalesce(sum(shares), 0)::int AS total FROM share_ledger
                WHERE user_id = $1 AND brand_id = $2 AND created_at >= $4) s
        WHERE e.user_id = $1 AND e.brand_id = $2 AND e.recent_as_of < $3`,
      [userId, brandId, asOf, windowStart],
    );
  }

  /**
   * Employments whose recent shares differ from the sum of their window as last taken (check-ledger).
   * Exact only for a window taken on or after every entry's time, which the projection guarantees.
   */
  async recentDifferences(
    manager: EntityManager,
    windowDays: number,
  ): Promise<{ userId: string; brandId: string; projected: number; ledger: number }[]> {
    return queryRows(
      manager,
      `SELECT e.user_id AS "userId", e.brand_id AS "brandId", e.recent_shares AS projected, s.total AS ledger
         FROM employments e
         CROSS JOIN LATERAL (SELECT coalesce(sum(l.shares), 0)::int AS total FROM share_ledger l
                              WHERE l.user_id = e.user_id AND l.brand_id = e.brand_id
                                AND l.created_at >= e.recent_as_of - make_interval(days => $1)) s
        WHERE e.recent_shares <> s.total
        ORDER BY 1, 2`,
      [windowDays],
    );
  }

  /**
   * Employments whose title or salary is not what their shares (or the seat) give, or whose user_banned is
   * not their user's ban, and brands with two CEOs.
   */
  async standingDifferences(
    manager: EntityManager,
    titles: { title: string; minShares: number }[],
    salary: { base: Record<string, number>; perShare: number },
  ): Promise<string[]> {
    const byShares = `CASE ${[...titles]
      .sort((a, b) => b.minShares - a.minShares)
      .map((t) => `WHEN e.shares >= ${Math.trunc(t.minShares)} THEN '${t.title}'`)
      .join(' ')} END`;
    const base = `CASE e.title ${Object.entries(salary.base)
      .map(([title, amount]) => `WHEN '${title}' THEN ${Math.trunc(amount)}`)
      .join(' ')} END`;
    const rows = await queryRows<{ problem: string }>(
      manager,
      `SELECT 'user ' || e.user_id || ' in brand ' || e.brand_id || ': title ' || e.title || ' with ' || e.shares
                || ' shares, salary ' || e.salary AS problem
         FROM employments e
        WHERE (e.title <> 'CEO' AND e.title <> ${byShares})
           OR e.salary <> ${base} + ${Math.trunc(salary.perShare)} * e.shares
       UNION ALL
       SELECT 'user ' || e.user_id || ' in brand ' || e.brand_id || ': user_banned is ' || e.user_banned
                || ' but the user is ' || CASE WHEN u.banned_at IS NULL THEN 'not banned' ELSE 'banned' END
         FROM employments e JOIN users u ON u.id = e.user_id
        WHERE e.user_banned <> (u.banned_at IS NOT NULL)
       UNION ALL
       SELECT 'brand ' || brand_id || ' has ' || count(*) || ' CEOs' FROM employments
        WHERE title = 'CEO' GROUP BY brand_id HAVING count(*) > 1`,
    );
    return rows.map((row) => row.problem);
  }

  /** Share counts per brand that differ from the unbanned employments' (check-ledger). */
  async shareCountDifferences(
    manager: EntityManager,
  ): Promise<{ brandId: string; shares: number; counted: number; actual: number }[]> {
    return queryRows(
      manager,
      `SELECT coalesce(c.brand_id, e.brand_id) AS "brandId", coalesce(c.shares, e.shares) AS shares,
              coalesce(c.employees, 0) AS counted, coalesce(e.employees, 0)::int AS actual
         FROM brand_share_counts c
         FULL JOIN (SELECT brand_id, shares, count(*) AS employees FROM employments WHERE NOT user_banned
                     GROUP BY brand_id, shares) e
           ON e.brand_id = c.brand_id AND e.shares = c.shares
        WHERE coalesce(c.employees, 0) <> coalesce(e.employees, 0)
        ORDER BY 1, 2`,
    );
  }

  /** Employments whose shares differ from their ledger's sum, or ledgers without an employment (check-ledger). */
  async shareDifferences(
    manager: EntityManager,
  ): Promise<{ userId: string; brandId: string; projected: number | null; ledger: number }[]> {
    return queryRows(
      manager,
      `SELECT coalesce(e.user_id, l.user_id) AS "userId", coalesce(e.brand_id, l.brand_id) AS "brandId",
              e.shares AS projected, coalesce(l.total, 0)::int AS ledger
         FROM employments e
         FULL JOIN (SELECT user_id, brand_id, sum(shares) AS total FROM share_ledger GROUP BY user_id, brand_id) l
           ON l.user_id = e.user_id AND l.brand_id = e.brand_id
        WHERE e.shares IS DISTINCT FROM coalesce(l.total, 0) OR coalesce(l.total, 0) < 0
        ORDER BY 1, 2`,
    );
  }
}
