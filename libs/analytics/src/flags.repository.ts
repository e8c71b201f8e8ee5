import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { FlagSubjectType } from './detector.js';

export interface FlagInput {
  subjectType: FlagSubjectType;
  subjectId: string;
  score: number;
  evidence: Record<string, unknown>;
  clusterId?: string | null;
}

export interface StoredFlag {
  id: string;
  subjectType: FlagSubjectType;
  subjectId: string;
  detector: string;
  detectorVersion: string;
  score: number;
  evidence: Record<string, unknown>;
  clusterId: string | null;
  state: 'OPEN' | 'CLEARED' | 'CONFIRMED';
}

export interface StoredCluster {
  id: string;
  detector: string;
  kind: string;
  members: string[];
  score: number;
  evidence: Record<string, unknown>;
}

interface FlagRow {
  id: string;
  subject_type: FlagSubjectType;
  subject_id: string;
  detector: string;
  detector_version: string;
  score: number;
  evidence: Record<string, unknown>;
  cluster_id: string | null;
  state: StoredFlag['state'];
}

/** All SQL on `flags`, `flag_clusters` and `detector_runs`. */
@Injectable()
export class FlagsRepository {
  /** The version the detector last ran in, if it ever ran. */
  async runVersion(manager: EntityManager, detector: string): Promise<string | null> {
    const [row] = await manager.query<{ version: string }[]>(`SELECT version FROM detector_runs WHERE code = $1`, [
      detector,
    ]);
    return row?.version ?? null;
  }

