import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';

/**
 * The erasure's SQL on what no other module erases for it: the fingerprint hashes of the user's events (the
 * one change the events log allows) and the detectors' record of them, the user's unused invites and their
 * notifications.
 */
@Injectable()
export class ErasureRepository {
  async forgetFingerprints(manager: EntityManager, userId: string): Promise<void> {
    await queryRows(
      manager,
      `UPDATE events SET device_fingerprint = NULL, network_fingerprint = NULL
        WHERE actor_id = $1 AND (device_fingerprint IS NOT NULL OR network_fingerprint IS NOT NULL)`,
      [userId],
    );
    await queryRows(manager, `DELETE FROM fingerprint_accounts WHERE user_id = $1`, [userId]);
  }

  async deleteUnusedInvites(manager: EntityManager, userId: string): Promise<void> {
    await queryRows(manager, `DELETE FROM invites WHERE inviter_id = $1 AND invitee_id IS NULL`, [userId]);
  }

  async deleteNotifications(manager: EntityManager, userId: string): Promise<void> {
    await queryRows(manager, `DELETE FROM notifications WHERE user_id = $1`, [userId]);
  }
}
