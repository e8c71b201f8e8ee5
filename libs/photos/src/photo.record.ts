import type { ImageFormat } from '@boardroom/media';

export type PhotoStatus = 'PROCESSING' | 'PUBLISHED' | 'REJECTED' | 'REMOVED';
export type SharesWithheld = 'DAILY_CAP' | 'DUPLICATE' | 'FLAGGED';

/** A photo as the services see it: what the game needs (brand, owner, hashes, duplicate link, publish time) included. */
export interface PhotoRecord {
  id: string;
  ownerId: string;
  brandId: string;
  caption: string | null;
  status: PhotoStatus;
  rejectionReason: string | null;
  idempotencyKey: string | null;
  uploadEventId: string;
  /** Null once the files were purged (retention, or the owner's erasure); the row stays for the ledger. */
  originalKey: string | null;
  originalFormat: ImageFormat;
  originalBytes: number;
  /** Null once the owner's account was erased. */
  sha256: string | null;
  width: number;
  height: number;
  displayKey: string | null;
  thumbnailKey: string | null;
  /** Signed 64-bit perceptual hash, as PostgreSQL's bigint; null until processed. */
  perceptualHash: bigint | null;
  duplicateOf: string | null;
  sharesAwarded: number;
  sharesWithheld: SharesWithheld | null;
  createdAt: Date;
  publishedAt: Date | null;
  deletedAt: Date | null;
  /** The owner is banned: the photo is hidden from everyone but staff. */
  ownerBanned: boolean;
}

/** The storage keys a photo may have written, for clean-up. */
export function storedKeys(photo: Pick<PhotoRecord, 'originalKey' | 'displayKey' | 'thumbnailKey'>): string[] {
  return [photo.originalKey, photo.displayKey, photo.thumbnailKey].filter((key): key is string => key !== null);
}
