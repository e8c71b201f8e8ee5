import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Clock, PubSubService, afterCommit, isUuid, timestampPageStart } from '@boardroom/core';
import type { NewNotification, NotificationRecord } from './notification.record.js';
import { NotificationsRepository } from './notifications.repository.js';

const liveChannel = (userId: string) => `notifications:${userId}`;

/**
 * Stored notifications: written in the transaction of what they tell (a title change, a seat won), so a
 * user is told exactly what happened, once; read back newest first and marked read by their user only, and published live after the commit.
 */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationsRepository,
    private readonly clock: Clock,
    private readonly pubsub: PubSubService,
  ) {}

  /** Stores the notification in the caller's transaction and, once that commits, delivers it live. */
  async notify(manager: EntityManager, notification: NewNotification): Promise<NotificationRecord> {
    const stored = await this.notifications.insert(manager, notification);
    afterCommit(manager, () => this.pubsub.publish(liveChannel(stored.userId), stored));
    return stored;
  }

  /** The same notification to many users, stored in one statement in the caller's transaction, then delivered live. */
  async notifyEach(
    manager: EntityManager,
    userIds: readonly string[],
    notification: Omit<NewNotification, 'userId'>,
  ): Promise<number> {
    if (userIds.length === 0) return 0;
    const stored = await this.notifications.insertForEach(manager, userIds, notification);
    afterCommit(manager, () => {
      for (const record of stored) void this.pubsub.publish(liveChannel(record.userId), record);
    });
    return stored.length;
  }

  /** The user's notifications as they are stored, live; through Redis when several processes serve. */
  live(userId: string, until?: Date): AsyncIterableIterator<NotificationRecord> {
    return this.pubsub.subscribe<NotificationRecord>(liveChannel(userId), until);
  }

  /** The user's own notification, or null: another's is indistinguishable from one that does not exist. */
  findOwn(userId: string, id: string): Promise<NotificationRecord | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.notifications.findOwn(this.dataSource.manager, userId, id);
  }

  /** `limit` rows after the cursor: the caller asks for one more than a page to learn whether another follows. */
  list(
    userId: string,
    options: { unreadOnly: boolean; after: string | null | undefined; limit: number },
  ): Promise<NotificationRecord[]> {
    return this.notifications.listByUser(this.dataSource.manager, userId, {
      unreadOnly: options.unreadOnly,
      after: timestampPageStart(options.after),
      limit: options.limit,
    });
  }

  /** Ids that are not the user's, or not ids at all, are ignored: they mark nothing and reveal nothing. */
  markRead(userId: string, ids: string[]): Promise<number> {
    const own = ids.filter(isUuid);
    if (own.length === 0) return Promise.resolve(0);
    return this.notifications.markRead(this.dataSource.manager, userId, own, this.clock.now());
  }
}
