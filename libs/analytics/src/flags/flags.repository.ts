import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';
import type { FlagRecord, FlagSubjectType, RaisedCluster, RaisedFlag } from './flag.types.js';

interface FlagRow {
  id: string;
  subject_type: FlagSubjectType;
  subject_id: string;
  detector_code: string;
  detector_version: string;
  score: number;
  evidence: Record<string, unknown>;
  cluster_id: string | null;
  state: FlagRecord['state'];
  created_at: Date;
  updated_at: Date;
}

/** All SQL on `flags`, `flag_clusters` and `detector_runs`. */
@Injectable()
export class FlagsRepository {
  /** Raises the flag, or updates the detector's existing one on that subject (its state stays). */
  async upsertFlag(
    manager: EntityManager,
    detector: { code: string; version: string },
    flag: RaisedFlag,
    now: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO flags (subject_type, subject_id, detector_code, detector_version, score, evidence, cluster_id,
                          created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
       ON CONFLICT (detector_code, subject_type, subject_id) DO UPDATE
         SET detector_version = EXCLUDED.detector_version, score = EXCLUDED.score, evidence = EXCLUDED.evidence,
             cluster_id = EXCLUDED.cluster_id, updated_at = EXCLUDED.updated_at`,
      [
        flag.subjectType,
        flag.subjectId,
        detector.code,
        detector.version,
        flag.score,
        JSON.stringify(flag.evidence),
        flag.clusterId,
        now,
      ],
    );
  }

  /** Creates or updates the detector's cluster of that key; returns its id. */
  async upsertCluster(
    manager: EntityManager,
    detector: { code: string; version: string },
    cluster: RaisedCluster,
    now: Date,
  ): Promise<string> {
    const [row] = await queryRows<{ id: string }>(
      manager,
      `INSERT INTO flag_clusters (detector_code, detector_version, kind, cluster_key, members, score, evidence,
                                  created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
       ON CONFLICT (detector_code, cluster_key) DO UPDATE
         SET detector_version = EXCLUDED.detector_version, kind = EXCLUDED.kind, members = EXCLUDED.members,
             score = EXCLUDED.score, evidence = EXCLUDED.evidence, updated_at = EXCLUDED.updated_at
       RETURNING id::text`,
      [
        detector.code,
        detector.version,
        cluster.kind,
        cluster.key,
        JSON.stringify(cluster.members),
        cluster.score,
        JSON.stringify(cluster.evidence),
        now,
      ],
    );
    return row!.id;
  }

  /** Drops the detector's clusters of these keys (merged into another); their flags lose the link. */
  async deleteClusters(manager: EntityManager, detectorCode: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await manager.query(`DELETE FROM flag_clusters WHERE detector_code = $1 AND cluster_key = ANY($2::text[])`, [
      detectorCode,
      keys,
    ]);
  }

  /**
   * Forgets what a detector found, for a re-evaluation under a new version: flags a moderator decided
   * on stay (with their decision), the rest go, and so do its clusters.
   */
  async forgetDetector(manager: EntityManager, detectorCode: string): Promise<void> {
    await manager.query(`DELETE FROM flags WHERE detector_code = $1 AND state IN ('OPEN', 'APPEALED')`, [detectorCode]);
    await manager.query(`DELETE FROM flag_clusters WHERE detector_code = $1`, [detectorCode]);
  }

  async flagsOf(manager: EntityManager, detectorCode: string): Promise<FlagRecord[]> {
    const rows = await queryRows<FlagRow>(
      manager,
      `SELECT id::text, subject_type, subject_id, detector_code, detector_version, score, evidence,
              cluster_id::text, state, created_at, updated_at
         FROM flags WHERE detector_code = $1 ORDER BY subject_type, subject_id`,
      [detectorCode],
    );
    return rows.map((row) => ({
      id: row.id,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      detectorCode: row.detector_code,
      detectorVersion: row.detector_version,
      score: row.score,
      evidence: row.evidence,
      clusterId: row.cluster_id,
      state: row.state,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  }

  /** The version the detector's stored results are of, or null when it never ran. */
  async runVersion(manager: EntityManager, detectorCode: string): Promise<string | null> {
    const [row] = await queryRows<{ version: string }>(
      manager,
      `SELECT version FROM detector_runs WHERE detector_code = $1`,
      [detectorCode],
    );
    return row?.version ?? null;
  }

  async startVersion(manager: EntityManager, detector: { code: string; version: string }, now: Date): Promise<void> {
    await manager.query(
      `INSERT INTO detector_runs (detector_code, version, version_started_at) VALUES ($1, $2, $3)
       ON CONFLICT (detector_code) DO UPDATE
         SET version = EXCLUDED.version, version_started_at = EXCLUDED.version_started_at,
             last_event_id = NULL, events_processed = 0, last_run_at = NULL`,
      [detector.code, detector.version, now],
    );
  }

  /** Records a handled batch, in the batch's transaction. */
  async recordBatch(manager: EntityManager, detectorCode: string, lastEventId: string, events: number): Promise<void> {
    await manager.query(
      `UPDATE detector_runs SET last_event_id = $2::bigint, events_processed = events_processed + $3
        WHERE detector_code = $1`,
      [detectorCode, lastEventId, events],
    );
  }

  async recordRun(manager: EntityManager, detectorCode: string, now: Date): Promise<void> {
    await manager.query(`UPDATE detector_runs SET last_run_at = $2 WHERE detector_code = $1`, [detectorCode, now]);
  }
}
