import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Clock, DomainError, EventLog, inTransaction } from '@boardroom/core';
import { UsersService, type ClientInfo, type UserRecord, type Viewer } from '@boardroom/accounts';
import { FollowsRepository, type FollowCount, type FollowCountKind } from './follows.repository.js';

/** Who follows whom: both directions idempotent, an event only when something changed. */
@Injectable()
export class FollowsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly follows: FollowsRepository,
    private readonly users: UsersService,
    private readonly events: EventLog,
    private readonly clock: Clock,
  ) {}

  /** The viewer follows the user of `handle` (already following is fine); returns that user. */
  async follow(viewer: Viewer, handle: string, client: ClientInfo): Promise<UserRecord> {
    const followee = await this.existingUser(handle);
    if (followee.id === viewer.id) {
      throw DomainError.badInput('You cannot follow yourself; follow someone else by their handle.', [
        { field: 'handle', message: 'is your own handle' },
      ]);
    }
    await this.change(viewer, followee, client, 'user.followed', (manager) =>
      this.follows.insert(manager, viewer.id, followee.id, this.clock.now()),
    );
    return followee;
  }

  /** The viewer stops following the user of `handle` (not following is fine); returns that user. */
  async unfollow(viewer: Viewer, handle: string, client: ClientInfo): Promise<UserRecord> {
    const followee = await this.existingUser(handle);
    await this.change(viewer, followee, client, 'user.unfollowed', (manager) =>
      this.follows.delete(manager, viewer.id, followee.id),
    );
    return followee;
  }

  count(of: FollowCountKind, userIds: readonly string[]): Promise<FollowCount[]> {
    return this.follows.count(this.dataSource.manager, of, userIds);
  }

  private async existingUser(handle: string): Promise<UserRecord> {
    const user = await this.users.findByHandle(handle);
    if (!user) throw DomainError.notFound(`The user "${handle}"`);
    return user;
  }

  /** Runs `write` and, when it changed a row, records `action` in the same transaction. */
  private async change(
    viewer: Viewer,
    followee: UserRecord,
    client: ClientInfo,
    action: 'user.followed' | 'user.unfollowed',
    write: (manager: EntityManager) => Promise<boolean>,
  ): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      if (!(await write(manager))) return;
      await this.events.record(manager, {
        action,
        actorId: viewer.id,
        targetType: 'user',
        targetId: followee.id,
        networkFingerprint: client.ip,
        deviceFingerprint: client.deviceId,
      });
    });
  }
}
