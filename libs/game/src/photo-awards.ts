import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PhotoEarnings, type PhotoEarning, type PhotoRecord } from '@boardroom/photos';
import { GAME_RULES, commentCredit, dailyPhotoCapReached, utcDayBounds } from './rules.js';
import { ShareLedger, type Earning } from './ledger/share-ledger.service.js';

/**
 * GAME.md's rules for photos and comments, in the transaction that publishes or posts them: +10 shares
 * for an original photo, none for a near-duplicate, none beyond the daily cap of earning photos per user
 * and brand; +1 for a comment on someone else's photo within the comment rules; a deletion reverses
 * what it earned. Keys: `photo:<photoId>`, `comment:<commentId>`, `reversal:<entryId>`. An account whose credit
 * is held earns nothing now (FLAGGED): its credit is withheld for a moderator's decision (ShareLedger.earn).
 */
@Injectable()
export class PhotoAwards extends PhotoEarnings {
  readonly maxDuplicateDistance = GAME_RULES.duplicates.maxHammingDistance;
  readonly repeatWindow = GAME_RULES.comments.repeatWindow;

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
    // A redelivered publish answers what the first one awarded: counted now, the cap it filled would withhold it.
    const prior = await this.ledger.priorEarning(manager, `photo:${photo.id}`);
    if (prior) return photoEarning(prior);
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
    const earning = await this.ledger.earn(manager, {
      userId: photo.ownerId,
      brandId: photo.brandId,
      shares: GAME_RULES.shares.photoPublished,
      reason: 'PHOTO_PUBLISHED',
      sourceType: 'photo',
      sourceId: photo.id,
      idempotencyKey: `photo:${photo.id}`,
      at,
    });
    return photoEarning(earning);
  }

  async deleted(manager: EntityManager, photo: PhotoRecord, at: Date): Promise<void> {
    await this.ledger.reverse(manager, `photo:${photo.id}`, at);
  }

  /** +1 share in the photo's brand, unless GAME.md's comment rules withhold it. Key: `comment:<commentId>`. */
  async commentPosted(
    manager: EntityManager,
    comment: { id: string; authorId: string; body: string; previousBodies: readonly string[] },
    photo: Pick<PhotoRecord, 'ownerId' | 'brandId'>,
    at: Date,
  ): Promise<number> {
    // Counted under the author's comment lock: the cap spans brands, so concurrent comments anywhere wait.
    await this.ledger.lockCommentCredit(manager, comment.authorId);
    const credit = commentCredit({
      onOwnPhoto: photo.ownerId === comment.authorId,
      body: comment.body,
      previousBodies: comment.previousBodies,
      earningToday: await this.ledger.countEarning(manager, comment.authorId, null, 'COMMENT_POSTED', utcDayBounds(at)),
    });
    if (credit.shares === 0) return 0;
    const earning = await this.ledger.earn(manager, {
      userId: comment.authorId,
      brandId: photo.brandId,
      shares: credit.shares,
      reason: 'COMMENT_POSTED',
      sourceType: 'comment',
      sourceId: comment.id,
      idempotencyKey: `comment:${comment.id}`,
      at,
    });
    return earning.shares;
  }

  async commentDeleted(manager: EntityManager, commentId: string, at: Date): Promise<void> {
    await this.ledger.reverse(manager, `comment:${commentId}`, at);
  }
}

function photoEarning(earning: Earning): PhotoEarning {
  return earning.withheld
    ? { sharesAwarded: 0, sharesWithheld: 'FLAGGED' }
    : { sharesAwarded: earning.shares, sharesWithheld: null };
}
