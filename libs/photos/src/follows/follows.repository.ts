import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';

/** `followers`: how many follow a user; `following`: how many a user follows. */
export type FollowCountKind = 'followers' | 'following';

/** The column that names the counted user. */
const COUNTED_BY: Record<FollowCountKind, string> = { followers: 'followee_id', following: 'follower_id' };

export interface FollowCount {
  userId: string;
  count: number;
}

/** All SQL on `follows` but the feed's (in photos.repository.ts). */
@Injectable()
export class FollowsRepository {
  /** Whether the row was added (false: `followerId` already followed `followeeId`). */
  async insert(manager: EntityManager, followerId: string, followeeId: string, at: Date): Promise<boolean> {
    const rows = await queryRows(
      manager,
      `INSERT INTO follows (follower_id, followee_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
      [followerId, followeeId, at],
    );
    return rows.length > 0;
  }

  /** Whether a row was removed (false: `followerId` did not follow `followeeId`). */
  async delete(manager: EntityManager, followerId: string, followeeId: string): Promise<boolean> {
    const rows = await queryRows(
      manager,
      `DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2 RETURNING 1`,
      [followerId, followeeId],
    );
    return rows.length > 0;
  }

  /** How many follow each of the users given, or how many each follows (users with none are absent). */
  async count(manager: EntityManager, of: FollowCountKind, userIds: readonly string[]): Promise<FollowCount[]> {
    // The column comes from the closed map above, never from input.
    const column = COUNTED_BY[of];
    return queryRows<FollowCount>(
      manager,
      `SELECT ${column} AS "userId", count(*)::int AS count FROM follows
        WHERE ${column} = ANY($1::uuid[]) GROUP BY ${column}`,
      [userIds],
    );
  }
}
