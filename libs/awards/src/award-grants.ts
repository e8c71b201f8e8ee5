import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventLog } from '@boardroom/core';
import { BrandsService } from '@boardroom/brands';
import { GAME_RULES, ShareLedger, type AwardCode } from '@boardroom/game';
import { NotificationsService } from '@boardroom/notifications';
import type { Counted } from './award-criterion.js';
import { bonusText } from './bonus-text.js';
import { AwardsRepository } from './awards.repository.js';

/**
 * Grants an award once (per user, and brand for per-brand awards), in the engine's transaction: the
 * record, its bonus through the share ledger under GAME.md's key `award:<code>:<userId>:<brandId|global>`,
 * an `award.granted` event and the user's notification.
 */
@Injectable()
export class AwardGrants {
  constructor(
    private readonly awards: AwardsRepository,
    private readonly ledger: ShareLedger,
    private readonly events: EventLog,
    private readonly notifications: NotificationsService,
    private readonly brands: BrandsService,
  ) {}

  /** Returns whether it granted (false: the award was already the user's). */
  async grant(
    manager: EntityManager,
    code: AwardCode,
    counted: Counted,
    cause: { eventId: string; at: Date },
  ): Promise<boolean> {
    const award = await this.awards.insertAward(manager, {
      code,
      userId: counted.userId,
      brandId: counted.brandId,
      bonusBrandId: counted.bonusBrandId,
      eventId: cause.eventId,
      at: cause.at,
    });
    if (!award) return false;
    const definition = GAME_RULES.awards[code];
    const bonus = await this.ledger.earn(manager, {
      userId: counted.userId,
      brandId: counted.bonusBrandId,
      shares: definition.sharesBonus,
      reason: 'AWARD_BONUS',
      sourceType: 'award',
      sourceId: award.id,
      idempotencyKey: `award:${code}:${counted.userId}:${counted.brandId ?? 'global'}`,
      at: cause.at,
    });
    await this.events.record(manager, {
      action: 'award.granted',
      actorId: counted.userId,
      brandId: counted.bonusBrandId,
      targetType: 'award',
      targetId: award.id,
      meta: { code, perBrand: definition.perBrand, sharesBonus: definition.sharesBonus, causeEventId: cause.eventId },
    });
    const brand = (await this.brands.findById(counted.bonusBrandId, manager))!;
    await this.notifications.notify(manager, {
      userId: counted.userId,
      kind: 'AWARD_GRANTED',
      message: `You earned the award ${definition.name}: ${definition.description} ${bonusText(bonus, definition.sharesBonus)} in ${brand.name}.`,
      brandId: counted.bonusBrandId,
      meta: { code, awardId: award.id },
      at: cause.at,
    });
    return true;
  }
}
