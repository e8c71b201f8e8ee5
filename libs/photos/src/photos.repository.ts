import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows, type TimestampPageStart } from '@boardroom/core';
import type { ImageFormat } from '@boardroom/media';
import { storedKeys, type PhotoRecord, type PhotoStatus, type SharesWithheld } from './photo.record.js';

interface PhotoRow {
  id: string;
  owner_id: string;
  brand_id: string;
  caption: string | null;
  status: PhotoStatus;
  rejection_reason: string | null;
  idempotency_key: string | null;
  upload_event_id: string;
  original_key: string | null;
  original_format: ImageFormat;
  original_bytes: number;
  sha256: string | null;
  width: number;
  height: number;
  display_key: string | null;
  thumbnail_key: string | null;
  perceptual_hash: string | null;
  duplicate_of: string | null;
  shares_awarded: number;
  shares_withheld: SharesWithheld | null;
  created_at: Date;
  published_at: Date | null;
  deleted_at: Date | null;
  owner_banned: boolean;
}

/** A row of a list, with the exact text of its sort timestamp for the cursor (a JS Date would drop the microseconds). */
export type ListedPhoto = PhotoRecord & { sortKey: string };

const COLUMNS = `p.id, p.owner_id, p.brand_id, p.caption, p.status, p.rejection_reason, p.idempotency_key,
  p.upload_event_id::text, p.original_key, p.original_format, p.original_bytes, p.sha256, p.width, p.height,
  p.display_key, p.thumbnail_key, p.perceptual_hash::text, p.duplicate_of, p.shares_awarded, p.shares_withheld,
  p.created_at, p.published_at, p.deleted_at,
  EXISTS (SELECT 1 FROM users u WHERE u.id = p.owner_id AND u.banned_at IS NOT NULL) AS owner_banned`;

/** A deleted or removed photo whose files are still named (the partial index photos_files_to_purge). */
const HAS_FILES_TO_PURGE = `p.original_key IS NOT NULL AND (p.deleted_at IS NOT NULL OR p.status = 'REMOVED')`;

/** Leaves out the photos of banned users (their content is hidden from everyone but staff). */
const OWNER_NOT_BANNED = `NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p.owner_id AND u.banned_at IS NOT NULL)`;

const toRecord = (row: PhotoRow): PhotoRecord => ({
  id: row.id,
  ownerId: row.owner_id,
  brandId: row.brand_id,
  caption: row.caption,
  status: row.status,
  rejectionReason: row.rejection_reason,
  idempotencyKey: row.idempotency_key,
  uploadEventId: row.upload_event_id,
  originalKey: row.original_key,
  originalFormat: row.original_format,
  originalBytes: row.original_bytes,
  sha256: row.sha256,
  width: row.width,
  height: row.height,
  displayKey: row.display_key,
  thumbnailKey: row.thumbnail_key,
  perceptualHash: row.perceptual_hash === null ? null : BigInt(row.perceptual_hash),
  duplicateOf: row.duplicate_of,
  sharesAwarded: row.shares_awarded,
  sharesWithheld: row.shares_withheld,
  createdAt: row.created_at,
  publishedAt: row.published_at,
  deletedAt: row.deleted_at,
  ownerBanned: row.owner_banned,
});

const toListed = (row: PhotoRow & { sort_key: string }): ListedPhoto => ({ ...toRecord(row), sortKey: row.sort_key });

/** Where a page of photos starts (see core's timestamp-cursor.ts). */
export type PhotoPageStart = TimestampPageStart;

/** What an upload knows of its photo before processing; the rest starts at the table's defaults. */
export type NewPhoto = Pick<
  PhotoRecord,
  | 'id'
  | 'ownerId'
  | 'brandId'
  | 'caption'
  | 'idempotencyKey'
  | 'uploadEventId'
  | 'originalFormat'
  | 'originalBytes'
  | 'width'
  | 'height'
> & { originalKey: string; sha256: string };

/** All SQL on `photos`. */
@Injectable()
export class PhotosRepository {
  /** How many published photos the owner has in each brand. */
  async publishedCountsByBrand(manager: EntityManager, ownerId: string): Promise<{ brandId: string; count: number }[]> {
    const rows = await queryRows<{ brand_id: string; count: number }>(
      manager,
      `SELECT brand_id, count(*)::int AS count FROM photos
        WHERE owner_id = $1 AND status = 'PUBLISHED' AND deleted_at IS NULL GROUP BY brand_id ORDER BY brand_id`,
      [ownerId],
    );
    return rows.map((row) => ({ brandId: row.brand_id, count: row.count }));
  }

