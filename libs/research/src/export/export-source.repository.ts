import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';

/** What an export covers: events in [from, to), of these brands (null: all). */
export interface ExportWindow {
  from: Date;
  to: Date;
  brandIds: readonly string[] | null;
}

export interface EventSourceRow {
  id: string;
  actorId: string | null;
  action: string;
  brandSlug: string | null;
  targetType: string | null;
  targetId: string | null;
  hour: Date;
  actorFlags: string | null;
  actionFlags: string | null;
}

export interface AccountSourceRow {
  id: string;
  signupWeek: string;
  brands: number;
  topTitle: string;
  /** INVITE_TRUST's tier (SEED, HIGH, MEDIUM, LOW), UNKNOWN outside the trust graph. */
  trustTier: string;
  flags: string | null;
}

export interface AccountClassRow {
  signupWeek: string;
  brands: number;
  topTitle: string;
  count: number;
}

export interface BrandSourceRow {
  id: string;
  slug: string;
  claimed: boolean;
  employees: number;
  publishedPhotos: number;
}

export interface InviteSourceRow {
  id: string;
  inviterId: string;
  inviteeId: string;
  acceptedWeek: string;
  qualified: boolean;
  flagged: boolean;
  flagReason: string | null;
  revoked: boolean;
}

export interface DailyCountRow {
  brandId: string;
  slug: string;
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  action: string;
  /** Events, each account's clipped to the contribution bound. */
  count: number;
}

export interface ClusterMemberRow {
  clusterId: string;
  photoId: string;
  ownerId: string;
  detectorVersion: string;
  /** The keyset position: cluster id and photo id. */
  position: string;
}

/** Flags still standing (not cleared by a moderator) as CODE@version;… in detector order. */
const flagsOf = (
  condition: string,
) => `(SELECT string_agg(f.detector || '@' || f.detector_version, ';' ORDER BY f.detector)
    FROM flags f WHERE f.state <> 'CLEARED' AND ${condition})`;

/**
 * The window's events, in one place: the accounts and invites of an export are those of its events' actors.
 * An erased account's events are left out (and with them the account).
 */
export const NOT_ERASED_ACTOR = `NOT EXISTS (SELECT 1 FROM users erased WHERE erased.id = e.actor_id AND erased.deleted_at IS NOT NULL)`;
const WINDOW_EVENTS = `e.occurred_at >= $1 AND e.occurred_at < $2 AND ($3::uuid[] IS NULL OR e.brand_id = ANY($3::uuid[]))
  AND ${NOT_ERASED_ACTOR}`;

/**
 * The events as exported, before pseudonyms: the exporter reads it in keyset batches, and the export benchmark
 * COPYs the same rows to compare.
 */
export const EVENT_ROWS = `SELECT e.id::text, e.actor_id AS "actorId", e.action, b.slug AS "brandSlug", e.target_type AS "targetType",
              e.target_id AS "targetId", date_trunc('hour', e.occurred_at) AS hour,
              ${flagsOf(`f.subject_type = 'ACCOUNT' AND f.subject_id = e.actor_id::text`)} AS "actorFlags",
              ${flagsOf(`((f.subject_type = 'EVENT' AND f.subject_id = e.id::text)
                          OR (f.subject_type = 'PHOTO' AND e.target_type = 'photo' AND f.subject_id = e.target_id))`)}
                AS "actionFlags"
         FROM events e LEFT JOIN brands b ON b.id = e.brand_id`;

/** An account in the export: it acted in the window, and it was not erased. */
const EXPORTED_ACCOUNT = `EXISTS (SELECT 1 FROM events e WHERE e.actor_id = u.id AND ${WINDOW_EVENTS})`;

