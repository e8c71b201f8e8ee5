import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface ActorAtAction {
  createdAt: Date;
  /** Followers who followed before the action (and still do). */
  followers: number;
  /** Brands of the actor's `actions` from sign-up up to the action. */
  brands: number;
}

/** The account facts the young-accounts detector reads, as they were at an action. */
@Injectable()
export class YoungAccountsRepository {
  async actorAt(
    manager: EntityManager,
    userId: string,
    at: Date,
    actions: readonly string[],
  ): Promise<ActorAtAction | null> {
    const [row] = await manager.query<{ created_at: Date; followers: number; brands: number }[]>(
      `SELECT u.created_at,
              (SELECT count(*)::int FROM follows f WHERE f.followee_id = u.id AND f.created_at <= $2) AS followers,
              (SELECT count(DISTINCT e.brand_id)::int FROM events e
                WHERE e.actor_id = u.id AND e.occurred_at BETWEEN u.created_at AND $2
                  AND e.action = ANY($3::text[]) AND e.brand_id IS NOT NULL) AS brands
         FROM users u WHERE u.id = $1`,
      [userId, at, actions],
    );
    return row ? { createdAt: row.created_at, followers: row.followers, brands: row.brands } : null;
  }
}
