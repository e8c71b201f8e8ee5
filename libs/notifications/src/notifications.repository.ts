import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows, type TimestampPageStart } from '@boardroom/core';
import type { NewNotification, NotificationKind, NotificationRecord } from './notification.record.js';

interface NotificationRow {
  id: string;
  user_id: string;
  kind: NotificationKind;
  message: string;
  brand_id: string | null;
  meta: Record<string, unknown>;
  read_at: Date | null;
  created_at: Date;
  sort_key: string;
}

const COLUMNS = `id, user_id, kind, message, brand_id, meta, read_at, created_at, created_at::text AS sort_key`;

const toRecord = (row: NotificationRow): NotificationRecord => ({
  id: row.id,
  userId: row.user_id,
  kind: row.kind,
  message: row.message,
  brandId: row.brand_id,
  meta: row.meta,
  readAt: row.read_at,
  createdAt: row.created_at,
  sortKey: row.sort_key,
});

/** All SQL on `notifications`. */
@Injectable()
export class NotificationsRepository {
  async insert(manager: EntityManager, notification: NewNotification): Promise<NotificationRecord> {
    const [row] = await queryRows<NotificationRow>(
      manager,
      `INSERT INTO notifications (user_id, kind, message, brand_id, meta, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [
        notification.userId,
        notification.kind,
        notification.message,
        notification.brandId,
        JSON.stringify(notification.meta ?? {}),
        notification.at,
      ],
    );
    return toRecord(row!);
  }

  /** One notification for each of `userIds`, in one statement. */
  async insertForEach(
    manager: EntityManager,
    userIds: readonly string[],
    notification: Omit<NewNotification, 'userId'>,
  ): Promise<NotificationRecord[]> {
    const rows = await queryRows<NotificationRow>(
      manager,
      `INSERT INTO notifications (user_id, kind, message, brand_id, meta, created_at)
       SELECT user_id, $2, $3, $4, $5, $6 FROM unnest($1::uuid[]) AS user_id RETURNING ${COLUMNS}`,
      [
        userIds,
        notification.kind,
        notification.message,
        notification.brandId,
        JSON.stringify(notification.meta ?? {}),
        notification.at,
      ],
    );
    return rows.map(toRecord);
  }

  async findOwn(manager: EntityManager, userId: string, id: string): Promise<NotificationRecord | null> {
    const [row] = await queryRows<NotificationRow>(
      manager,
      `SELECT ${COLUMNS} FROM notifications WHERE id = $1 AND user_id = $2`,
      [id, userId],
    );
    return row ? toRecord(row) : null;
  }

  /** Newest first, by the notifications_user (or _unread) index. */
  async listByUser(
    manager: EntityManager,
    userId: string,
    options: { unreadOnly: boolean; after: TimestampPageStart; limit: number },
  ): Promise<NotificationRecord[]> {
    const rows = await queryRows<NotificationRow>(
      manager,
      `SELECT ${COLUMNS} FROM notifications
        WHERE user_id = $1 AND (NOT $2 OR read_at IS NULL)
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT $5`,
      [userId, options.unreadOnly, options.after?.[0] ?? null, options.after?.[1] ?? null, options.limit],
    );
    return rows.map(toRecord);
  }

  /** Marks the user's own notifications among `ids` read; returns how many were unread. */
  async markRead(manager: EntityManager, userId: string, ids: string[], at: Date): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      manager,
      `UPDATE notifications SET read_at = $3
        WHERE user_id = $1 AND id = ANY($2::uuid[]) AND read_at IS NULL
        RETURNING id`,
      [userId, ids, at],
    );
    return rows.length;
  }
}
