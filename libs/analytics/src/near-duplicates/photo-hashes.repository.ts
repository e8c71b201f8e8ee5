import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { BandValue } from './hash-bands.js';

export interface HashedPhoto {
  id: string;
  ownerId: string;
  hash: bigint;
}

interface HashedPhotoRow {
  id: string;
  owner_id: string;
  perceptual_hash: string;
}

const toPhoto = (row: HashedPhotoRow): HashedPhoto => ({
  id: row.id,
  ownerId: row.owner_id,
  hash: BigInt(row.perceptual_hash),
});

/** All SQL on `photo_hash_bands`, and the photos' hashes it indexes. */
@Injectable()
export class PhotoHashesRepository {
  async hashedPhoto(manager: EntityManager, photoId: string): Promise<HashedPhoto | null> {
    const [row] = await manager.query<HashedPhotoRow[]>(
      `SELECT id, owner_id, perceptual_hash::text FROM photos WHERE id = $1 AND perceptual_hash IS NOT NULL`,
      [photoId],
    );
    return row ? toPhoto(row) : null;
  }

  async indexBands(manager: EntityManager, photoId: string, bands: readonly BandValue[]): Promise<void> {
    await manager.query(
      `INSERT INTO photo_hash_bands (band, value, photo_id)
       SELECT band, value, $1 FROM unnest($2::smallint[], $3::int[]) AS b(band, value)
       ON CONFLICT DO NOTHING`,
      [photoId, bands.map((b) => b.band), bands.map((b) => b.value)],
    );
  }

  /** Indexed photos with a band equal to one of `probes`: the candidates of a near-duplicate search. */
  async candidates(manager: EntityManager, probes: readonly BandValue[]): Promise<HashedPhoto[]> {
    const rows = await manager.query<HashedPhotoRow[]>(
      `SELECT DISTINCT p.id, p.owner_id, p.perceptual_hash::text
         FROM unnest($1::smallint[], $2::int[]) AS probe(band, value)
         JOIN photo_hash_bands b ON b.band = probe.band AND b.value = probe.value
         JOIN photos p ON p.id = b.photo_id
        WHERE p.perceptual_hash IS NOT NULL`,
      [probes.map((p) => p.band), probes.map((p) => p.value)],
    );
    return rows.map(toPhoto);
  }
}