  async saveRun(
    manager: EntityManager,
    run: { detector: string; version: string; lastEventId: string | null; at: Date },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO detector_runs (code, version, last_event_id, last_run_at) VALUES ($1, $2, $3::bigint, $4)
       ON CONFLICT (code) DO UPDATE
         SET version = EXCLUDED.version, last_run_at = EXCLUDED.last_run_at,
             last_event_id = COALESCE(EXCLUDED.last_event_id, detector_runs.last_event_id)`,
      [run.detector, run.version, run.lastEventId, run.at],
    );
  }

  /**
   * Raises or updates the detector's flag on each subject. A flag a moderator decided keeps its state:
   * only its evidence and score follow the new run.
   */
  async upsertFlags(
    manager: EntityManager,
    detector: { code: string; version: string },
    flags: readonly FlagInput[],
    at: Date,
  ): Promise<void> {
    if (flags.length === 0) return;
    await manager.query(
      `INSERT INTO flags (subject_type, subject_id, detector, detector_version, score, evidence, cluster_id,
                          created_at, updated_at)
       SELECT f.subject_type, f.subject_id, $1, $2, f.score, f.evidence, f.cluster_id, $3, $3
         FROM unnest($4::text[], $5::text[], $6::float8[], $7::jsonb[], $8::uuid[])
              AS f(subject_type, subject_id, score, evidence, cluster_id)
       ON CONFLICT (detector, subject_type, subject_id) DO UPDATE
         SET detector_version = EXCLUDED.detector_version, score = EXCLUDED.score, evidence = EXCLUDED.evidence,
             cluster_id = EXCLUDED.cluster_id, updated_at = EXCLUDED.updated_at`,
      [
        detector.code,
        detector.version,
        at,
        flags.map((f) => f.subjectType),
        flags.map((f) => f.subjectId),
        flags.map((f) => f.score),
        flags.map((f) => JSON.stringify(f.evidence)),
        flags.map((f) => f.clusterId ?? null),
      ],
    );
  }

  /**
   * Makes the detector's clusters of this kind that share a member with `cluster` one cluster of all
   * their members, with the new score and evidence, and returns its id: the oldest is kept (its id
   * stays stable), the others deleted (their flags are raised again on the kept one by the caller).
   */
  async mergeCluster(
    manager: EntityManager,
    detector: { code: string; version: string },
    cluster: { kind: string; members: readonly string[]; score: number; evidence: Record<string, unknown> },
    at: Date,
  ): Promise<string> {
    const overlapping = await manager.query<{ id: string; members: string[] }[]>(
      `SELECT id, members FROM flag_clusters WHERE detector = $1 AND kind = $2 AND members && $3::text[]
        ORDER BY created_at, id FOR UPDATE`,
      [detector.code, cluster.kind, cluster.members],
    );
    const members = [...new Set([...cluster.members, ...overlapping.flatMap((row) => row.members)])].sort();
    const [kept, ...merged] = overlapping.map((row) => row.id);
    if (merged.length > 0) await manager.query(`DELETE FROM flag_clusters WHERE id = ANY($1::uuid[])`, [merged]);
    if (kept) {
      await manager.query(
        `UPDATE flag_clusters SET detector_version = $2, members = $3::text[], score = $4, evidence = $5, updated_at = $6
          WHERE id = $1`,
        [kept, detector.version, members, cluster.score, cluster.evidence, at],
      );
      return kept;
    }
    const [row] = await manager.query<{ id: string }[]>(
      `INSERT INTO flag_clusters (detector, detector_version, kind, members, score, evidence, created_at, updated_at)
       VALUES ($1, $2, $3, $4::text[], $5, $6, $7, $7) RETURNING id`,
      [detector.code, detector.version, cluster.kind, members, cluster.score, cluster.evidence, at],
    );
    return row!.id;
  }

  /**
   * After a run in a new version caught up: what the old version raised and the new one did not raise
   * again is no longer concluded. Decided flags stay (a decision is history, not a conclusion).
   */
  async deleteStale(manager: EntityManager, detector: { code: string; version: string }): Promise<number> {
    // Counted in SQL: TypeORM returns a bare DELETE … RETURNING as [rows, count].
    const [deleted] = await manager.query<{ count: number }[]>(
      `WITH stale AS (
         DELETE FROM flags WHERE detector = $1 AND detector_version <> $2 AND state = 'OPEN' RETURNING 1
       )
       SELECT count(*)::int AS count FROM stale`,
      [detector.code, detector.version],
    );
    await manager.query(`DELETE FROM flag_clusters WHERE detector = $1 AND detector_version <> $2`, [
      detector.code,
      detector.version,
    ]);
    return deleted!.count;
  }

  /**
   * For a detector that concludes over everything at once: its open flags of this subject type on
   * subjects it no longer concludes about go, and so do its clusters no flag belongs to any more.
   */
  async withdrawExcept(
    manager: EntityManager,
    detector: string,
    subjectType: FlagSubjectType,
    kept: readonly string[],
  ): Promise<void> {
    await manager.query(
      `DELETE FROM flags WHERE detector = $1 AND subject_type = $2 AND state = 'OPEN' AND subject_id <> ALL($3::text[])`,
      [detector, subjectType, kept],
    );
    await manager.query(
      `DELETE FROM flag_clusters c WHERE detector = $1 AND NOT EXISTS (SELECT 1 FROM flags f WHERE f.cluster_id = c.id)`,
      [detector],
    );
  }

  async flagsOf(manager: EntityManager, detector: string): Promise<StoredFlag[]> {
    const rows = await manager.query<FlagRow[]>(
      `SELECT id, subject_type, subject_id, detector, detector_version, score, evidence, cluster_id, state
         FROM flags WHERE detector = $1 ORDER BY subject_type, subject_id`,
      [detector],
    );
    return rows.map((row) => ({
      id: row.id,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      detector: row.detector,
      detectorVersion: row.detector_version,
      score: row.score,
      evidence: row.evidence,
      clusterId: row.cluster_id,
      state: row.state,
    }));
  }

  async clustersOf(manager: EntityManager, detector: string): Promise<StoredCluster[]> {
    return manager.query<StoredCluster[]>(
      `SELECT id, detector, kind, members, score, evidence FROM flag_clusters WHERE detector = $1 ORDER BY created_at, id`,
      [detector],
    );
  }
}
