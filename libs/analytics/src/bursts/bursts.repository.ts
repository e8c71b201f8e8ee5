import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface BrandHourEvents {
  eventIds: string[];
  actorIds: string[];
}

/** All SQL of the bursts detector: its hourly counts, the brand-hour's events and the declared campaigns. */
@Injectable()
export class BurstsRepository {
  /**
   * Makes the counts those of `version`: counts of another version are dropped (with that version's
   * clusters) so the re-read of the log counts afresh. Returns whether they were dropped.
   */
  async ensureVersion(manager: EntityManager, version: string): Promise<boolean> {
    const [row] = await manager.query<{ version: string }[]>(
      `SELECT version FROM burst_counts_version WHERE singleton FOR UPDATE`,
    );
    if (row?.version === version) return false;
    await manager.query(`DELETE FROM burst_hours`);
    await manager.query(`DELETE FROM flag_clusters WHERE detector = 'BURSTS' AND detector_version <> $1`, [version]);
    await manager.query(
      `INSERT INTO burst_counts_version (singleton, version) VALUES (true, $1)
       ON CONFLICT (singleton) DO UPDATE SET version = EXCLUDED.version`,
      [version],
    );
    return row !== undefined;
  }

  /** Adds the batch's counts; returns each brand-hour's count after. */
  async addCounts(
    manager: EntityManager,
    counts: readonly { brandId: string; hour: Date; events: number }[],
  ): Promise<{ brandId: string; hour: Date; events: number }[]> {
    if (counts.length === 0) return [];
    const rows = await manager.query<{ brand_id: string; hour: Date; events: number }[]>(
      `INSERT INTO burst_hours (brand_id, hour, events)
       SELECT c.brand_id, c.hour, c.events FROM unnest($1::uuid[], $2::timestamptz[], $3::int[]) AS c(brand_id, hour, events)
       ON CONFLICT (brand_id, hour) DO UPDATE SET events = burst_hours.events + EXCLUDED.events
       RETURNING brand_id, hour, events`,
      [counts.map((c) => c.brandId), counts.map((c) => c.hour), counts.map((c) => c.events)],
    );
    return rows.map((row) => ({ brandId: row.brand_id, hour: row.hour, events: row.events }));
  }

  /** The brand's hours in [from, to) with at least `minEvents`: the candidates a new campaign may explain. */
  async busyHours(
    manager: EntityManager,
    brandId: string,
    from: Date,
    to: Date,
    minEvents: number,
  ): Promise<{ hour: Date; events: number }[]> {
    const rows = await manager.query<{ hour: Date; events: number }[]>(
      `SELECT hour, events FROM burst_hours WHERE brand_id = $1 AND hour >= $2 AND hour < $3 AND events >= $4
        ORDER BY hour`,
      [brandId, from, to, minEvents],
    );
    return rows;
  }

  /** The brand's first counted hour, and its counted hours in [from, to) (the others had no events). */
  async baseline(
    manager: EntityManager,
    brandId: string,
    from: Date,
    to: Date,
  ): Promise<{ firstHour: Date | null; counts: { hour: Date; events: number }[] }> {
    const [first] = await manager.query<{ hour: Date | null }[]>(
      `SELECT min(hour) AS hour FROM burst_hours WHERE brand_id = $1`,
      [brandId],
    );
    const counts = await manager.query<{ hour: Date; events: number }[]>(
      `SELECT hour, events FROM burst_hours WHERE brand_id = $1 AND hour >= $2 AND hour < $3`,
      [brandId, from, to],
    );
    return { firstHour: first?.hour ?? null, counts };
  }

