import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export type FingerprintKind = 'device' | 'network';

/** All SQL on `fingerprint_accounts`. */
@Injectable()
export class FingerprintsRepository {
  /** Records that `userId` acted with the fingerprint at `at` (first and last sightings kept). */
  async sighted(
    manager: EntityManager,
    sighting: { kind: FingerprintKind; fingerprint: string; userId: string; at: Date },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO fingerprint_accounts (kind, fingerprint, user_id, first_seen_at, last_seen_at)
       VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (kind, fingerprint, user_id) DO UPDATE
         SET first_seen_at = LEAST(fingerprint_accounts.first_seen_at, EXCLUDED.first_seen_at),
             last_seen_at = GREATEST(fingerprint_accounts.last_seen_at, EXCLUDED.last_seen_at)`,
      [sighting.kind, sighting.fingerprint, sighting.userId, sighting.at],
    );
  }

  /** The accounts seen with the fingerprint, only those last seen at or after `since` when given. */
  async accounts(
    manager: EntityManager,
    kind: FingerprintKind,
    fingerprint: string,
    since: Date | null,
  ): Promise<string[]> {
    const rows = await manager.query<{ user_id: string }[]>(
      `SELECT user_id FROM fingerprint_accounts
        WHERE kind = $1 AND fingerprint = $2 AND ($3::timestamptz IS NULL OR last_seen_at >= $3)
        ORDER BY user_id`,
      [kind, fingerprint, since],
    );
    return rows.map((row) => row.user_id);
  }
}
