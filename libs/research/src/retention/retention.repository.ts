import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';

/** Where the fingerprint purge goes on from: the last event it nulled, in (occurred_at, id) order. */
export type EventPosition = { occurredAt: string; id: string };

/**
 * The retention purges' SQL on what no module purges for itself: fingerprint hashes in the events log (nulling
 * them is the one change its trigger allows) and the detectors' record of them, expired tokens and sessions,
 * rate-limit windows, finished jobs. Each statement changes at most one batch, so every transaction stays short.
 */
@Injectable()
export class RetentionRepository {
  /**
   * Nulls the fingerprints of up to `limit` events that occurred before `before`, the next after `after` in the
   * partial index events_fingerprinted; returns how many and the last one (null when none was left).
   */
  async forgetEventFingerprints(
    manager: EntityManager,
    before: Date,
    after: EventPosition | null,
    limit: number,
  ): Promise<{ count: number; last: EventPosition | null }> {
    const [row] = await queryRows<{ count: number; occurredAt: string; id: string }>(
      manager,
      `WITH batch AS (
         SELECT id, occurred_at FROM events
          WHERE (device_fingerprint IS NOT NULL OR network_fingerprint IS NOT NULL) AND occurred_at < $1
            AND ($2::timestamptz IS NULL OR (occurred_at, id) > ($2::timestamptz, $3::bigint))
          ORDER BY occurred_at, id LIMIT $4
       ), forgotten AS (
         UPDATE events e SET device_fingerprint = NULL, network_fingerprint = NULL
           FROM batch b WHERE e.id = b.id RETURNING b.occurred_at, b.id
       )
       SELECT count(*) OVER ()::int AS count, occurred_at::text AS "occurredAt", id::text AS id
         FROM forgotten ORDER BY occurred_at DESC, id DESC LIMIT 1`,
      [before, after?.occurredAt ?? null, after?.id ?? null, limit],
    );
    return row ? { count: row.count, last: { occurredAt: row.occurredAt, id: row.id } } : { count: 0, last: null };
  }

  /** Up to `limit` fingerprints' accounts last seen before `before`, deleted; returns how many. */
  deleteFingerprintAccounts(manager: EntityManager, before: Date, limit: number): Promise<number> {
    return deleteBatch(
      manager,
      'fingerprint_accounts',
      'ctid',
      `SELECT ctid FROM fingerprint_accounts WHERE last_seen_at < $1 LIMIT $2`,
      [before, limit],
    );
  }

  /**
   * Up to `limit` refresh tokens expired before `before`, deleted. A used token that has not expired stays: a
   * replay of it is how a stolen session is detected.
   */
  deleteExpiredRefreshTokens(manager: EntityManager, before: Date, limit: number): Promise<number> {
    return deleteBatch(
      manager,
      'refresh_tokens',
      'id',
      `SELECT id FROM refresh_tokens WHERE expires_at < $1 LIMIT $2`,
      [before, limit],
    );
  }

  /**
   * Up to `limit` sessions ended before `before`, or whose every refresh token expired before it (none can
   * refresh it any more), deleted with their refresh tokens.
   */
  deleteEndedSessions(manager: EntityManager, before: Date, limit: number): Promise<number> {
    return deleteBatch(
      manager,
      'sessions',
      'id',
      `SELECT s.id FROM sessions s
        WHERE s.revoked_at < $1
           OR NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.session_id = s.id AND t.expires_at >= $1)
        LIMIT $2`,
      [before, limit],
    );
  }

  /** Up to `limit` email tokens (verification and reset links) expired or used before `before`, deleted. */
  deleteSpentEmailTokens(manager: EntityManager, before: Date, limit: number): Promise<number> {
    return deleteBatch(
      manager,
      'email_tokens',
      'id',
      `SELECT id FROM email_tokens WHERE expires_at < $1 OR used_at < $1 LIMIT $2`,
      [before, limit],
    );
  }

  /** Up to `limit` rate-limit windows (PostgreSQL's store, without Redis) expired before `before`, deleted. */
  deleteExpiredRateLimits(manager: EntityManager, before: Date, limit: number): Promise<number> {
    return deleteBatch(manager, 'rate_limits', 'key', `SELECT key FROM rate_limits WHERE expire < $1 LIMIT $2`, [
      before.getTime(),
      limit,
    ]);
  }

  /** Up to `limit` jobs finished (done, or failed for good) before `before`, deleted. */
  deleteFinishedJobs(manager: EntityManager, before: Date, limit: number): Promise<number> {
    return deleteBatch(
      manager,
      'jobs',
      'id',
      `SELECT id FROM jobs WHERE finished_at < $1 AND status IN ('done', 'failed') LIMIT $2`,
      [before, limit],
    );
  }
}

/** Deletes the table's rows whose `key` the select returns (one batch); returns how many. */
async function deleteBatch(
  manager: EntityManager,
  table: string,
  key: string,
  select: string,
  parameters: unknown[],
): Promise<number> {
  const [row] = await queryRows<{ count: number }>(
    manager,
    `WITH deleted AS (DELETE FROM ${table} WHERE ${key} IN (${select}) RETURNING 1) SELECT count(*)::int AS count FROM deleted`,
    parameters,
  );
  return row!.count;
}
