import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';
import type { AwardCode } from '@boardroom/game';

export interface UserAwardRecord {
  id: string;
  userId: string;
  code: AwardCode;
  brandId: string | null;
  bonusBrandId: string;
  grantedAt: Date;
}

const GLOBAL = 'global';

/** All SQL on `user_awards` and `award_progress`. */
@Injectable()
export class AwardsRepository {
  async isGranted(manager: EntityManager, code: AwardCode, userId: string, brandId: string | null): Promise<boolean> {
    const rows = await queryRows(
      manager,
      `SELECT 1 FROM user_awards WHERE user_id = $1 AND code = $2 AND brand_id IS NOT DISTINCT FROM $3::uuid`,
      [userId, code, brandId],
    );
    return rows.length > 0;
  }

  /**
   * Adds `item` to the progress of (code, user, brand) unless it is there, keeping what `keep` keeps,
   * under the row's lock; returns the items.
   */
  async addItem(
    manager: EntityManager,
    progress: { code: AwardCode; userId: string; brandId: string | null; item: string; at: Date },
    keep: (items: readonly string[]) => string[],
  ): Promise<string[]> {
    const key = [progress.code, progress.userId, progress.brandId ?? GLOBAL];
    await queryRows(
      manager,
      `INSERT INTO award_progress (code, user_id, scope, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [...key, progress.at],
    );
    const [row] = await queryRows<{ items: string[] }>(
      manager,
      `SELECT items FROM award_progress WHERE code = $1 AND user_id = $2 AND scope = $3 FOR UPDATE`,
      key,
    );
    if (row!.items.includes(progress.item)) return row!.items;
    const items = keep([...row!.items, progress.item]);
    await queryRows(
      manager,
      `UPDATE award_progress SET items = $4, updated_at = $5 WHERE code = $1 AND user_id = $2 AND scope = $3`,
      [...key, items, progress.at],
    );
    return items;
  }

  /** Records the award once; null when it was granted already. */
  async insertAward(
    manager: EntityManager,
    award: { code: AwardCode; userId: string; brandId: string | null; bonusBrandId: string; eventId: string; at: Date },
  ): Promise<UserAwardRecord | null> {
    const [row] = await queryRows<UserAwardRecord>(
      manager,
      `INSERT INTO user_awards (user_id, code, brand_id, bonus_brand_id, event_id, granted_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING
       RETURNING id, user_id AS "userId", code, brand_id AS "brandId", bonus_brand_id AS "bonusBrandId",
                 granted_at AS "grantedAt"`,
      [award.userId, award.code, award.brandId, award.bonusBrandId, award.eventId, award.at],
    );
    return row ?? null;
  }

  /** The awards of these users not revoked, newest first. */
  async listByUsers(manager: EntityManager, userIds: readonly string[]): Promise<UserAwardRecord[]> {
    return queryRows<UserAwardRecord>(
      manager,
      `SELECT id, user_id AS "userId", code, brand_id AS "brandId", bonus_brand_id AS "bonusBrandId",
              granted_at AS "grantedAt"
         FROM user_awards WHERE user_id = ANY($1::uuid[]) AND revoked_at IS NULL
        ORDER BY granted_at DESC, id`,
      [userIds],
    );
  }

  /** The user who created the brand's entry, if known. */
  async brandCreator(manager: EntityManager, brandId: string): Promise<string | null> {
    const [row] = await queryRows<{ created_by: string | null }>(
      manager,
      `SELECT created_by FROM brands WHERE id = $1`,
      [brandId],
    );
    return row?.created_by ?? null;
  }
}
