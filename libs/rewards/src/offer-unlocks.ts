import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock, EventSubscribers, type StoredEvent } from '@boardroom/core';
import { BrandsService } from '@boardroom/brands';
import { TITLES, titleRank, type Title } from '@boardroom/game';
import { NotificationsService } from '@boardroom/notifications';
import { RewardsRepository } from './rewards.repository.js';

/** The unlocker's position in the events log. */
export const OFFER_UNLOCKS_CONSUMER = 'offer-unlocks';

const isTitle = (value: unknown): value is Title => TITLES.includes(value as Title);

/**
 * OFFER_UNLOCKED: when a user's title in a brand rises past an open offer's minTitle, they are told once
 * per (offer, user). A standing consumer of the game's `employment.title_changed` and `employment.ceo_won`, so the share ledger's
 * transaction stays as it was. Offers posted for titles users already hold notify no one: those users
 * see them in `Brand.offers` with `canRedeem`.
 */
@Injectable()
export class OfferUnlocks implements OnModuleInit {
  constructor(
    private readonly subscribers: EventSubscribers,
    private readonly rewards: RewardsRepository,
    private readonly notifications: NotificationsService,
    private readonly brands: BrandsService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.subscribers.register({
      name: OFFER_UNLOCKS_CONSUMER,
      handle: async (events, manager) => {
        for (const event of events) await this.consider(event, manager);
      },
    });
  }

  private async consider(event: StoredEvent, manager: EntityManager): Promise<void> {
    if (!event.actorId || !event.brandId) return;
    // Winning the seat writes `employment.ceo_won`, not a title change; the seat needs at least the
    // shares of VICE_PRESIDENT, so what it unlocks is the CEO offers.
    const { from, to } =
      event.action === 'employment.ceo_won'
        ? { from: 'VICE_PRESIDENT', to: 'CEO' }
        : event.action === 'employment.title_changed'
          ? event.meta
          : {};
    if (!isTitle(from) || !isTitle(to) || titleRank(to) <= titleRank(from)) return;
    const at = this.clock.now();
    const unlocked = await this.rewards.unlockOffers(manager, {
      userId: event.actorId,
      brandId: event.brandId,
      fromRank: titleRank(from),
      toRank: titleRank(to),
      titles: TITLES,
      at,
    });
    if (unlocked.length === 0) return;
    const brand = (await this.brands.findById(event.brandId, manager))!;
    for (const offer of unlocked) {
      await this.notifications.notify(manager, {
        userId: event.actorId,
        kind: 'OFFER_UNLOCKED',
        message: `As ${to} at ${brand.name} you can now redeem "${offer.title}".`,
        brandId: event.brandId,
        meta: { offerId: offer.id, minTitle: offer.minTitle },
        at,
      });
    }
  }
}
