import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedRows } from '../database/query-rows.js';
import type { EventPosition, StoredEvent } from './event.types.js';

interface EventRow {
  id: string;
  xid: string;
  occurred_at: Date;
  action: string;
  actor_id: string | null;
  brand_id: string | null;
  target_type: string | null;
  target_id: string | null;
  device_fingerprint: string | null;
  network_fingerprint: string | null;
  meta: Record<string, unknown>;
}

const toEvent = (row: EventRow): StoredEvent => ({
  id: row.id,
  xid: row.xid,
  occurredAt: row.occurred_at,
  action: row.action,
  actorId: row.actor_id,
  brandId: row.brand_id,
  targetType: row.target_type,
  targetId: row.target_id,
  deviceFingerprintHash: row.device_fingerprint,
  networkFingerprintHash: row.network_fingerprint,
  meta: row.meta,
});

/** All SQL on `events` and `event_consumers`. */
@Injectable()
export class EventsRepository {
  async insert(
    manager: EntityManager,
    event: {
      action: string;
      actorId: string | null;
      brandId: string | null;
      targetType: string | null;
      targetId: string | null;
      deviceFingerprint: string | null;
      networkFingerprint: string | null;
      meta: Record<string, unknown>;
      occurredAt: Date | null;
      fingerprintsOfEvent: string | null;
    },
  ): Promise<string> {
    // Prepared: every change of the product writes events, an award one in most transactions (issue 6).
    const [row] = await preparedRows<{ id: string }>(
      manager,
      'events_insert',
      `INSERT INTO events (action, actor_id, brand_id, target_type, target_id,
                           device_fingerprint, network_fingerprint, meta, occurred_at)
       SELECT $1, $2, $3, $4, $5,
              COALESCE($6, source.device_fingerprint), COALESCE($7, source.network_fingerprint),
              $8, COALESCE($9, now())
         FROM (SELECT 1) one
         LEFT JOIN events source ON source.id = $10::bigint
       RETURNING id::text`,
      [
        event.action,
        event.actorId,
        event.brandId,
        event.targetType,
        event.targetId,
        event.deviceFingerprint,
        event.networkFingerprint,
        JSON.stringify(event.meta),
        event.occurredAt,
        event.fingerprintsOfEvent,
      ],
    );
    return row!.id;
  }

  /**
   * Events after `position` in (transaction, id) order whose transactions are
   * all finished: every transaction below the oldest running one has committed
   * or rolled back, so no event can later appear before what this returns.
   */
  async readSettledAfter(manager: EntityManager, position: EventPosition, limit: number): Promise<StoredEvent[]> {
    const rows = await manager.query<EventRow[]>(
      `SELECT id::text, xid::text, occurred_at, action, actor_id, brand_id, target_type, target_id,
              device_fingerprint, network_fingerprint, meta
         FROM events
        WHERE (xid, id) > ($1::xid8, $2::bigint)
          AND xid < pg_snapshot_xmin(pg_current_snapshot())
        -- Qualified: a bare "xid" would mean the text column of the select list.
        ORDER BY events.xid, events.id
        LIMIT $3`,
      [position.xid, position.id, limit],
    );
    return rows.map(toEvent);
  }

  /**
   * Serializes the runs of one consumer. An advisory lock, not a row lock: a row
   * lock would give this transaction an id, holding back the settled horizon.
   */
  async lockConsumer(manager: EntityManager, consumer: string): Promise<EventPosition> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('event-consumer'), hashtext($1))`, [consumer]);
    const [row] = await manager.query<{ xid: string; id: string }[]>(
      `SELECT position_xid::text AS xid, position_id::text AS id FROM event_consumers WHERE name = $1`,
      [consumer],
    );
    return row ?? { xid: '0', id: '0' };
  }

  async deletePosition(manager: EntityManager, consumer: string): Promise<void> {
    await manager.query(`DELETE FROM event_consumers WHERE name = $1`, [consumer]);
  }

  async count(manager: EntityManager): Promise<number> {
    const [row] = await manager.query<{ count: number }[]>(`SELECT count(*)::int AS count FROM events`);
    return row!.count;
  }

  async savePosition(manager: EntityManager, consumer: string, position: EventPosition): Promise<void> {
    await manager.query(
      `INSERT INTO event_consumers (name, position_xid, position_id, updated_at)
       VALUES ($1, $2::xid8, $3::bigint, now())
       ON CONFLICT (name) DO UPDATE
         SET position_xid = EXCLUDED.position_xid, position_id = EXCLUDED.position_id, updated_at = now()`,
      [consumer, position.xid, position.id],
    );
  }
}
