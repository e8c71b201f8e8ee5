import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CommentEdge, CohortMember } from './metric-functions.js';
import type { AuthenticityReportRecord, ReportRange, ReportWindow } from './report.types.js';

/** The window's earning engagement: positive share-ledger entries of the brand, and who flagged which. */
export interface EngagementBreakdown {
  /** Shares of every positive entry in the window. */
  totalShares: number;
  /** Shares of the entries from an account, or for an action, that some open (not cleared) flag names. */
  flaggedShares: number;
  /** The same per detector code (an entry several detectors name counts under each). */
  flaggedSharesByDetector: Record<string, number>;
  /** Employees with a positive entry in the window. */
  activeEmployees: number;
}

export interface StoredClusterRow {
  id: string;
  detector: string;
  kind: string;
  members: string[];
  userIds: string[];
  score: number;
  evidence: Record<string, unknown>;
}

/** A uuid, so that a cluster member (an account, a photo or an event id) is cast only when it is one. */
const UUID = `'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'`;

/**
 * The window's positive entries ($1 brand, $2 from, $3 to) and, per entry, the detectors whose open flags
 * name its account, its photo (a published photo's entry) or its action (the event that wrote the photo
 * or comment the entry is for). Flags count whenever they were raised: an account found out later made
 * its earlier engagement no more real.
 */
const ENTRY_DETECTORS = `
  earning AS (
    SELECT l.id, l.user_id, l.shares, l.source_type, l.source_id
      FROM share_ledger l
     WHERE l.brand_id = $1 AND l.shares > 0 AND l.created_at >= $2 AND l.created_at < $3
  ),
  flagged_actions AS (
    SELECT DISTINCT e.target_type, e.target_id, f.detector
      FROM flags f
      -- CASE first: only an EVENT flag's subject is an event id.
      JOIN events e ON e.id = CASE WHEN f.subject_type = 'EVENT' THEN f.subject_id::bigint END
     WHERE f.subject_type = 'EVENT' AND f.state <> 'CLEARED' AND e.brand_id = $1
       AND e.target_type IN ('photo', 'comment')
  ),
  entry_detectors AS (
    SELECT l.id, l.shares, d.detector
      FROM earning l
      CROSS JOIN LATERAL (
        SELECT f.detector FROM flags f
         WHERE f.subject_type = 'ACCOUNT' AND f.subject_id = l.user_id::text AND f.state <> 'CLEARED'
        UNION
        SELECT f.detector FROM flags f
         WHERE l.source_type = 'photo' AND f.subject_type = 'PHOTO' AND f.subject_id = l.source_id
           AND f.state <> 'CLEARED'
        UNION
        SELECT a.detector FROM flagged_actions a WHERE a.target_type = l.source_type AND a.target_id = l.source_id
      ) d
  )`;

/** All SQL of the authenticity reports: the metric queries over a window, and the stored reports. */
@Injectable()
export class ReportRepository {
  async engagement(manager: EntityManager, range: ReportRange): Promise<EngagementBreakdown> {
    const [row] = await manager.query<
      { total: number; active: number; flagged: number; by_detector: Record<string, number> }[]
    >(
      `WITH ${ENTRY_DETECTORS}
       SELECT (SELECT coalesce(sum(shares), 0) FROM earning)::int AS total,
              (SELECT count(DISTINCT user_id) FROM earning)::int AS active,
              (SELECT coalesce(sum(shares), 0) FROM earning WHERE id IN (SELECT id FROM entry_detectors))::int AS flagged,
              coalesce((SELECT jsonb_object_agg(detector, shares)
                          FROM (SELECT detector, sum(shares)::int AS shares FROM entry_detectors GROUP BY detector) d),
                       '{}'::jsonb) AS by_detector`,
      [range.brandId, range.from, range.to],
    );
    return {
      totalShares: row!.total,
      flaggedShares: row!.flagged,
      flaggedSharesByDetector: row!.by_detector,
      activeEmployees: row!.active,
    };
  }

