import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';

/** What other users' notifications say instead of an erased account's handle. */
const DELETED_ACCOUNT = 'a deleted account';

/**
 * The erasure's SQL on what no other module erases for it: the fingerprint hashes of the user's events (the
 * one change the events log allows) and the detectors' record of them, the user's unused invites, follows,
 * brand management, email tokens and proposals' text, their notifications, and what other users'
 * notifications quote of them.
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

  /** Who they followed and who followed them. */
  async deleteFollows(manager: EntityManager, userId: string): Promise<void> {
    await queryRows(manager, `DELETE FROM follows WHERE follower_id = $1 OR followee_id = $1`, [userId]);
  }

  async deleteBrandManagement(manager: EntityManager, userId: string): Promise<void> {
    await queryRows(manager, `DELETE FROM brand_managers WHERE user_id = $1`, [userId]);
  }

  /** Verification and reset links (they hold no address, but name the account). */
  async deleteEmailTokens(manager: EntityManager, userId: string): Promise<void> {
    await queryRows(manager, `DELETE FROM email_tokens WHERE user_id = $1`, [userId]);
  }

  /**
   * The title and body of their proposals read `[deleted]` (votes and the brand's answer stay), their events no
   * longer carry the title, and the answers other users were told no longer quote it.
   */
  async eraseProposals(manager: EntityManager, userId: string): Promise<void> {
    await queryRows(
      manager,
      `UPDATE notifications n SET message = replace(n.message, '"' || p.title || '"', 'a deleted proposal')
         FROM proposals p
        WHERE p.author_id = $1 AND n.kind = 'PROPOSAL_ANSWERED' AND n.meta->>'proposalId' = p.id::text`,
      [userId],
    );
    // The one other change the events log allows: the title leaves the proposal's event.
    await queryRows(
      manager,
      `UPDATE events SET meta = meta - 'title' WHERE actor_id = $1 AND action = 'proposal.created' AND meta ? 'title'`,
      [userId],
    );
    await queryRows(manager, `UPDATE proposals SET title = '[deleted]', body = '[deleted]' WHERE author_id = $1`, [
      userId,
    ]);
  }

  /**
   * Other users' notifications that quote the account: a comment's notice loses the comment's text too (it is
   * erased), every other `@handle` reads "a deleted account". Display names are never written into notices.
   */
  async rewriteNotificationsQuoting(manager: EntityManager, userId: string, handle: string): Promise<void> {
    await queryRows(
      manager,
      `UPDATE notifications SET message = $2
        WHERE user_id <> $1::uuid AND kind = 'COMMENT_RECEIVED' AND meta->>'authorId' = $1::text`,
      [userId, `${capitalized(DELETED_ACCOUNT)} commented on your photo.`],
    );
    // A handle is [a-z0-9_]: \M ends the match where the handle does, so @ann leaves @anna alone.
    await queryRows(
      manager,
      `UPDATE notifications SET message = regexp_replace(message, '@' || $2 || '\\M', $3, 'g')
        WHERE user_id <> $1 AND message ~ ('@' || $2 || '\\M')`,
      [userId, handle, DELETED_ACCOUNT],
    );
  }
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