  /** The brand's earning events in the hour (one hour of one brand, through events_brand). */
  async hourEvents(
    manager: EntityManager,
    brandId: string,
    hour: Date,
    hourEnd: Date,
    actions: readonly string[],
  ): Promise<BrandHourEvents> {
    const rows = await manager.query<{ id: string; actor_id: string | null }[]>(
      `SELECT id::text AS id, actor_id FROM events
        WHERE brand_id = $1 AND occurred_at >= $2 AND occurred_at < $3 AND action = ANY($4::text[])
        ORDER BY id`,
      [brandId, hour, hourEnd, actions],
    );
    return {
      eventIds: rows.map((row) => row.id),
      actorIds: [...new Set(rows.flatMap((row) => (row.actor_id ? [row.actor_id] : [])))].sort(),
    };
  }

  /** A campaign of the brand overlapping [from, to), the earliest declared. */
  async campaignDuring(manager: EntityManager, brandId: string, from: Date, to: Date): Promise<string | null> {
    const [row] = await manager.query<{ id: string }[]>(
      `SELECT id FROM campaigns WHERE brand_id = $1 AND starts_at < $3 AND ends_at > $2 ORDER BY created_at, id LIMIT 1`,
      [brandId, from, to],
    );
    return row?.id ?? null;
  }

  /** Creates or updates the hour's BURST cluster (one per brand-hour, kept in burst_hours); returns its id. */
  async saveCluster(
    manager: EntityManager,
    detector: { code: string; version: string },
    key: { brandId: string; hour: Date },
    cluster: { members: readonly string[]; score: number; evidence: Record<string, unknown> },
    at: Date,
  ): Promise<string> {
    const [existing] = await manager.query<{ cluster_id: string | null }[]>(
      `SELECT cluster_id FROM burst_hours WHERE brand_id = $1 AND hour = $2`,
      [key.brandId, key.hour],
    );
    if (existing?.cluster_id) {
      await manager.query(
        `UPDATE flag_clusters SET detector_version = $2, members = $3::text[], score = $4, evidence = $5, updated_at = $6
          WHERE id = $1`,
        [existing.cluster_id, detector.version, cluster.members, cluster.score, cluster.evidence, at],
      );
      return existing.cluster_id;
    }
    const [row] = await manager.query<{ id: string }[]>(
      `INSERT INTO flag_clusters (detector, detector_version, kind, members, score, evidence, created_at, updated_at)
       VALUES ($1, $2, 'BURST', $3::text[], $4, $5, $6, $6) RETURNING id`,
      [detector.code, detector.version, cluster.members, cluster.score, cluster.evidence, at],
    );
    await manager.query(`UPDATE burst_hours SET cluster_id = $3 WHERE brand_id = $1 AND hour = $2`, [
      key.brandId,
      key.hour,
      row!.id,
    ]);
    return row!.id;
  }

  /** For each account, the ids of the unexplained BURST clusters it is a member of. */
  async unexplainedBurstsOf(
    manager: EntityManager,
    detector: string,
    accountIds: readonly string[],
  ): Promise<Map<string, string[]>> {
    const rows = await manager.query<{ member: string; ids: string[] }[]>(
      `SELECT m.member, array_agg(c.id::text ORDER BY c.created_at, c.id) AS ids
         FROM flag_clusters c, unnest(c.members) AS m(member)
        WHERE c.detector = $1 AND c.kind = 'BURST' AND c.members && $2::text[]
          AND (c.evidence ->> 'explained')::boolean = false AND m.member = ANY($2::text[])
        GROUP BY m.member`,
      [detector, accountIds],
    );
    return new Map(rows.map((row) => [row.member, row.ids]));
  }

  /** Takes back the detector's open account flags of accounts no longer in enough unexplained bursts. */
  async dropAccountFlags(manager: EntityManager, detector: string, accountIds: readonly string[]): Promise<void> {
    if (accountIds.length === 0) return;
    await manager.query(
      `DELETE FROM flags WHERE detector = $1 AND subject_type = 'ACCOUNT' AND subject_id = ANY($2::text[]) AND state = 'OPEN'`,
      [detector, accountIds],
    );
  }
}
