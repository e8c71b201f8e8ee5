import type { EntityManager } from 'typeorm';
import type { PhotoRecord, SharesWithheld } from './photo.record.js';

export interface PhotoEarning {
  sharesAwarded: number;
  sharesWithheld: SharesWithheld | null;
}

/**
 * What a photo or a comment on it earns and what its deletion takes back, decided by the game lib inside the transaction
 * that publishes or deletes the photo. An abstract class as the injection token: photos come before the
 * game in the libs' order, so this lib names the contract and the game provides it.
 */
export abstract class PhotoEarnings {
  /** Perceptual hashes at most this many bits apart (of 64) are one picture: a rule of the game. */
  abstract readonly maxDuplicateDistance: number;

  /** `photo` is about to be PUBLISHED at `at`, `duplicateOf` already decided. */
  abstract published(
    manager: EntityManager,
    photo: Pick<PhotoRecord, 'id' | 'ownerId' | 'brandId' | 'duplicateOf'>,
    at: Date,
  ): Promise<PhotoEarning>;

  /** `photo` (published or not) is being deleted by its owner at `at`: reverse what it earned. */
  abstract deleted(manager: EntityManager, photo: PhotoRecord, at: Date): Promise<void>;

  /**
   * A comment was posted at `at` on `photo`; `previousBodies` are the author's earlier comments, newest
   * first (as many as the repeat rule may need: {@link PhotoEarnings.repeatWindow}). Returns the shares
   * it earned.
   */
  abstract commentPosted(
    manager: EntityManager,
    comment: { id: string; authorId: string; body: string; previousBodies: readonly string[] },
    photo: Pick<PhotoRecord, 'ownerId' | 'brandId'>,
    at: Date,
  ): Promise<number>;

  /** The author deleted the comment at `at`: reverse what it earned. */
  abstract commentDeleted(manager: EntityManager, commentId: string, at: Date): Promise<void>;

  /** How many of the author's latest comments a new one is compared with. */
  abstract readonly repeatWindow: number;
}
