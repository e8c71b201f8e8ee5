import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventLog } from '@boardroom/core';
import { UsersService } from '@boardroom/accounts';
import { BrandsService } from '@boardroom/brands';
import { NotificationsService } from '@boardroom/notifications';
import type { EmploymentRecord } from '../ledger/ledger.types.js';
import { GAME_RULES, type Title } from '../rules.js';

/** "VICE_PRESIDENT" as people write it. */
export function titleLabel(title: Title): string {
  return title === 'CEO' ? 'CEO' : title.charAt(0) + title.slice(1).toLowerCase().replace('_', ' ');
}

/**
 * What the game tells, in the transaction of the change it tells: an event for the log (the awards and
 * authenticity work read them) and a stored notification for the user.
 */
@Injectable()
export class GameNotices {
  constructor(
    private readonly events: EventLog,
    private readonly notifications: NotificationsService,
    private readonly brands: BrandsService,
    private readonly users: UsersService,
  ) {}

  async titleChanged(
    manager: EntityManager,
    employment: EmploymentRecord,
    from: Title,
    entryId: string,
    at: Date,
  ): Promise<void> {
    const to = employment.title;
    await this.events.record(manager, {
      action: 'employment.title_changed',
      actorId: employment.userId,
      brandId: employment.brandId,
      targetType: 'employment',
      targetId: employment.id,
      meta: { from, to, shares: employment.shares, entryId },
    });
    const brand = await this.brandName(manager, employment.brandId);
    await this.notifications.notify(manager, {
      userId: employment.userId,
      kind: 'TITLE_CHANGED',
      message: `You are now ${titleLabel(to)} at ${brand}, with ${employment.shares} shares.`,
      brandId: employment.brandId,
      meta: { from, to, shares: employment.shares },
      at,
    });
  }

  /** The seat of a brand moved from `lost` (null: it was vacant) to `won` (null: it is vacant now). */
  async seatChanged(
    manager: EntityManager,
    brandId: string,
    change: { won: EmploymentRecord | null; lost: EmploymentRecord | null; lostBanned?: boolean },
    at: Date,
  ): Promise<void> {
    const { won, lost } = change;
    const brand = await this.brandName(manager, brandId);
    if (lost) {
      await this.events.record(manager, {
        action: 'employment.ceo_lost',
        actorId: lost.userId,
        brandId,
        targetType: 'employment',
        targetId: lost.id,
        meta: { successorId: won?.userId ?? null, recentShares: lost.recentShares, banned: change.lostBanned ?? false },
      });
      const reason = change.lostBanned
        ? 'your account is banned'
        : won
          ? `@${await this.handle(manager, won.userId)} has more recent shares (${won.recentShares} to your ${lost.recentShares})`
          : 'the seat needs recent shares and at least the minimum total';
      await this.notifications.notify(manager, {
        userId: lost.userId,
        kind: 'CEO_LOST',
        message: `You are no longer the CEO of ${brand}: ${reason}.`,
        brandId,
        meta: { successorId: won?.userId ?? null },
        at,
      });
    }
    if (won) {
      await this.events.record(manager, {
        action: 'employment.ceo_won',
        actorId: won.userId,
        brandId,
        targetType: 'employment',
        targetId: won.id,
        meta: { predecessorId: lost?.userId ?? null, recentShares: won.recentShares },
      });
      await this.notifications.notify(manager, {
        userId: won.userId,
        kind: 'CEO_WON',
        message: `You are the CEO of ${brand}: no one has more recent shares (${won.recentShares} in ${GAME_RULES.ceo.recentWindowDays} days).`,
        brandId,
        meta: { predecessorId: lost?.userId ?? null },
        at,
      });
    }
  }

  /**
   * The account's new credit is withheld until a moderator reviews it. Said in general terms: the
   * detectors' evidence would teach a farm what to avoid.
   */
  async creditWithheld(manager: EntityManager, userId: string, at: Date): Promise<void> {
    await this.notifications.notify(manager, {
      userId,
      kind: 'CREDIT_WITHHELD',
      message:
        'Some activity on your account looks automated or coordinated, so the shares your new photos, comments, ' +
        'invites and awards earn are on hold until a moderator reviews it. Your actions still count and nothing ' +
        'you earned before is taken. If this is a mistake, appeal (appealFlag) and say why.',
      brandId: null,
      meta: {},
      at,
    });
  }

  private async brandName(manager: EntityManager, brandId: string): Promise<string> {
    return (await this.brands.findById(brandId, manager))!.name;
  }

  private async handle(manager: EntityManager, userId: string): Promise<string> {
    return (await this.users.findById(userId, manager))!.handle;
  }
}
