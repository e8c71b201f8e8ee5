import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';
import type { ExportJobRecord } from './export-job.record.js';

const COLUMNS = `id, kind, requested_by AS "requestedBy", project_id AS "projectId", format, params, status,
  rows::int AS rows, storage_key AS "storageKey", error, created_at AS "createdAt", finished_at AS "finishedAt"`;

/** All SQL on `export_jobs`. */
@Injectable()
export class ExportJobsRepository {
  async insert(
    manager: EntityManager,
    job: Pick<ExportJobRecord, 'kind' | 'requestedBy' | 'projectId' | 'format' | 'params' | 'createdAt'>,
  ): Promise<ExportJobRecord> {
    const [row] = await queryRows<ExportJobRecord>(
      manager,
      `INSERT INTO export_jobs (kind, requested_by, project_id, format, params, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [job.kind, job.requestedBy, job.projectId, job.format, JSON.stringify(job.params), job.createdAt],
    );
    return row!;
  }

  /** Serializes one user's requests for their data: two at once make one job. */
  async lockRequester(manager: EntityManager, userId: string): Promise<void> {
    await queryRows(manager, `SELECT pg_advisory_xact_lock(hashtext('personal-export:' || $1))`, [userId]);
  }

  /** The user's download of their data still queued or running, if any. */
  async pendingPersonal(manager: EntityManager, userId: string): Promise<ExportJobRecord | null> {
    const [row] = await queryRows<ExportJobRecord>(
      manager,
      `SELECT ${COLUMNS} FROM export_jobs
        WHERE requested_by = $1 AND kind = 'PERSONAL' AND status IN ('QUEUED', 'RUNNING')
        ORDER BY created_at DESC LIMIT 1`,
      [userId],
    );
    return row ?? null;
  }

  async find(manager: EntityManager, id: string): Promise<ExportJobRecord | null> {
    const [row] = await queryRows<ExportJobRecord>(manager, `SELECT ${COLUMNS} FROM export_jobs WHERE id = $1`, [id]);
    return row ?? null;
  }

  async started(manager: EntityManager, id: string, at: Date): Promise<void> {
    await queryRows(manager, `UPDATE export_jobs SET status = 'RUNNING', started_at = $2, rows = 0 WHERE id = $1`, [
      id,
      at,
    ]);
  }

  async progress(manager: EntityManager, id: string, rows: number): Promise<void> {
    await queryRows(manager, `UPDATE export_jobs SET rows = $2 WHERE id = $1 AND status = 'RUNNING'`, [id, rows]);
  }

  async done(
    manager: EntityManager,
    id: string,
    result: { rows: number; storageKey: string; at: Date },
  ): Promise<void> {
    await queryRows(
      manager,
      `UPDATE export_jobs SET status = 'DONE', rows = $2, storage_key = $3, finished_at = $4, error = NULL WHERE id = $1`,
      [id, result.rows, result.storageKey, result.at],
    );
  }

  async failed(manager: EntityManager, id: string, error: string, at: Date): Promise<void> {
    await queryRows(manager, `UPDATE export_jobs SET status = 'FAILED', error = $2, finished_at = $3 WHERE id = $1`, [
      id,
      error,
      at,
    ]);
  }

  /**
   * Finished jobs whose archive is still stored, finished before `before`, oldest first after `after` (the
   * export_jobs_finished index); `finishedAt` as text, exact to the microsecond, for the next page.
   */
  async archivesFinishedBefore(
    manager: EntityManager,
    before: Date,
    after: { finishedAt: string; id: string } | null,
    limit: number,
  ): Promise<{ id: string; storageKey: string; finishedAt: string }[]> {
    return queryRows(
      manager,
      `SELECT id, storage_key AS "storageKey", finished_at::text AS "finishedAt" FROM export_jobs
        WHERE storage_key IS NOT NULL AND finished_at < $1
          AND ($2::timestamptz IS NULL OR (finished_at, id) > ($2::timestamptz, $3::uuid))
        ORDER BY finished_at, id LIMIT $4`,
      [before, after?.finishedAt ?? null, after?.id ?? null, limit],
    );
  }

  /** The job's archive was deleted: EXPIRED, with no key. */
  async expired(manager: EntityManager, id: string, storageKey: string): Promise<void> {
    await queryRows(
      manager,
      `UPDATE export_jobs SET status = 'EXPIRED', storage_key = NULL WHERE id = $1 AND storage_key = $2`,
      [id, storageKey],
    );
  }
}
