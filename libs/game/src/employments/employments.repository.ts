import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';
import type { EmploymentRecord, LedgerEntryRecord } from '../ledger/ledger.types.js';
import {
  employmentColumns,
  ENTRY_COLUMNS,
  toEmployment,
  toEntry,
  type EmploymentRow,
  type EntryRow,
} from '../ledger/share-ledger.repository.js';

/** A leaderboard row: the employment and its place's exact key (shares_reached_at as PostgreSQL's text). */
export interface BoardRow extends EmploymentRecord {
  reachedKey: string;
}

/** Where a leaderboard page starts: after the row with these shares, reached-at text and user id. */
export type BoardPageStart = [shares: number, reachedKey: string, userId: string] | null;

const E = employmentColumns('e');

/** The reads of employments and their ledgers for the API: boards, ranks, a user's brands. */
@Injectable()
export class EmploymentsRepository {
  /**
   * A brand's board: shares desc, then who reached the count first, then user id; banned users left out
   * (`user_banned`, so the page is one range of the partial index employments_board). After a cursor, the
   * rest of the tied group and the lower counts are two index range scans, so a deep page costs what the
   * first one does.
   */
  async leaderboard(
    manager: EntityManager,
    brandId: string,
    after: BoardPageStart,
    limit: number,
  ): Promise<BoardRow[]> {
    const select = `SELECT ${E}, e.shares_reached_at::text AS reached_key FROM employments e`;
    const order = `ORDER BY shares DESC, shares_reached_at, user_id LIMIT $2`;
    const rows = after
      ? await queryRows<EmploymentRow & { reached_key: string }>(
          manager,
          `(${select} WHERE e.brand_id = $1 AND e.shares = $3 AND (e.shares_reached_at, e.user_id) > ($4::timestamptz, $5::uuid)
              AND NOT e.user_banned ${order})
           UNION ALL
           (${select} WHERE e.brand_id = $1 AND e.shares < $3 AND NOT e.user_banned ${order})
           ${order}`,
          [brandId, limit, after[0], after[1], after[2]],
        )
      : await queryRows<EmploymentRow & { reached_key: string }>(
          manager,
          `${select} WHERE e.brand_id = $1 AND NOT e.user_banned ${order}`,
          [brandId, limit],
        );
    return rows.map((row) => ({ ...toEmployment(row), reachedKey: row.reached_key }));
  }

  /**
   * The rank of each employment: 1 + the unbanned employees ahead on its board, in one statement however
   * many. Those with more shares are a sum over brand_share_counts (one row per share count held in the
   * brand, not per employee; the banned are not counted); those as many, reached earlier, an index-only
   * count of the tie on employments_board.
   */
  async ranks(manager: EntityManager, employmentIds: readonly string[]): Promise<{ id: string; rank: number }[]> {
    return queryRows(
      manager,
      `SELECT e.id,
              (1
               + (SELECT coalesce(sum(c.employees), 0) FROM brand_share_counts c
                   WHERE c.brand_id = e.brand_id AND c.shares > e.shares)
               + (SELECT count(*) FROM employments a
                   WHERE a.brand_id = e.brand_id AND a.shares = e.shares AND NOT a.user_banned
                     AND (a.shares_reached_at, a.user_id) < (e.shares_reached_at, e.user_id)))::int AS rank
         FROM employments e WHERE e.id = ANY($1::uuid[])`,
      [employmentIds],
    );
  }

  /** A user's employments, most shares first (then brand id): `after` is [shares, brandId]. */
  async listByUser(
    manager: EntityManager,
    userId: string,
    after: [shares: number, brandId: string] | null,
    limit: number,
  ): Promise<EmploymentRecord[]> {
    const rows = await queryRows<EmploymentRow>(
      manager,
      `SELECT ${E} FROM employments e
        WHERE e.user_id = $1 AND ($2::int IS NULL OR (e.shares < $2 OR (e.shares = $2 AND e.brand_id > $3::uuid)))
        ORDER BY e.shares DESC, e.brand_id
        LIMIT $4`,
      [userId, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
    return rows.map(toEmployment);
  }

  async findByIds(manager: EntityManager, ids: readonly string[]): Promise<EmploymentRecord[]> {
    const rows = await queryRows<EmploymentRow>(
      manager,
      `SELECT ${E} FROM employments e WHERE e.id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map(toEmployment);
  }

  /** The seated CEOs of these brands (banned ones included: the seat is theirs until it is decided). */
  async ceosOf(manager: EntityManager, brandIds: readonly string[]): Promise<EmploymentRecord[]> {
    const rows = await queryRows<EmploymentRow>(
      manager,
      `SELECT ${E} FROM employments e WHERE e.brand_id = ANY($1::uuid[]) AND e.title = 'CEO'`,
      [brandIds],
    );
    return rows.map(toEmployment);
  }

  /** One user's employments in these brands. */
  async ofUserIn(manager: EntityManager, userId: string, brandIds: readonly string[]): Promise<EmploymentRecord[]> {
    const rows = await queryRows<EmploymentRow>(
      manager,
      `SELECT ${E} FROM employments e WHERE e.user_id = $1 AND e.brand_id = ANY($2::uuid[])`,
      [userId, brandIds],
    );
    return rows.map(toEmployment);
  }

  /** Employees per brand, banned users left out; brands without any are missing. */
  async employeeCounts(
    manager: EntityManager,
    brandIds: readonly string[],
  ): Promise<{ brandId: string; count: number }[]> {
    return queryRows(
      manager,
      `SELECT brand_id AS "brandId", sum(employees)::int AS count FROM brand_share_counts
        WHERE brand_id = ANY($1::uuid[])
        GROUP BY brand_id HAVING sum(employees) > 0`,
      [brandIds],
    );
  }

  /** An employment's ledger, newest first: `after` is the id of the last entry of the previous page. */
  async ledgerPage(
    manager: EntityManager,
    employment: Pick<EmploymentRecord, 'userId' | 'brandId'>,
    after: string | null,
    limit: number,
  ): Promise<LedgerEntryRecord[]> {
    const rows = await queryRows<EntryRow>(
      manager,
      `SELECT ${ENTRY_COLUMNS} FROM share_ledger
        WHERE user_id = $1 AND brand_id = $2 AND ($3::bigint IS NULL OR id < $3::bigint)
        ORDER BY id DESC
        LIMIT $4`,
      [employment.userId, employment.brandId, after, limit],
    );
    return rows.map(toEntry);
  }

  async entriesByIds(manager: EntityManager, ids: readonly string[]): Promise<LedgerEntryRecord[]> {
    const rows = await queryRows<EntryRow>(
      manager,
      `SELECT ${ENTRY_COLUMNS} FROM share_ledger WHERE id = ANY($1::bigint[])`,
      [ids],
    );
    return rows.map(toEntry);
  }
}
