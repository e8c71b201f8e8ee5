import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';
import { hashBands } from './hash-bands.js';

export interface BandedPhoto {
  photoId: string;
  ownerId: string;
  hash: bigint;
  groupId: string;
}

interface BandedRow {
  photo_id: string;
  owner_id: string;
  perceptual_hash: string;
  group_id: string;
}

const toBanded = (row: BandedRow): BandedPhoto => ({
  photoId: row.photo_id,
  ownerId: row.owner_id,
  hash: BigInt(row.perceptual_hash),
  groupId: row.group_id,
});

/** All SQL on `photo_hash_bands` (and the read of a published photo's hash it is filled from). */
@Injectable()
export class PhotoHashBandsRepository {
  /** Indexes a published photo as a group of its own; null when it has no hash or is gone. */
  async add(manager: EntityManager, photoId: string): Promise<BandedPhoto | null> {
    const [photo] = await queryRows<{ owner_id: string; perceptual_hash: string }>(
      manager,
      `SELECT owner_id, perceptual_hash::text FROM photos
        WHERE id = $1 AND perceptual_hash IS NOT NULL AND deleted_at IS NULL`,
      [photoId],
    );
    if (!photo) return null;
    const hash = BigInt(photo.perceptual_hash);
    const [row] = await queryRows<BandedRow>(
      manager,
      `INSERT INTO photo_hash_bands (photo_id, owner_id, perceptual_hash, band0, band1, band2, band3, group_id)
         VALUES ($1, $2, $3::bigint, $4, $5, $6, $7, $1)
         ON CONFLICT (photo_id) DO UPDATE SET photo_id = EXCLUDED.photo_id
         RETURNING photo_id, owner_id, perceptual_hash::text, group_id`,
      [photoId, photo.owner_id, hash.toString(), ...hashBands(hash)],
    );
    return toBanded(row!);
  }

  /**
   * The other indexed photos within `maxDistance` of `hash`: those sharing a probed band value
   * (`probes[b]` for band b), then checked exactly.
   */
  async neighbours(
    manager: EntityManager,
    photoId: string,
    hash: bigint,
    probes: number[][],
    maxDistance: number,
  ): Promise<(BandedPhoto & { distance: number })[]> {
    const rows = await queryRows<BandedRow & { distance: number }>(
      manager,
      `SELECT photo_id, owner_id, perceptual_hash::text, group_id, distance FROM (
         SELECT b.*, bit_count((b.perceptual_hash # $2::bigint)::bit(64))::int AS distance
           FROM photo_hash_bands b
          WHERE b.photo_id <> $1
            AND (b.band0 = ANY($3::int[]) OR b.band1 = ANY($4::int[])
                 OR b.band2 = ANY($5::int[]) OR b.band3 = ANY($6::int[]))
       ) candidates
       WHERE distance <= $7`,
      [photoId, hash.toString(), probes[0], probes[1], probes[2], probes[3], maxDistance],
    );
    return rows.map((row) => ({ ...toBanded(row), distance: row.distance }));
  }

  /** Union: every photo of the `merged` groups joins group `into`. */
  async mergeGroups(manager: EntityManager, into: string, merged: string[]): Promise<void> {
    if (merged.length === 0) return;
    await manager.query(`UPDATE photo_hash_bands SET group_id = $1 WHERE group_id = ANY($2::uuid[])`, [into, merged]);
  }

  async groupMembers(manager: EntityManager, groupId: string): Promise<BandedPhoto[]> {
    const rows = await queryRows<BandedRow>(
      manager,
      `SELECT photo_id, owner_id, perceptual_hash::text, group_id FROM photo_hash_bands
        WHERE group_id = $1 ORDER BY photo_id`,
      [groupId],
    );
    return rows.map(toBanded);
  }

  async clear(manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM photo_hash_bands`);
  }
}
