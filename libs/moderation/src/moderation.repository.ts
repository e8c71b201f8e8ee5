import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';
import {
  AUDITED_ACTIONS,
  type AuditRecord,
  type DecisionRecord,
  type ReportReason,
  type ReportTarget,
  type ReportedItemRecord,
} from './moderation.types.js';

/** Where a queue page starts: after the item with this report count, last report time (exact text) and target. */
export type QueuePageStart =
  [reportCount: number, lastReportedKey: string, targetType: string, targetId: string] | null;

interface QueueRow {
  target_type: ReportTarget;
  target_id: string;
  open_reports: number;
  reasons: ReportReason[];
  first_reported_at: Date;
  last_reported_at: Date;
  last_key: string;
}

// Inlined, trusted constants: the planner proves the partial index events_audit from the same list.
const AUDITED_LIST = AUDITED_ACTIONS.map((action) => `'${action}'`).join(', ');

const AUDIT_COLUMNS = `id::text, actor_id AS "actorId", action, target_type AS "targetType", target_id AS "targetId",
  meta->>'reason' AS reason, occurred_at AS "createdAt"`;

/** All SQL on `reports`, `moderation_queue` and `moderation_decisions`, and the audit log's reading of `events`. */
@Injectable()
export class ModerationRepository {
  /**
   * Files a report and counts it in the queue, in the caller's transaction; false when the reporter had
   * reported this target before (nothing changes). A null reporter is the system (a detector).
   */
  async insertReport(
    manager: EntityManager,
    report: {
      reporterId: string | null;
      targetType: ReportTarget;
      targetId: string;
      reason: ReportReason;
      details: string | null;
      at: Date;
    },
  ): Promise<boolean> {
    const inserted = await queryRows<{ id: string }>(
      manager,
      `INSERT INTO reports (reporter_id, target_type, target_id, reason, details, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (reporter_id, target_type, target_id) WHERE reporter_id IS NOT NULL DO NOTHING
       RETURNING id`,
      [report.reporterId, report.targetType, report.targetId, report.reason, report.details, report.at],
    );
    if (inserted.length === 0) return false;
    await queryRows(
      manager,
      `INSERT INTO moderation_queue AS q (target_type, target_id, open_reports, reasons, first_reported_at, last_reported_at)
       VALUES ($1, $2, 1, ARRAY[$3::text], $4, $4)
       ON CONFLICT (target_type, target_id) DO UPDATE
         SET open_reports = q.open_reports + 1,
             reasons = CASE WHEN $3 = ANY(q.reasons) THEN q.reasons ELSE q.reasons || $3::text END,
             first_reported_at = least(q.first_reported_at, excluded.first_reported_at),
             last_reported_at = greatest(q.last_reported_at, excluded.last_reported_at)`,
      [report.targetType, report.targetId, report.reason, report.at],
    );
    return true;
  }

  /**
   * Closes the target's open reports with the decision and takes it out of the queue; returns how many
   * closed. The queue row goes first: a report being filed at the same time holds it, so this waits for
   * that report to commit and then closes it too (a report filed after this commits opens a new row).
   */
  async closeReports(
    manager: EntityManager,
    targetType: ReportTarget,
    targetId: string,
    decisionId: string,
  ): Promise<number> {
    await queryRows(manager, `DELETE FROM moderation_queue WHERE target_type = $1 AND target_id = $2`, [
      targetType,
      targetId,
    ]);
    const closed = await queryRows<{ id: string }>(
      manager,
      `UPDATE reports SET decision_id = $3
        WHERE target_type = $1 AND target_id = $2 AND decision_id IS NULL
        RETURNING id`,
      [targetType, targetId, decisionId],
    );
    return closed.length;
  }

  async insertDecision(manager: EntityManager, decision: Omit<DecisionRecord, 'id'>): Promise<DecisionRecord> {
    const [row] = await queryRows<{ id: string }>(
      manager,
      `INSERT INTO moderation_decisions (moderator_id, action, target_type, target_id, reason, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text`,
      [
        decision.moderatorId,
        decision.action,
        decision.targetType,
        decision.targetId,
        decision.reason,
        decision.createdAt,
      ],
    );
    return { ...decision, id: row!.id };
  }

  /** Targets with open reports, most reported first, then the latest report, then the target (keyset). */
  async queue(manager: EntityManager, after: QueuePageStart, limit: number): Promise<ReportedItemRecord[]> {
    const rows = await queryRows<QueueRow>(
      manager,
      `SELECT target_type, target_id, open_reports, reasons, first_reported_at, last_reported_at,
              last_reported_at::text AS last_key
         FROM moderation_queue
        WHERE $1::int IS NULL
           OR open_reports < $1
           OR (open_reports = $1 AND (last_reported_at < $2::timestamptz
               OR (last_reported_at = $2::timestamptz AND (target_type, target_id) > ($3, $4::uuid))))
        ORDER BY open_reports DESC, last_reported_at DESC, target_type, target_id
        LIMIT $5`,
      [after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, after?.[3] ?? null, limit],
    );
    return rows.map((row) => ({
      targetType: row.target_type,
      targetId: row.target_id,
      reportCount: row.open_reports,
      reasons: row.reasons,
      firstReportedAt: row.first_reported_at,
      lastReportedAt: row.last_reported_at,
      lastReportedKey: row.last_key,
    }));
  }

  /** Queue rows that differ from the open reports they count (check-ledger). */
  async queueDifferences(manager: EntityManager): Promise<string[]> {
    const rows = await queryRows<{ problem: string }>(
      manager,
      `SELECT coalesce(q.target_type, r.target_type) || ' ' || coalesce(q.target_id, r.target_id)
                || ': queue counts ' || coalesce(q.open_reports, 0) || ', open reports ' || coalesce(r.open, 0) AS problem
         FROM moderation_queue q
         FULL JOIN (SELECT target_type, target_id, count(*)::int AS open FROM reports
                     WHERE decision_id IS NULL GROUP BY target_type, target_id) r
           ON r.target_type = q.target_type AND r.target_id = q.target_id
        WHERE coalesce(q.open_reports, 0) <> coalesce(r.open, 0)
        ORDER BY 1`,
    );
    return rows.map((row) => row.problem);
  }

  /** The privileged actions of the events log, newest first, before the event id `before` (keyset on events_audit). */
  async auditLog(manager: EntityManager, before: string | null, limit: number): Promise<AuditRecord[]> {
    return queryRows<AuditRecord>(
      manager,
      `SELECT ${AUDIT_COLUMNS} FROM events
        WHERE action IN (${AUDITED_LIST}) AND ($1::bigint IS NULL OR id < $1)
        ORDER BY events.id DESC
        LIMIT $2`,
      [before, limit],
    );
  }

  /** One entry of the audit log: the event of that id, if it is a privileged action. */
  async auditEntry(manager: EntityManager, id: string): Promise<AuditRecord | null> {
    const [row] = await queryRows<AuditRecord>(
      manager,
      `SELECT ${AUDIT_COLUMNS} FROM events WHERE id = $1 AND action IN (${AUDITED_LIST})`,
      [id],
    );
    return row ?? null;
  }
}
