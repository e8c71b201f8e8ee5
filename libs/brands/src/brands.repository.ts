import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';
import type { BrandCandidate, BrandRecord } from './brand.record.js';

interface BrandRow {
  id: string;
  slug: string;
  name: string;
  website: string | null;
  description: string | null;
  created_at: Date;
  claimed_at: Date | null;
  photo_count: number;
}

const COLUMNS = `id, slug, name, website, description, created_at, claimed_at, photo_count`;

const toRecord = (row: BrandRow): BrandRecord => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  website: row.website,
  description: row.description,
  createdAt: row.created_at,
  claimed: row.claimed_at !== null,
  photoCount: row.photo_count,
});

/** Where a page of brands starts: after the row with this [rank, photo count, slug]. */
export type BrandPageStart = [rank: number, photoCount: number, slug: string] | null;

/** The similarity from which two folded names are taken for one brand. */
export const DUPLICATE_SIMILARITY = 0.6;

/** All SQL on `brands` and `brand_managers`. */
@Injectable()
export class BrandsRepository {
  /** Serializes brand creation, so two people adding "Nutella" at once cannot both pass the duplicate check. */
  async lockCreation(manager: EntityManager): Promise<void> {
    await queryRows(manager, `SELECT pg_advisory_xact_lock(hashtext('brands'), hashtext('create'))`);
  }

  /** Brands with the same website domain, or a folded name at least {@link DUPLICATE_SIMILARITY} similar; best first, at most 5. */
  async findDuplicates(manager: EntityManager, foldedName: string, domain: string | null): Promise<BrandCandidate[]> {
    // SET LOCAL lets the % operator use the trigram index at our threshold.
    await queryRows(manager, `SELECT set_config('pg_trgm.similarity_threshold', $1, true)`, [
      String(DUPLICATE_SIMILARITY),
    ]);
    return queryRows<BrandCandidate>(
      manager,
      `SELECT slug, name, similarity FROM (
         SELECT slug, name, CASE WHEN $2::text IS NOT NULL AND domain = $2 THEN 1 ELSE similarity(folded_name, $1) END AS similarity
           FROM brands
          WHERE folded_name % $1 OR ($2::text IS NOT NULL AND domain = $2)
       ) matches
       ORDER BY similarity DESC, slug
       LIMIT 5`,
      [foldedName, domain],
    );
  }

  /** Which of the slugs `base` and `base-N` are taken. */
  async takenSlugs(manager: EntityManager, base: string): Promise<Set<string>> {
    const rows = await queryRows<{ slug: string }>(
      manager,
      `SELECT slug FROM brands WHERE slug = $1 OR slug LIKE $1 || '-%'`,
      [base],
    );
    return new Set(rows.map((r) => r.slug));
  }

  async create(
    manager: EntityManager,
    brand: {
      slug: string;
      name: string;
      foldedName: string;
      website: string | null;
      domain: string | null;
      description: string | null;
      createdBy: string;
    },
  ): Promise<BrandRecord> {
    const [row] = await queryRows<BrandRow>(
      manager,
      `INSERT INTO brands (slug, name, folded_name, website, domain, description, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [brand.slug, brand.name, brand.foldedName, brand.website, brand.domain, brand.description, brand.createdBy],
    );
    return toRecord(row!);
  }

  async findBySlug(manager: EntityManager, slug: string): Promise<BrandRecord | null> {
    const [row] = await queryRows<BrandRow>(manager, `SELECT ${COLUMNS} FROM brands WHERE slug = lower($1)`, [slug]);
    return row ? toRecord(row) : null;
  }

  async findById(manager: EntityManager, id: string): Promise<BrandRecord | null> {
    const [row] = await queryRows<BrandRow>(manager, `SELECT ${COLUMNS} FROM brands WHERE id = $1`, [id]);
    return row ? toRecord(row) : null;
  }

  async findByIds(manager: EntityManager, ids: readonly string[]): Promise<BrandRecord[]> {
    const rows = await queryRows<BrandRow>(manager, `SELECT ${COLUMNS} FROM brands WHERE id = ANY($1::uuid[])`, [ids]);
    return rows.map(toRecord);
  }

  /**
   * A page of brands: with `search`, by similarity of the folded names, then popularity (published
   * photos), then slug; without, by popularity, then slug. `after` is the last row's [rank, photo count, slug].
   */
  async list(
    manager: EntityManager,
    options: { foldedSearch: string | null; after: BrandPageStart; limit: number },
  ): Promise<(BrandRecord & { rank: number })[]> {
    const rows = await queryRows<BrandRow & { rank: number }>(
      manager,
      `SELECT ${COLUMNS}, rank FROM (
         SELECT ${COLUMNS},
                CASE WHEN $1::text IS NULL THEN 0
                     ELSE round(greatest(similarity(folded_name, $1), word_similarity($1, folded_name))::numeric, 6)::float8 END AS rank
           FROM brands
       ) ranked
       WHERE ($1::text IS NULL OR rank > 0.1)
         AND ($2::float8 IS NULL OR rank < $2 OR (rank = $2 AND (photo_count < $3 OR (photo_count = $3 AND slug > $4))))
       ORDER BY rank DESC, photo_count DESC, slug ASC
       LIMIT $5`,
      [
        options.foldedSearch,
        options.after?.[0] ?? null,
        options.after?.[1] ?? null,
        options.after?.[2] ?? null,
        options.limit,
      ],
    );
    return rows.map((row) => ({ ...toRecord(row), rank: row.rank }));
  }

  /**
   * Counts a photo published (+1) or no longer published (-1), in the transaction that changed it; a
   * banned owner's photos are not counted (the ban took them off), so their changes count nothing.
   */
  async adjustPhotoCount(
    manager: EntityManager,
    photo: { brandId: string; ownerId: string },
    delta: 1 | -1,
  ): Promise<void> {
    await queryRows(
      manager,
      `UPDATE brands SET photo_count = photo_count + $2
        WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM users WHERE id = $3 AND banned_at IS NOT NULL)`,
      [photo.brandId, delta, photo.ownerId],
    );
  }

  /** Takes `count` published photos off the brand's count (those of an owner just banned). */
  async subtractPhotos(manager: EntityManager, brandId: string, count: number): Promise<void> {
    await queryRows(manager, `UPDATE brands SET photo_count = photo_count - $2 WHERE id = $1`, [brandId, count]);
  }

  async markClaimed(manager: EntityManager, brandId: string): Promise<void> {
    await queryRows(manager, `UPDATE brands SET claimed_at = coalesce(claimed_at, now()) WHERE id = $1`, [brandId]);
  }

  async addManager(manager: EntityManager, brandId: string, userId: string): Promise<void> {
    await queryRows(manager, `INSERT INTO brand_managers (brand_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      brandId,
      userId,
    ]);
  }

  async managerIds(manager: EntityManager, brandId: string): Promise<string[]> {
    const rows = await queryRows<{ user_id: string }>(
      manager,
      `SELECT user_id FROM brand_managers WHERE brand_id = $1 ORDER BY created_at, user_id`,
      [brandId],
    );
    return rows.map((r) => r.user_id);
  }

  async isManager(manager: EntityManager, brandId: string, userId: string): Promise<boolean> {
    const rows = await queryRows(manager, `SELECT 1 FROM brand_managers WHERE brand_id = $1 AND user_id = $2`, [
      brandId,
      userId,
    ]);
    return rows.length > 0;
  }
}
