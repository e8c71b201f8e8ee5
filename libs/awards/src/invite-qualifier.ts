import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock, EventSubscribers, type StoredEvent } from '@boardroom/core';
import { InvitesService, UsersService, type InviteRevokeReason } from '@boardroom/accounts';
import { BrandsService } from '@boardroom/brands';
import { GAME_RULES, ShareLedger } from '@boardroom/game';
import { NotificationsService } from '@boardroom/notifications';
import { bonusText } from './bonus-text.js';

/** The qualifier's position in the events log. */
export const INVITES_CONSUMER = 'invites';

/**
 * GAME.md's invites: when an invitee's first photo that earns shares is published, the invite qualifies
 * and pays its inviter +25 in that photo's brand (`invite:<inviteId>`), once, unless the invitee looks
 * like the inviter (the same device, the same network around the sign-up, the same email): then it is
 * flagged and pays nothing. When a qualified invitee is later found fraudulent (`user.banned`), the
 * invite is revoked and its bonus reversed (likewise when a moderator confirms the invitee's credit hold,
 * `credit_hold.confirmed`) (`reversal:<entryId>`), once. A standing consumer of the
 * events log, so the publishing and banning transactions stay as they were and a crash re-reads the batch.
 */
@Injectable()
export class InviteQualifier implements OnModuleInit {
  private readonly logger = new Logger(InviteQualifier.name);

  constructor(
    private readonly subscribers: EventSubscribers,
    private readonly invites: InvitesService,
    private readonly ledger: ShareLedger,
    private readonly notifications: NotificationsService,
    private readonly users: UsersService,
    private readonly brands: BrandsService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.subscribers.register({
      name: INVITES_CONSUMER,
      handle: async (events, manager) => {
        for (const event of events) {
          if (event.action === 'photo.published') await this.consider(event, manager);
          else if (event.action === 'user.banned') await this.revokeFor(event, manager, 'INVITEE_BANNED');
          else if (event.action === 'credit_hold.confirmed')
            await this.revokeFor(event, manager, 'INVITEE_INAUTHENTIC');
        }
      },
    });
  }

  private async consider(event: StoredEvent, manager: EntityManager): Promise<void> {
    const earning = typeof event.meta.sharesAwarded === 'number' && event.meta.sharesAwarded > 0;
    if (!earning || !event.actorId || !event.brandId) return;
    const invite = await this.invites.acceptedInviteOf(manager, event.actorId);
    if (!invite || invite.qualifiedAt || invite.flaggedAt) return;
    const at = this.clock.now();
    const reason = await this.invites.selfInviteReason(manager, invite, GAME_RULES.invites);
    if (reason) {
      await this.invites.markFlagged(manager, invite.id, reason, at);
      this.logger.log(`Invite ${invite.id} flagged (${reason}): it pays nothing`);
      return;
    }
    if (!(await this.invites.markQualified(manager, invite.id, at, event.brandId))) return;
    const bonus = await this.ledger.earn(manager, {
      userId: invite.inviterId,
      brandId: event.brandId,
      shares: GAME_RULES.shares.inviteQualified,
      reason: 'INVITE_QUALIFIED',
      sourceType: 'invite',
      sourceId: invite.id,
      idempotencyKey: `invite:${invite.id}`,
      at,
    });
    const invitee = (await this.users.findById(event.actorId, manager))!;
    const brand = (await this.brands.findById(event.brandId, manager))!;
    await this.notifications.notify(manager, {
      userId: invite.inviterId,
      kind: 'INVITE_QUALIFIED',
      message: `@${invitee.handle}, whom you invited, published a first photo that earned shares: ${bonusText(bonus, GAME_RULES.shares.inviteQualified)} for you in ${brand.name}.`,
      brandId: event.brandId,
      meta: { inviteId: invite.id, inviteeId: invitee.id },
      at,
    });
  }

  /** The invite of a banned user or one confirmed inauthentic, if it paid its inviter: revoked, and the bonus reversed. */
  private async revokeFor(event: StoredEvent, manager: EntityManager, reason: InviteRevokeReason): Promise<void> {
    if (!event.targetId) return;
    const invite = await this.invites.acceptedInviteOf(manager, event.targetId);
    if (!invite?.qualifiedAt || invite.revokedAt) return;
    const at = this.clock.now();
    if (!(await this.invites.markRevoked(manager, invite.id, reason, at))) return;
    await this.ledger.reverse(manager, `invite:${invite.id}`, at);
    this.logger.log(`Invite ${invite.id} revoked (${reason}): its bonus is reversed`);
  }
}
