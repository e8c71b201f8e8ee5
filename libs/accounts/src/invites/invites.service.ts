import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  Clock,
  AppConfig,
  DomainError,
  EventLog,
  inTransaction,
  requestCount,
  requestLoader,
  type NewEvent,
} from '@boardroom/core';
import type { ClientInfo } from '../auth/auth.decorators.js';
import type { UserRecord, Viewer } from '../users/user.record.js';
import { UsersRepository } from '../users/users.repository.js';
import { UsersService } from '../users/users.service.js';
import { comparableEmail } from './comparable-email.js';
import { newInviteCode, normalizeInviteCode } from './invite-code.js';
import type { InviteFlagReason, InviteRecord, InviteRevokeReason } from './invite.record.js';
import { InvitesRepository } from './invites.repository.js';

/** Open (unused) invites a user may hold at once. */
export const MAX_OPEN_INVITES = 20;

/** The field of SignUpInput that carries a code, as validation errors name it. */
const CODE_FIELD = 'input.inviteCode';

/**
 * Invites: creating and listing them, accepting one at sign-up, and, for the game, the invitee's invite,
 * the self-invite checks and the qualified or flagged outcome. Paying for an invite is the game's.
 */
@Injectable()
export class InvitesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly invites: InvitesRepository,
    private readonly users: UsersRepository,
    private readonly usersService: UsersService,
    private readonly events: EventLog,
    private readonly clock: Clock,
  ) {}

  /** A new open invite of the viewer; CONFLICT OPEN_INVITES_LIMIT at MAX_OPEN_INVITES open ones. */
  async create(viewer: Viewer, client: ClientInfo): Promise<InviteRecord> {
    return inTransaction(this.dataSource, async (manager) => {
      // Under the inviter's lock, so that concurrent requests cannot together pass the limit.
      await this.invites.lockInviter(manager, viewer.id);
      if ((await this.invites.countOpen(manager, viewer.id)) >= MAX_OPEN_INVITES) {
        throw DomainError.conflict(
          'OPEN_INVITES_LIMIT',
          `You already have ${MAX_OPEN_INVITES} unused invites. Share one of them (see your invites) before creating another.`,
          { limit: MAX_OPEN_INVITES },
        );
      }
      let invite: InviteRecord | null = null;
      // 60 random bits: a collision is all but impossible; drawing again covers it anyway.
      for (let attempt = 0; !invite && attempt < 3; attempt++) {
        invite = await this.invites.insert(manager, viewer.id, newInviteCode(), this.clock.now());
      }
      if (!invite) throw new Error('Could not draw an unused invite code');
      await this.events.record(manager, {
        action: 'invite.created',
        actorId: viewer.id,
        targetType: 'invite',
        targetId: invite.id,
        networkFingerprint: client.ip,
        deviceFingerprint: client.deviceId,
      });
      return invite;
    });
  }

  /**
   * Accepts `code` for a user being signed up, in the sign-up's transaction. An unknown or used code is
   * BAD_USER_INPUT on `input.inviteCode`, which rolls the whole sign-up back.
   */
  async acceptAtSignUp(
    manager: EntityManager,
    code: string,
    inviteeId: string,
    client: ClientInfo,
  ): Promise<InviteRecord> {
    const normalized = normalizeInviteCode(code);
    // Dated by the product's clock, like the sign-up it belongs to.
    const invite = await this.invites.accept(manager, normalized, inviteeId, this.clock.now());
    if (!invite) {
      if (await this.invites.findByCode(manager, normalized)) {
        throw DomainError.badInput(
          'This invite code has already been used. Ask for a new invite, or sign up without a code.',
          [{ field: CODE_FIELD, message: 'already used' }],
        );
      }
      throw DomainError.badInput(
        'This invite code does not exist. Check the link you were sent, or sign up without a code.',
        [{ field: CODE_FIELD, message: 'unknown invite code' }],
      );
    }
    await this.events.record(manager, {
      action: 'invite.accepted',
      actorId: inviteeId,
      targetType: 'invite',
      targetId: invite.id,
      networkFingerprint: client.ip,
      deviceFingerprint: client.deviceId,
      meta: { inviterId: invite.inviterId, inviteId: invite.id },
    });
    return invite;
  }

  /** Where an invite's code leads: the web app's sign-up page with the code filled in. */
  urlOf(invite: InviteRecord): string {
    return `${this.config.publicUrl}/join?invite=${encodeURIComponent(invite.code)}`;
  }

  /** The user's invites, newest first, batched over a response; null when the viewer may not see them. */
  async listOf(context: object, viewer: Viewer | null, user: UserRecord): Promise<InviteRecord[] | null> {
    if (!this.usersService.canSeePrivate(viewer, user)) return null;
    const lists = await requestLoader(
      context,
      'invites-of-users',
      (ids) => this.groupedByInviter(ids),
      (list) => list.inviterId,
    ).load(user.id);
    return lists?.invites ?? [];
  }

  /** The user's qualified invites, counted in one query per response. */
  invitedCount(context: object, userId: string): Promise<number> {
    return requestCount(
      context,
      'invited-counts',
      (ids) => this.invites.qualifiedCounts(this.dataSource.manager, ids),
      (row) => row.inviterId,
      userId,
    );
  }

  /** The invite the user signed up with, if any. */
  acceptedInviteOf(manager: EntityManager, inviteeId: string): Promise<InviteRecord | null> {
    return this.invites.findByInvitee(manager, inviteeId);
  }

  /**
   * Whether the invitee looks like the inviter (GAME.md, "an invite qualifies"), first match in this
   * order: SAME_DEVICE (an event of each with the same device fingerprint, at any time), SAME_NETWORK (an
   * event of the invitee within `sameNetworkWindowHours` after signing up whose network fingerprint is
   * on an event of the inviter within that many hours either side of the sign-up), SAME_EMAIL (equal
   * after `comparableEmail`). The window is the game's rule (GAME_RULES.invites), passed in because the
   * game depends on accounts, not the other way round.
   */
  async selfInviteReason(
    manager: EntityManager,
    invite: InviteRecord,
    rules: { sameNetworkWindowHours: number },
  ): Promise<InviteFlagReason | null> {
    if (!invite.inviteeId || !invite.acceptedAt) throw new Error(`Invite ${invite.id} has not been accepted`);
    const { inviterId, inviteeId, acceptedAt } = invite;
    if (await this.invites.shareDevice(manager, inviteeId, inviterId)) return 'SAME_DEVICE';
    if (await this.invites.shareNetworkAround(manager, inviteeId, inviterId, acceptedAt, rules.sameNetworkWindowHours))
      return 'SAME_NETWORK';
    const users = await this.users.findByIds(manager, [inviterId, inviteeId]);
    const emails = new Set(users.map((user) => comparableEmail(user.email)));
    return users.length === 2 && emails.size === 1 ? 'SAME_EMAIL' : null;
  }

  /**
   * Marks the invite qualified by the invitee's first earning photo in `brandId` and records
   * `invite.qualified` (its actor the inviter, its brand that photo's: what RECRUITER counts); false when
   * it was not accepted and unsettled.
   */
  async markQualified(manager: EntityManager, inviteId: string, at: Date, brandId: string): Promise<boolean> {
    const invite = await this.invites.markQualified(manager, inviteId, at);
    if (invite) {
      await this.events.record(manager, {
        ...this.settledEvent('invite.qualified', invite, {}),
        actorId: invite.inviterId,
        brandId,
      });
    }
    return invite !== null;
  }

  /**
   * Flags the invite as a self-invite and records `invite.flagged` with the reason, for the authenticity
   * work; false when it was not accepted and unsettled (a qualified invite stays qualified).
   */
  async markFlagged(manager: EntityManager, inviteId: string, reason: InviteFlagReason, at: Date): Promise<boolean> {
    const invite = await this.invites.markFlagged(manager, inviteId, reason, at);
    if (invite) await this.events.record(manager, this.settledEvent('invite.flagged', invite, { reason }));
    return invite !== null;
  }

  /**
   * Revokes a qualified invite whose invitee was found fraudulent and records `invite.revoked` with the
   * reason; false when it was not qualified or is revoked already. Reversing its bonus is the game's.
   */
  async markRevoked(manager: EntityManager, inviteId: string, reason: InviteRevokeReason, at: Date): Promise<boolean> {
    const invite = await this.invites.markRevoked(manager, inviteId, reason, at);
    if (invite) {
      await this.events.record(manager, {
        ...this.settledEvent('invite.revoked', invite, { reason }),
        occurredAt: at,
        actorId: invite.inviterId,
      });
    }
    return invite !== null;
  }

  private settledEvent(action: string, invite: InviteRecord, meta: Record<string, unknown>): NewEvent {
    return {
      action,
      targetType: 'invite',
      targetId: invite.id,
      occurredAt: invite.qualifiedAt ?? invite.flaggedAt ?? undefined,
      meta: { ...meta, inviteId: invite.id, inviterId: invite.inviterId, inviteeId: invite.inviteeId },
    };
  }

  private async groupedByInviter(ids: readonly string[]): Promise<{ inviterId: string; invites: InviteRecord[] }[]> {
    const lists = new Map<string, InviteRecord[]>();
    for (const invite of await this.invites.listOf(this.dataSource.manager, ids)) {
      const list = lists.get(invite.inviterId);
      if (list) list.push(invite);
      else lists.set(invite.inviterId, [invite]);
    }
    return [...lists].map(([inviterId, invites]) => ({ inviterId, invites }));
  }
}
