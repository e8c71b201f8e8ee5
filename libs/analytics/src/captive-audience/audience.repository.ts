import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface Audience {
  /** The owner's published photos. */
  photos: number;
  /** Every other account that commented on them, with on how many distinct ones. */
  commenters: { userId: string; photos: number }[];
}

/** The audience of an account's photos, as the captive-audience detector reads it. */
@Injectable()
export class AudienceRepository {
  /** Over the owner's published photos (photos_owner_published) and their live comments (comments_photo). */
  async audienceOf(manager: EntityManager, ownerId: string): Promise<Audience> {
    const rows = await manager.query<{ photos: number; author_id: string | null; commented: number }[]>(
      `WITH owned AS (
         SELECT id FROM photos WHERE owner_id = $1 AND status = 'PUBLISHED' AND deleted_at IS NULL
       )
       SELECT (SELECT count(*)::int FROM owned) AS photos, c.author_id, count(DISTINCT c.photo_id)::int AS commented
         FROM owned JOIN comments c ON c.photo_id = owned.id AND c.deleted_at IS NULL AND c.author_id <> $1
        GROUP BY c.author_id
        ORDER BY c.author_id`,
      [ownerId],
    );
    const photos = rows[0]?.photos ?? 0;
    return { photos, commenters: rows.map((row) => ({ userId: row.author_id!, photos: row.commented })) };
  }

  /**
   * Those of `candidates` who share a device, or a network at most `maxNetworkAccounts` accounts use
   * (not a carrier's or a campus's), with one of `devotees`: from what the shared-fingerprints detector
   * recorded.
   */
  async sharingFingerprintWith(
    manager: EntityManager,
    candidates: readonly string[],
    devotees: readonly string[],
    maxNetworkAccounts: number,
  ): Promise<string[]> {
    if (candidates.length === 0) return [];
    const rows = await manager.query<{ user_id: string }[]>(
      `SELECT DISTINCT c.user_id
         FROM fingerprint_accounts c
         JOIN fingerprint_accounts d ON d.kind = c.kind AND d.fingerprint = c.fingerprint AND d.user_id = ANY($2::uuid[])
        WHERE c.user_id = ANY($1::uuid[])
          AND (c.kind = 'device'
               OR (SELECT count(*) FROM fingerprint_accounts n WHERE n.kind = 'network' AND n.fingerprint = c.fingerprint) <= $3)
        ORDER BY c.user_id`,
      [candidates, devotees, maxNetworkAccounts],
    );
    return rows.map((row) => row.user_id);
  }
}