  /** Inserts a photo in PROCESSING; null when the owner already has a photo under this idempotency key. */
  async insert(manager: EntityManager, photo: NewPhoto): Promise<PhotoRecord | null> {
    const [row] = await queryRows<PhotoRow>(
      manager,
      `INSERT INTO photos AS p (id, owner_id, brand_id, caption, idempotency_key, upload_event_id, original_key,
                                original_format, original_bytes, sha256, width, height)
       VALUES ($12, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (owner_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        photo.ownerId,
        photo.brandId,
        photo.caption,
        photo.idempotencyKey,
        photo.uploadEventId,
        photo.originalKey,
        photo.originalFormat,
        photo.originalBytes,
        photo.sha256,
        photo.width,
        photo.height,
        photo.id,
      ],
    );
    return row ? toRecord(row) : null;
  }

  async findById(
    manager: EntityManager,
    id: string,
    /** `update` to change the row; `share` to keep it from changing until the transaction ends. */
    options: { lock?: 'update' | 'share' } = {},
  ): Promise<PhotoRecord | null> {
    const [row] = await queryRows<PhotoRow>(
      manager,
      `SELECT ${COLUMNS} FROM photos p WHERE p.id = $1 ${options.lock ? `FOR ${options.lock.toUpperCase()}` : ''}`,
      [id],
    );
    return row ? toRecord(row) : null;
  }

  async findByIds(manager: EntityManager, ids: readonly string[]): Promise<PhotoRecord[]> {
    const rows = await queryRows<PhotoRow>(manager, `SELECT ${COLUMNS} FROM photos p WHERE p.id = ANY($1::uuid[])`, [
      ids,
    ]);
    return rows.map(toRecord);
  }

  async findByIdempotencyKey(manager: EntityManager, ownerId: string, key: string): Promise<PhotoRecord | null> {
    const [row] = await queryRows<PhotoRow>(
      manager,
      `SELECT ${COLUMNS} FROM photos p WHERE p.owner_id = $1 AND p.idempotency_key = $2`,
      [ownerId, key],
    );
    return row ? toRecord(row) : null;
  }

  /** Serializes the duplicate check of one brand, so two copies processed at once cannot both be the original. */
  async lockBrandDuplicates(manager: EntityManager, brandId: string): Promise<void> {
    await queryRows(manager, `SELECT pg_advisory_xact_lock(hashtext('photos.duplicates'), hashtext($1))`, [brandId]);
  }

  /**
   * The earlier photo of the brand (processed, not rejected, not deleted) that this one copies: the same
   * SHA-256, or a perceptual hash within `maxDistance` bits; the exact copy first, then the closest, then the oldest.
   */
  async findDuplicate(
    manager: EntityManager,
    photo: { id: string; brandId: string; sha256: string; perceptualHash: bigint },
    maxDistance: number,
  ): Promise<string | null> {
    const [row] = await queryRows<{ id: string }>(
      manager,
      `SELECT id FROM (
         SELECT p.id, p.created_at, p.sha256 = $3 AS exact,
                bit_count((p.perceptual_hash # $4::bigint)::bit(64)) AS distance
           FROM photos p
          WHERE p.brand_id = $1 AND p.id <> $2
            AND p.status <> 'REJECTED' AND p.deleted_at IS NULL AND p.perceptual_hash IS NOT NULL
       ) candidates
       WHERE exact OR distance <= $5
       ORDER BY exact DESC, distance, created_at, id
       LIMIT 1`,
      [photo.brandId, photo.id, photo.sha256, photo.perceptualHash.toString(), maxDistance],
    );
    return row?.id ?? null;
  }

  async publish(
    manager: EntityManager,
    id: string,
    processed: {
      displayKey: string;
      thumbnailKey: string;
      perceptualHash: bigint;
      duplicateOf: string | null;
      sharesAwarded: number;
      sharesWithheld: SharesWithheld | null;
      publishedAt: Date;
    },
  ): Promise<void> {
    await queryRows(
      manager,
      `UPDATE photos AS p
          SET status = 'PUBLISHED', display_key = $2, thumbnail_key = $3, perceptual_hash = $4::bigint,
              duplicate_of = $5, shares_withheld = $6, published_at = $7, shares_awarded = $8
        WHERE p.id = $1`,
      [
        id,
        processed.displayKey,
        processed.thumbnailKey,
        processed.perceptualHash.toString(),
        processed.duplicateOf,
        processed.sharesWithheld,
        processed.publishedAt,
        processed.sharesAwarded,
      ],
    );
  }

  async setEarning(
    manager: EntityManager,
    id: string,
    earning: { sharesAwarded: number; sharesWithheld: SharesWithheld | null },
  ): Promise<void> {
    await queryRows(manager, `UPDATE photos SET shares_awarded = $2, shares_withheld = $3 WHERE id = $1`, [
      id,
      earning.sharesAwarded,
      earning.sharesWithheld,
    ]);
  }

  async reject(manager: EntityManager, id: string, reason: string): Promise<void> {
    await queryRows(manager, `UPDATE photos SET status = 'REJECTED', rejection_reason = $2 WHERE id = $1`, [
      id,
      reason,
    ]);
  }

  /**
   * Moves a photo from one status to another with its renditions' keys; false when it was not in `from`
   * (nothing changed).
   */
  async moveStatus(
    manager: EntityManager,
    id: string,
    from: PhotoStatus,
    to: PhotoStatus,
    keys: { displayKey: string | null; thumbnailKey: string | null },
  ): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      manager,
      `UPDATE photos SET status = $3, display_key = $4, thumbnail_key = $5
        WHERE id = $1 AND status = $2 AND deleted_at IS NULL RETURNING id`,
      [id, from, to, keys.displayKey, keys.thumbnailKey],
    );
    return rows.length > 0;
  }

  /**
   * Deletes every photo of the owner and forgets its caption, hashes and storage keys (the perceptual hash's
   * bands go with it); returns the keys it had, whose files the caller deletes.
   */
  async eraseOwned(manager: EntityManager, ownerId: string, at: Date): Promise<string[]> {
    await queryRows(
      manager,
      `DELETE FROM photo_hash_bands b USING photos p WHERE b.photo_id = p.id AND p.owner_id = $1`,
      [ownerId],
    );
    const rows = await queryRows<Pick<PhotoRow, 'original_key' | 'display_key' | 'thumbnail_key'>>(
      manager,
      `UPDATE photos p SET deleted_at = coalesce(p.deleted_at, $2), caption = NULL, sha256 = NULL, perceptual_hash = NULL,
              original_key = NULL, display_key = NULL, thumbnail_key = NULL
         FROM photos old WHERE old.id = p.id AND p.owner_id = $1
       RETURNING old.original_key, old.display_key, old.thumbnail_key`,
      [ownerId, at],
    );
    return rows.flatMap((row) =>
      storedKeys({ originalKey: row.original_key, displayKey: row.display_key, thumbnailKey: row.thumbnail_key }),
    );
  }

  /**
   * Photos deleted by their owner, or removed by a moderator (the latest removal decision), before `before` whose
   * files are still named, in id order after `after`: what the retention purge deletes.
   */
  async filesToPurge(manager: EntityManager, before: Date, after: string | null, limit: number): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      manager,
      `SELECT p.id FROM photos p
        WHERE ${HAS_FILES_TO_PURGE} AND ($2::uuid IS NULL OR p.id > $2::uuid)
          AND coalesce(p.deleted_at, (SELECT max(d.created_at) FROM moderation_decisions d
                                       WHERE d.target_type = 'PHOTO' AND d.target_id = p.id
                                         AND d.action = 'REMOVE_PHOTO')) < $1
        ORDER BY p.id LIMIT $3`,
      [before, after, limit],
    );
    return rows.map((row) => row.id);
  }

  /** The photo's storage keys, the row locked, if it is still deleted or removed and names files; null otherwise. */
  async lockFilesToPurge(manager: EntityManager, id: string): Promise<string[] | null> {
    const [row] = await queryRows<Pick<PhotoRow, 'original_key' | 'display_key' | 'thumbnail_key'>>(
      manager,
      `SELECT p.original_key, p.display_key, p.thumbnail_key FROM photos p
        WHERE p.id = $1 AND ${HAS_FILES_TO_PURGE} FOR UPDATE`,
      [id],
    );
    return row
      ? storedKeys({ originalKey: row.original_key, displayKey: row.display_key, thumbnailKey: row.thumbnail_key })
      : null;
  }

  /** The photo's files are deleted: it names none any more. */
  async forgetFiles(manager: EntityManager, id: string): Promise<void> {
    await queryRows(
      manager,
      `UPDATE photos SET original_key = NULL, display_key = NULL, thumbnail_key = NULL WHERE id = $1`,
      [id],
    );
  }

  async markDeleted(manager: EntityManager, id: string, at: Date): Promise<void> {
    await queryRows(manager, `UPDATE photos SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL`, [id, at]);
  }

  /** A brand's published photos, newest first. */
  async listPublishedByBrand(
    manager: EntityManager,
    brandId: string,
    after: PhotoPageStart,
    limit: number,
  ): Promise<ListedPhoto[]> {
    const rows = await queryRows<PhotoRow & { sort_key: string }>(
      manager,
      `SELECT ${COLUMNS}, p.published_at::text AS sort_key FROM photos p
        WHERE p.brand_id = $1 AND p.status = 'PUBLISHED' AND p.deleted_at IS NULL AND ${OWNER_NOT_BANNED}
          AND ($2::timestamptz IS NULL OR (p.published_at, p.id) < ($2::timestamptz, $3::uuid))
        ORDER BY p.published_at DESC, p.id DESC
        LIMIT $4`,
      [brandId, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
    return rows.map(toListed);
  }

  /** A user's photos, newest upload first: the published ones, or with `allStates` every photo not deleted. */
  async listByOwner(
    manager: EntityManager,
    ownerId: string,
    options: { allStates: boolean; after: PhotoPageStart; limit: number },
  ): Promise<ListedPhoto[]> {
    const rows = await queryRows<PhotoRow & { sort_key: string }>(
      manager,
      `SELECT ${COLUMNS}, p.created_at::text AS sort_key FROM photos p
        WHERE p.owner_id = $1 AND p.deleted_at IS NULL AND ($2 OR (p.status = 'PUBLISHED' AND ${OWNER_NOT_BANNED}))
          AND ($3::timestamptz IS NULL OR (p.created_at, p.id) < ($3::timestamptz, $4::uuid))
        ORDER BY p.created_at DESC, p.id DESC
        LIMIT $5`,
      [ownerId, options.allStates, options.after?.[0] ?? null, options.after?.[1] ?? null, options.limit],
    );
    return rows.map(toListed);
  }

  /**
   * The feed, in one query: published photos of the users `viewerId` follows and of the brands
   * `viewerId` has published photos of, newest first.
   */
  async feed(manager: EntityManager, viewerId: string, after: PhotoPageStart, limit: number): Promise<ListedPhoto[]> {
    const rows = await queryRows<PhotoRow & { sort_key: string }>(
      manager,
      `SELECT ${COLUMNS}, p.published_at::text AS sort_key FROM photos p
        WHERE p.status = 'PUBLISHED' AND p.deleted_at IS NULL AND ${OWNER_NOT_BANNED}
          AND (p.owner_id IN (SELECT followee_id FROM follows WHERE follower_id = $1)
               OR p.brand_id IN (SELECT mine.brand_id FROM photos mine
                                  WHERE mine.owner_id = $1 AND mine.status = 'PUBLISHED' AND mine.deleted_at IS NULL))
          AND ($2::timestamptz IS NULL OR (p.published_at, p.id) < ($2::timestamptz, $3::uuid))
        ORDER BY p.published_at DESC, p.id DESC
        LIMIT $4`,
      [viewerId, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
    return rows.map(toListed);
  }

  /** Brands whose stored photo count is not their number of published photos, for check-ledger. */
  async photoCountDifferences(manager: EntityManager): Promise<{ slug: string; stored: number; actual: number }[]> {
    return queryRows(
      manager,
      `SELECT b.slug, b.photo_count AS stored, coalesce(p.actual, 0) AS actual
         FROM brands b
         LEFT JOIN (SELECT ph.brand_id, count(*)::int AS actual FROM photos ph JOIN users u ON u.id = ph.owner_id
                     WHERE ph.status = 'PUBLISHED' AND ph.deleted_at IS NULL AND u.banned_at IS NULL
                     GROUP BY ph.brand_id) p ON p.brand_id = b.id
        WHERE b.photo_count <> coalesce(p.actual, 0)
        ORDER BY b.slug`,
    );
  }
}
