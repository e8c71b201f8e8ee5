import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { requestLoader } from '@boardroom/core';
import { AwardsRepository, type UserAwardRecord } from './awards.repository.js';

/** Reading awards: a user's, batched over the users of a response. */
@Injectable()
export class AwardsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly awards: AwardsRepository,
  ) {}

  async loadOfUser(context: object, userId: string): Promise<UserAwardRecord[]> {
    const loaded = await requestLoader(
      context,
      'user-awards',
      async (userIds: readonly string[]) => {
        const rows = await this.awards.listByUsers(this.dataSource.manager, userIds);
        return userIds.map((userId) => ({ userId, awards: rows.filter((row) => row.userId === userId) }));
      },
      (group) => group.userId,
    ).load(userId);
    return loaded?.awards ?? [];
  }
}
