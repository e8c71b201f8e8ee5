import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';

export interface PersonalPhotoRow {
  id: string;
  brand: string;
  caption: string | null;
  status: string;
  /** Null once its files were purged (see docs/privacy.md, retention). */
  originalKey: string | null;
  originalFormat: string;
  displayKey: string | null;
  thumbnailKey: string | null;
  sharesAwarded: number;
  sharesWithheld: string | null;
  createdAt: Date;
  publishedAt: Date | null;
}

/**
 * A person's own data, table by table, for their download: only rows that are theirs, and of other people
 * nothing but what they saw in the product already (a brand's slug, a handle they follow).
 */
@Injectable()
export class PersonalDataRepository {
  /** Each JSON Lines file of the download and the query of its rows (`$1`: the user). */
  static readonly TABLES: Readonly<Record<string, string>> = {
    profile: `SELECT id, email, email_verified_at AS "emailVerifiedAt", handle, display_name AS "displayName", roles,
                     created_at AS "createdAt"
                FROM users WHERE id = $1`,
    comments: `SELECT c.id, c.photo_id AS "photoId", c.body, c.created_at AS "createdAt", c.deleted_at AS "deletedAt"
                 FROM comments c WHERE c.author_id = $1 ORDER BY c.created_at`,
    follows: `SELECT u.handle AS "follows", f.created_at AS "createdAt"
                FROM follows f JOIN users u ON u.id = f.followee_id WHERE f.follower_id = $1 ORDER BY f.created_at`,
    employments: `SELECT b.slug AS brand, e.shares, e.title, e.salary, e.since FROM employments e
                    JOIN brands b ON b.id = e.brand_id WHERE e.user_id = $1 ORDER BY e.since`,
    share_ledger: `SELECT l.id::text, b.slug AS brand, l.shares, l.requested_shares AS "requestedShares", l.reason,
                          l.source_type AS "sourceType", l.source_id AS "sourceId", l.reverses::text, l.restores::text,
                          l.created_at AS "createdAt"
                     FROM share_ledger l JOIN brands b ON b.id = l.brand_id WHERE l.user_id = $1 ORDER BY l.id`,
    wallet_ledger: `SELECT id::text, amount, requested_amount AS "requestedAmount", reason, source_type AS "sourceType",
                           source_id AS "sourceId", reverses::text, created_at AS "createdAt"
                      FROM wallet_ledger WHERE user_id = $1 ORDER BY id`,
    awards: `SELECT a.code, b.slug AS brand, a.granted_at AS "grantedAt" FROM user_awards a
               LEFT JOIN brands b ON b.id = a.brand_id WHERE a.user_id = $1 ORDER BY a.granted_at`,
    invites: `SELECT i.code, i.created_at AS "createdAt", i.accepted_at AS "acceptedAt", i.qualified_at AS "qualifiedAt",
                     i.flagged_at AS "flaggedAt", i.flag_reason AS "flagReason"
                FROM invites i WHERE i.inviter_id = $1 ORDER BY i.created_at`,
    notifications: `SELECT n.kind, n.message, b.slug AS brand, n.read_at AS "readAt", n.created_at AS "createdAt"
                      FROM notifications n LEFT JOIN brands b ON b.id = n.brand_id WHERE n.user_id = $1
                     ORDER BY n.created_at`,
  };

  rows(manager: EntityManager, table: string, userId: string): Promise<Record<string, unknown>[]> {
    return queryRows<Record<string, unknown>>(manager, PersonalDataRepository.TABLES[table]!, [userId]);
  }

  photos(manager: EntityManager, userId: string): Promise<PersonalPhotoRow[]> {
    return queryRows<PersonalPhotoRow>(
      manager,
      `SELECT p.id, b.slug AS brand, p.caption, p.status, p.original_key AS "originalKey",
              p.original_format AS "originalFormat", p.display_key AS "displayKey", p.thumbnail_key AS "thumbnailKey",
              p.shares_awarded AS "sharesAwarded", p.shares_withheld AS "sharesWithheld", p.created_at AS "createdAt",
              p.published_at AS "publishedAt"
         FROM photos p JOIN brands b ON b.id = p.brand_id
        WHERE p.owner_id = $1 AND p.deleted_at IS NULL ORDER BY p.created_at`,
      [userId],
    );
  }
}