  /** Whether any detector has ever raised a flag: a detector that never ran is not a clean bill. */
  async detectorHasFlags(manager: EntityManager, detector: string): Promise<boolean> {
    const [row] = await manager.query<{ exists: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM flags WHERE detector = $1) AS exists`,
      [detector],
    );
    return row!.exists;
  }

  /** The brand's photos published in the window, and how many of them a detector's open flag names. */
  async photosFlaggedBy(
    manager: EntityManager,
    range: ReportRange,
    detector: string,
  ): Promise<{ published: number; flagged: number }> {
    const [row] = await manager.query<{ published: number; flagged: number }[]>(
      `SELECT count(*)::int AS published,
              count(*) FILTER (WHERE EXISTS (
                SELECT 1 FROM flags f
                 WHERE f.subject_type = 'PHOTO' AND f.subject_id = p.id::text AND f.detector = $4
                   AND f.state <> 'CLEARED'))::int AS flagged
         FROM photos p
        WHERE p.brand_id = $1 AND p.published_at >= $2 AND p.published_at < $3`,
      [range.brandId, range.from, range.to, detector],
    );
    return row!;
  }

  /**
   * The median trust of the brand's employees at the window's end (INVITE_TRUST's relative trust, at
   * most 1; a seed 1; one who signed up with a flagged self-invite 0), and how many were measured:
   * employees outside the trust graph (no accepted invite, nothing returned) are not.
   */
  async employeesTrust(manager: EntityManager, range: ReportRange): Promise<{ measured: number; median: number }> {
    const [row] = await manager.query<{ measured: number; median: number | null }[]>(
      `SELECT count(*)::int AS measured, percentile_cont(0.5) WITHIN GROUP (ORDER BY trust) AS median
         FROM (SELECT CASE WHEN self_invite THEN 0 WHEN t.tier = 'SEED' THEN 1 ELSE least(1, t.relative_trust) END AS trust
                 FROM (SELECT e.user_id, EXISTS (SELECT 1 FROM invites i
                                                  WHERE i.invitee_id = e.user_id AND i.flagged_at < $2) AS self_invite
                         FROM employments e WHERE e.brand_id = $1 AND e.since < $2) AS employee
                 LEFT JOIN account_trust t ON t.user_id = employee.user_id
                WHERE self_invite OR t.user_id IS NOT NULL) AS measured`,
      [range.brandId, range.to],
    );
    return { measured: row!.measured, median: row!.median ?? 0 };
  }

  /**
   * The window's comments on the brand's photos by someone else (`inWindow`), and the comments that may
   * answer them: by their photos' owners, on their authors' photos in any brand, within a day of the window.
   */
  async commentEdges(manager: EntityManager, range: ReportRange): Promise<CommentEdge[]> {
    const rows = await manager.query<{ from: string; to: string; at: Date; in_window: boolean }[]>(
      `WITH inside AS (
         SELECT c.id, c.author_id, p.owner_id, c.created_at
           FROM comments c JOIN photos p ON p.id = c.photo_id
          WHERE p.brand_id = $1 AND c.created_at >= $2 AND c.created_at < $3
            AND c.deleted_at IS NULL AND c.author_id <> p.owner_id
       )
       SELECT author_id AS "from", owner_id AS "to", created_at AS at, true AS in_window FROM inside
       UNION ALL
       SELECT c.author_id, p.owner_id, c.created_at, false
         FROM comments c JOIN photos p ON p.id = c.photo_id
        WHERE c.author_id IN (SELECT owner_id FROM inside)
          AND c.created_at >= $2::timestamptz - interval '24 hours' AND c.created_at < $3::timestamptz + interval '24 hours'
          AND c.deleted_at IS NULL
          AND (c.author_id, p.owner_id) IN (SELECT owner_id, author_id FROM inside)
          AND c.id NOT IN (SELECT id FROM inside)`,
      [range.brandId, range.from, range.to],
    );
    return rows.map((row) => ({ from: row.from, to: row.to, at: new Date(row.at), inWindow: row.in_window }));
  }

  /** Shares each employee earned in the window (positive entries only): the distribution's amounts. */
  async sharesEarned(manager: EntityManager, range: ReportRange): Promise<number[]> {
    const rows = await manager.query<{ shares: number }[]>(
      `SELECT sum(shares)::int AS shares FROM share_ledger
        WHERE brand_id = $1 AND shares > 0 AND created_at >= $2 AND created_at < $3
        GROUP BY user_id`,
      [range.brandId, range.from, range.to],
    );
    return rows.map((row) => row.shares);
  }

  /**
   * The employees who joined the brand in the window, each with their latest action in it up to the window's
   * end: all that rolling retention needs (someone back on day 8 is back on day 7 too).
   */
  async joinedCohort(manager: EntityManager, range: ReportRange): Promise<CohortMember[]> {
    const rows = await manager.query<{ since: Date; last_active_at: Date | null }[]>(
      `SELECT e.since,
              (SELECT max(ev.occurred_at) FROM events ev
                WHERE ev.actor_id = e.user_id AND ev.brand_id = e.brand_id
                  AND ev.occurred_at >= e.since AND ev.occurred_at < $3) AS last_active_at
         FROM employments e
        WHERE e.brand_id = $1 AND e.since >= $2 AND e.since < $3`,
      [range.brandId, range.from, range.to],
    );
    return rows.map((row) => ({
      joinedAt: new Date(row.since),
      activeAt: row.last_active_at ? [new Date(row.last_active_at)] : [],
    }));
  }

  /**
   * Shares of the window's positive entries made with a threshold in sight: an entry that brought the
   * employee's balance to within `nearFraction` of a title threshold (titles unlock offers too) or across
   * it, or that filled the last earning slot of a daily cap (the cap-th earning photo of the user in the
   * brand that day, or the cap-th earning comment of the user that day in any brand).
   */
  async incentiveDrivenShares(
    manager: EntityManager,
    range: ReportRange,
    rules: { titleThresholds: readonly number[]; nearFraction: number; photoCap: number; commentCap: number },
  ): Promise<number> {
    const [row] = await manager.query<{ shares: number }[]>(
      `WITH earners AS (
         SELECT DISTINCT user_id FROM share_ledger
          WHERE brand_id = $1 AND shares > 0 AND created_at >= $2 AND created_at < $3
       ),
       balances AS (
         SELECT l.id, l.shares, l.created_at,
                sum(l.shares) OVER (PARTITION BY l.user_id ORDER BY l.created_at, l.id) AS after
           FROM share_ledger l
          WHERE l.brand_id = $1 AND l.created_at < $3 AND l.user_id IN (SELECT user_id FROM earners)
       ),
       slots AS (
         SELECT l.id, l.brand_id, l.reason,
                row_number() OVER (
                  PARTITION BY l.user_id, l.reason,
                               CASE WHEN l.reason = 'PHOTO_PUBLISHED' THEN l.brand_id END,
                               (l.created_at AT TIME ZONE 'UTC')::date
                  ORDER BY l.created_at, l.id) AS slot
           FROM share_ledger l
          WHERE l.shares > 0 AND l.reason IN ('PHOTO_PUBLISHED', 'COMMENT_POSTED')
            AND l.user_id IN (SELECT user_id FROM earners)
            AND l.created_at >= $2::timestamptz - interval '1 day' AND l.created_at < $3
       )
       SELECT coalesce(sum(b.shares), 0)::int AS shares
         FROM balances b
        WHERE b.shares > 0 AND b.created_at >= $2
          AND (
            EXISTS (SELECT 1 FROM unnest($4::int[]) t
                     WHERE b.after - b.shares < t AND b.after >= t * $5::float8)
            OR EXISTS (SELECT 1 FROM slots s
                        WHERE s.id = b.id
                          AND ((s.reason = 'PHOTO_PUBLISHED' AND s.slot = $6)
                               OR (s.reason = 'COMMENT_POSTED' AND s.slot = $7)))
          )`,
      [
        range.brandId,
        range.from,
        range.to,
        rules.titleThresholds,
        rules.nearFraction,
        rules.photoCap,
        rules.commentCap,
      ],
    );
    return row!.shares;
  }

  /**
   * The detectors' groups that name one of the brand's employees or photos and still have an open flag,
   * most suspicious first, each with its accounts: member accounts, and the owners of member photos.
   */
  async clustersOfBrand(manager: EntityManager, range: ReportRange, limit: number): Promise<StoredClusterRow[]> {
    const rows = await manager.query<(Omit<StoredClusterRow, 'userIds'> & { user_ids: string[] })[]>(
      `SELECT c.id, c.detector, c.kind, c.members, c.score, c.evidence, users_of.user_ids
         FROM flag_clusters c
         CROSS JOIN LATERAL (
           SELECT coalesce(array_agg(DISTINCT x.user_id::text ORDER BY x.user_id::text), '{}') AS user_ids
             FROM (
               SELECT u.id AS user_id FROM unnest(c.members) m
                 JOIN users u ON u.id = CASE WHEN m ~ ${UUID} THEN m::uuid END
               UNION
               SELECT p.owner_id FROM unnest(c.members) m
                 JOIN photos p ON p.id = CASE WHEN m ~ ${UUID} THEN m::uuid END
             ) x
         ) users_of
        WHERE c.created_at < $2
          AND (c.members && ARRAY(SELECT user_id::text FROM employments WHERE brand_id = $1)
               OR c.members && ARRAY(SELECT id::text FROM photos WHERE brand_id = $1))
          AND EXISTS (SELECT 1 FROM flags f WHERE f.cluster_id = c.id AND f.state <> 'CLEARED')
        ORDER BY c.score DESC, c.created_at, c.id
        LIMIT $3`,
      [range.brandId, range.to, limit],
    );
    return rows.map(({ user_ids, ...row }) => ({ ...row, userIds: user_ids }));
  }

  /** Brands with an event since `since`: the ones whose reports the hourly job refreshes. */
  async activeBrandIds(manager: EntityManager, since: Date): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT b.id FROM brands b
        WHERE EXISTS (SELECT 1 FROM events e WHERE e.brand_id = b.id AND e.occurred_at >= $1)
        ORDER BY b.id`,
      [since],
    );
    return rows.map((row) => row.id);
  }

  async save(manager: EntityManager, report: AuthenticityReportRecord): Promise<void> {
    await manager.query(
      `INSERT INTO authenticity_reports (brand_id, "window", "from", "to", computed_at, score, active_employees,
                                         metrics, clusters)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb)
       ON CONFLICT (brand_id, "window") DO UPDATE
         SET "from" = EXCLUDED."from", "to" = EXCLUDED."to", computed_at = EXCLUDED.computed_at,
             score = EXCLUDED.score, active_employees = EXCLUDED.active_employees,
             metrics = EXCLUDED.metrics, clusters = EXCLUDED.clusters
         -- A slower computation of an older window never replaces a newer one.
         WHERE authenticity_reports."to" <= EXCLUDED."to"`,
      [
        report.brandId,
        report.window,
        report.from,
        report.to,
        report.computedAt,
        report.score,
        report.activeEmployees,
        JSON.stringify(report.metrics),
        JSON.stringify(report.clusters),
      ],
    );
  }

  /** When the detectors last ran (the latest of them), if ever. */
  async lastDetectorRunAt(manager: EntityManager): Promise<Date | null> {
    const [row] = await manager.query<{ at: Date | null }[]>(`SELECT max(last_run_at) AS at FROM detector_runs`);
    return row?.at ?? null;
  }

  async find(manager: EntityManager, brandId: string, window: ReportWindow): Promise<AuthenticityReportRecord | null> {
    const [row] = await manager.query<
      {
        brand_id: string;
        window: ReportWindow;
        from: Date;
        to: Date;
        computed_at: Date;
        score: number;
        active_employees: number;
        metrics: AuthenticityReportRecord['metrics'];
        clusters: AuthenticityReportRecord['clusters'];
      }[]
    >(
      `SELECT brand_id, "window", "from", "to", computed_at, score, active_employees, metrics, clusters
         FROM authenticity_reports WHERE brand_id = $1 AND "window" = $2`,
      [brandId, window],
    );
    if (!row) return null;
    return {
      brandId: row.brand_id,
      window: row.window,
      from: new Date(row.from),
      to: new Date(row.to),
      computedAt: new Date(row.computed_at),
      score: row.score,
      activeEmployees: row.active_employees,
      metrics: row.metrics,
      clusters: row.clusters,
    };
  }
}
