import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface LockstepAction {
  target: string;
  userId: string;
  at: Date;
  eventId: string;
}

/** All SQL on `lockstep_actions`, and the owners of their photo targets. */
@Injectable()
export class LockstepRepository {
  async record(manager: EntityManager, actions: readonly LockstepAction[]): Promise<void> {
    if (actions.length === 0) return;
    await manager.query(
      `INSERT INTO lockstep_actions (target, user_id, acted_at, event_id)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::timestamptz[], $4::bigint[])
       ON CONFLICT DO NOTHING`,
      [
        actions.map((a) => a.target),
        actions.map((a) => a.userId),
        actions.map((a) => a.at),
        actions.map((a) => a.eventId),
      ],
    );
  }

  /**
   * The accounts that acted on the same targets as `userId` within `windowMinutes` of one of its
   * actions there, each with those targets, when they are at least `minTargets`. An index range per
   * action of the account: the cost follows its own activity, not the log's.
   */
  async partners(
    manager: EntityManager,
    userId: string,
    windowMinutes: number,
    minTargets: number,
  ): Promise<{ userId: string; targets: string[] }[]> {
    const rows = await manager.query<{ user_id: string; targets: string[] }[]>(
      `SELECT b.user_id, array_agg(DISTINCT a.target ORDER BY a.target) AS targets
         FROM lockstep_actions a
         JOIN lockstep_actions b
           ON b.target = a.target AND b.user_id <> a.user_id
          AND b.acted_at BETWEEN a.acted_at - make_interval(mins => $2) AND a.acted_at + make_interval(mins => $2)
        WHERE a.user_id = $1
        GROUP BY b.user_id
       HAVING count(DISTINCT a.target) >= $3
        ORDER BY b.user_id`,
      [userId, windowMinutes, minTargets],
    );
    return rows.map((row) => ({ userId: row.user_id, targets: row.targets }));
  }

  /** The owner of each of the photos that exist, one entry per photo. */
  async photoOwners(manager: EntityManager, photoIds: readonly string[]): Promise<string[]> {
    const rows = await manager.query<{ owner_id: string }[]>(`SELECT owner_id FROM photos WHERE id = ANY($1::uuid[])`, [
      photoIds,
    ]);
    return rows.map((row) => row.owner_id);
  }
}
