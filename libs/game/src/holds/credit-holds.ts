import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PhotosService } from '@boardroom/photos';
import { ShareLedger } from '../ledger/share-ledger.service.js';
import { GameNotices } from '../notices/game-notices.js';
import { CreditHoldsRepository } from './credit-holds.repository.js';
import type { CreditHoldRecord } from './credit-holds.types.js';

export interface HoldDecided {
  /** Withheld credits settled by the decision: released into the ledger, or forfeited. */
  credits: number;
  /** Shares the decision moved: released (≥ 0), or reversed (≤ 0). */
  shares: number;
}

/**
 * Holding an account's credit and settling it, in the caller's transaction: while held, its new earnings are
 * withheld (ShareLedger.earn); clearing releases them as restoration entries under each cause's own key (so a
 * later deletion reverses them like any earning); confirming forfeits them and reverses everything the account
 * earned. A decision holds the user's credit lock alone, so no earning is withheld under it meanwhile.
 */
@Injectable()
export class CreditHolds {
  constructor(
    private readonly holds: CreditHoldsRepository,
    private readonly ledger: ShareLedger,
    private readonly photos: PhotosService,
    private readonly notices: GameNotices,
  ) {}

  find(manager: EntityManager, userId: string): Promise<CreditHoldRecord | null> {
    return this.holds.findHold(manager, userId);
  }

  /** Holds the account (again, if a moderator cleared it before) and tells the user; null when held already. */
  async hold(
    manager: EntityManager,
    userId: string,
    suspicion: { score: number; detectors: readonly string[] },
    at: Date,
  ): Promise<CreditHoldRecord | null> {
    const held = await this.holds.hold(manager, { userId, ...suspicion, at });
    if (held) await this.notices.creditWithheld(manager, userId, at);
    return held;
  }

  /** The held user asks for review; null when their credit is not held (or was appealed already). */
  appeal(manager: EntityManager, userId: string, text: string, at: Date): Promise<CreditHoldRecord | null> {
    return this.holds.appeal(manager, userId, text, at);
  }

  /** The hold under its decision lock, for a moderator's decision; null when the account is not held. */
  async lockForDecision(manager: EntityManager, userId: string): Promise<CreditHoldRecord | null> {
    await this.holds.lockForDecision(manager, userId);
    const hold = await this.holds.findHold(manager, userId);
    return hold && (hold.state === 'HELD' || hold.state === 'APPEALED') ? hold : null;
  }

  /** Not fraud: new credit flows again and what was withheld is released. The caller holds {@link lockForDecision}. */
  async clear(manager: EntityManager, userId: string, moderatorId: string, at: Date): Promise<HoldDecided> {
    await this.holds.decide(manager, userId, { state: 'CLEARED', moderatorId, at });
    const pending = await this.holds.pendingOf(manager, userId);
    let shares = 0;
    for (const credit of pending) {
      const { entry } = await this.ledger.apply(manager, {
        userId,
        brandId: credit.brandId,
        shares: credit.shares,
        reason: 'RESTORED',
        sourceType: 'withheld',
        sourceId: credit.id,
        idempotencyKey: credit.idempotencyKey,
        at,
      });
      shares += entry.shares;
      if (credit.sourceType === 'photo') await this.photos.creditReleased(manager, credit.sourceId, entry.shares);
    }
    await this.holds.settle(manager, { ids: pending.map((credit) => credit.id) }, 'RELEASED', at);
    return { credits: pending.length, shares };
  }

  /**
   * Inauthentic: what was withheld is forfeited, new credit stays withheld for good, and every cause that
   * earned the account shares is reversed (the detectors judge accounts, so none of its earnings stands).
   * The caller holds {@link lockForDecision}.
   */
  async confirm(manager: EntityManager, userId: string, moderatorId: string, at: Date): Promise<HoldDecided> {
    await this.holds.decide(manager, userId, { state: 'CONFIRMED', moderatorId, at });
    const pending = await this.holds.pendingOf(manager, userId);
    await this.holds.settle(manager, { ids: pending.map((credit) => credit.id) }, 'FORFEITED', at);
    let shares = 0;
    for (const key of await this.holds.earningKeysOf(manager, userId)) {
      shares += (await this.ledger.reverse(manager, key, at))?.shares ?? 0;
    }
    return { credits: pending.length, shares };
  }
}
