import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PhotoEarnings, type PhotoEarning, type PhotoRecord } from '@boardroom/photos';
import { GAME_RULES, dailyPhotoCapReached, utcDayBounds } from './rules.js';
import { ShareLedger } from './ledger/share-ledger.service.js';

/**
 * GAME.md's photo rules, in the publishing transaction: +10 shares for an original, none for a
 * near-duplicate, none beyond the daily cap of earning photos per user and brand; deleting a photo
 * reverses what it earned. Keys: `photo:<photoId>`, `reversal:<entryId>`.
 */
@Injectable()
export class PhotoAwards extends PhotoEarnings {
  readonly maxDuplicateDistance = GAME_RULES.duplicates.maxHammingDistance;

  constructor(private readonly ledger: ShareLedger) {
    super();
  }

  async published(
    manager: EntityManager,
    photo: Pick<PhotoRecord, 'id' | 'ownerId' | 'brandId' | 'duplicateOf'>,
    at: Date,
  ): Promise<PhotoEarning> {
    if (photo.duplicateOf) return { sharesAwarded: 0, sharesWithheld: 'DUPLICATE' };
    // Counted under the (user, brand) lock, so concurrent publishes cannot both take the last slot.
    await this.ledger.lock(manager, photo.ownerId, photo.brandId);
    const earningToday = await this.ledger.countEarning(
      manager,
      photo.ownerId,
      photo.brandId,
      'PHOTO_PUBLISHED',
      utcDayBounds(at),
    );
    if (dailyPhotoCapReached(earningToday)) {
      return { sharesAwarded: 0, sharesWithheld: 'DAILY_CAP' };
    }
    const { entry } = await this.ledger.apply(manager, {
      userId: photo.ownerId,
      brandId: photo.brandId,
      shares: GAME_RULES.shares.photoPublished,
      reason: 'PHOTO_PUBLISHED',
      sourceType: 'photo',
      sourceId: photo.id,
      idempotencyKey: `photo:${photo.id}`,
      at,
    });
    return { sharesAwarded: entry.shares, sharesWithheld: null };
  }

  async deleted(manager: EntityManager, photo: PhotoRecord, at: Date): Promise<void> {
    const earned = await this.ledger.findEntryByKey(manager, `photo:${photo.id}`);
    if (!earned || earned.shares === 0) return;
    await this.ledger.apply(manager, {
      userId: earned.userId,
      brandId: earned.brandId,
      shares: -earned.shares,
      reason: 'REVERSAL',
      sourceType: 'ledger',
      sourceId: earned.id,
      idempotencyKey: `reversal:${earned.id}`,
      reverses: earned.id,
      at,
    });
  }
}