const ISO_WEEK = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'IYYY-"W"IW')`;

/** An account's employments: how many, and the highest title (NONE without one). */
const ACCOUNT_COLUMNS = `u.id, ${ISO_WEEK('u.created_at')} AS "signupWeek",
  (SELECT count(*)::int FROM employments m WHERE m.user_id = u.id) AS brands,
  coalesce((SELECT m.title FROM employments m WHERE m.user_id = u.id
             ORDER BY array_position(ARRAY['INTERN','ASSOCIATE','MANAGER','DIRECTOR','VICE_PRESIDENT','CEO'], m.title) DESC
             LIMIT 1), 'NONE') AS "topTitle"`;

/**
 * The rows of a research export, in keyset batches (each its own short statement, so an export never
 * holds a long transaction): raw ids, which the exporter turns into pseudonyms before anything is written.
 */
@Injectable()
export class ExportSourceRepository {
  async events(
    manager: EntityManager,
    window: ExportWindow,
    after: string | null,
    limit: number,
  ): Promise<EventSourceRow[]> {
    return queryRows<EventSourceRow>(
      manager,
      `${EVENT_ROWS}
        WHERE ${WINDOW_EVENTS} AND ($4::bigint IS NULL OR e.id > $4::bigint)
        ORDER BY e.id LIMIT $5`,
      [window.from, window.to, window.brandIds, after, limit],
    );
  }

  /** How many events the window has: the progress bar's total. */
  async eventCount(manager: EntityManager, window: ExportWindow): Promise<number> {
    const [row] = await queryRows<{ count: number }>(
      manager,
      `SELECT count(*)::int AS count FROM events e WHERE ${WINDOW_EVENTS}`,
      [window.from, window.to, window.brandIds],
    );
    return row!.count;
  }

  /** The exported accounts' classes of quasi-identifiers and their sizes, for the k-anonymity plan. */
  async accountClasses(manager: EntityManager, window: ExportWindow): Promise<AccountClassRow[]> {
    return queryRows<AccountClassRow>(
      manager,
      `SELECT "signupWeek", brands, "topTitle", count(*)::int AS count
         FROM (SELECT ${ACCOUNT_COLUMNS} FROM users u WHERE ${EXPORTED_ACCOUNT}) AS accounts
        GROUP BY 1, 2, 3`,
      [window.from, window.to, window.brandIds],
    );
  }

  async accounts(
    manager: EntityManager,
    window: ExportWindow,
    after: string | null,
    limit: number,
  ): Promise<AccountSourceRow[]> {
    return queryRows<AccountSourceRow>(
      manager,
      `SELECT ${ACCOUNT_COLUMNS}, ${flagsOf(`f.subject_type = 'ACCOUNT' AND f.subject_id = u.id::text`)} AS flags,
              coalesce((SELECT t.tier FROM account_trust t WHERE t.user_id = u.id), 'UNKNOWN') AS "trustTier"
         FROM users u
        WHERE ${EXPORTED_ACCOUNT} AND ($4::uuid IS NULL OR u.id > $4::uuid)
        ORDER BY u.id LIMIT $5`,
      [window.from, window.to, window.brandIds, after, limit],
    );
  }

  async brands(
    manager: EntityManager,
    window: ExportWindow,
    after: string | null,
    limit: number,
  ): Promise<BrandSourceRow[]> {
    return queryRows<BrandSourceRow>(
      manager,
      `SELECT b.id, b.slug, b.claimed_at IS NOT NULL AS claimed,
              (SELECT count(*)::int FROM employments m WHERE m.brand_id = b.id) AS employees,
              b.photo_count AS "publishedPhotos"
         FROM brands b
        WHERE ($1::uuid[] IS NULL OR b.id = ANY($1::uuid[])) AND ($2::uuid IS NULL OR b.id > $2::uuid)
        ORDER BY b.id LIMIT $3`,
      [window.brandIds, after, limit],
    );
  }

  async invites(
    manager: EntityManager,
    window: ExportWindow,
    after: string | null,
    limit: number,
  ): Promise<InviteSourceRow[]> {
    return queryRows<InviteSourceRow>(
      manager,
      `SELECT i.id, i.inviter_id AS "inviterId", i.invitee_id AS "inviteeId", ${ISO_WEEK('i.accepted_at')} AS "acceptedWeek",
              i.qualified_at IS NOT NULL AS qualified, i.flagged_at IS NOT NULL AS flagged, i.flag_reason AS "flagReason",
              i.revoked_at IS NOT NULL AS revoked
         FROM invites i JOIN users u ON u.id = i.invitee_id
        WHERE i.accepted_at >= $1 AND i.accepted_at < $2 AND ${EXPORTED_ACCOUNT}
          AND ($4::uuid IS NULL OR i.id > $4::uuid)
        ORDER BY i.id LIMIT $5`,
      [window.from, window.to, window.brandIds, after, limit],
    );
  }

  /**
   * The daily counts of `actions` for a page of the export's brands: every (brand, UTC day of the window,
   * action) cell, empty ones too (which cells are empty would itself tell something), each account's
   * events in a cell counted at most `maxPerAccount` times.
   */
  async dailyCounts(
    manager: EntityManager,
    window: ExportWindow,
    actions: readonly string[],
    maxPerAccount: number,
    afterBrand: string | null,
    brandLimit: number,
  ): Promise<DailyCountRow[]> {
    return queryRows<DailyCountRow>(
      manager,
      `WITH chosen AS (
         SELECT b.id, b.slug FROM brands b
          WHERE ($3::uuid[] IS NULL OR b.id = ANY($3::uuid[])) AND ($4::uuid IS NULL OR b.id > $4::uuid)
          ORDER BY b.id LIMIT $5
       ), days AS (
         SELECT generate_series(date_trunc('day', $1::timestamptz AT TIME ZONE 'UTC'),
                                $2::timestamptz AT TIME ZONE 'UTC' - interval '1 microsecond', interval '1 day') AS day
       ), clipped AS (
         SELECT e.brand_id, date_trunc('day', e.occurred_at AT TIME ZONE 'UTC') AS day, e.action, least(count(*), $7) AS n
           FROM events e JOIN chosen c ON c.id = e.brand_id
          WHERE ${WINDOW_EVENTS} AND e.action = ANY($6::text[])
          GROUP BY e.brand_id, 2, e.action, e.actor_id
       )
       SELECT c.id AS "brandId", c.slug, to_char(d.day, 'YYYY-MM-DD') AS day, a.action, coalesce(sum(cl.n), 0)::int AS count
         FROM chosen c CROSS JOIN days d CROSS JOIN unnest($6::text[]) AS a(action)
         LEFT JOIN clipped cl ON cl.brand_id = c.id AND cl.day = d.day AND cl.action = a.action
        GROUP BY c.id, c.slug, d.day, a.action
        ORDER BY c.id, d.day, a.action`,
      [window.from, window.to, window.brandIds, afterBrand, brandLimit, actions, maxPerAccount],
    );
  }

  /** Members of near-duplicate clusters with a photo in the export's brands, published in the window. */
  async duplicateClusterMembers(
    manager: EntityManager,
    window: ExportWindow,
    after: string | null,
    limit: number,
  ): Promise<ClusterMemberRow[]> {
    return queryRows<ClusterMemberRow>(
      manager,
      `SELECT c.id AS "clusterId", p.id AS "photoId", p.owner_id AS "ownerId", c.detector_version AS "detectorVersion",
              c.id || '/' || p.id AS position
         FROM flag_clusters c
         CROSS JOIN LATERAL unnest(c.members) AS member(photo_id)
         JOIN photos p ON p.id::text = member.photo_id
        WHERE c.detector = 'NEAR_DUPLICATE_PHOTOS'
          AND EXISTS (SELECT 1 FROM photos q WHERE q.id::text = ANY(c.members)
                       AND q.published_at >= $1 AND q.published_at < $2
                       AND ($3::uuid[] IS NULL OR q.brand_id = ANY($3::uuid[])))
          AND ($4::text IS NULL OR c.id || '/' || p.id > $4)
        ORDER BY c.id || '/' || p.id LIMIT $5`,
      [window.from, window.to, window.brandIds, after, limit],
    );
  }
}
