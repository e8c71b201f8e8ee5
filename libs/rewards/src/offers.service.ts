import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  Clock,
  DomainError,
  EventLog,
  inTransaction,
  requestLoader,
  sqlState,
  timestampPageStart,
} from '@boardroom/core';
import type { Viewer } from '@boardroom/accounts';
import { BrandsService, type BrandRecord } from '@boardroom/brands';
import { GAME_RULES, WalletService } from '@boardroom/game';
import type { CreateOfferInput } from './dto/create-offer.input.js';
import type { OfferRecord, RedemptionRecord } from './offer.record.js';
import { redeemBlock, type RedeemBlock, type RedeemFacts } from './redeem-eligibility.js';
import { newRedemptionCode, normalizeRedemptionCode } from './redemption-code.js';
import { RewardsRepository } from './rewards.repository.js';

export const OFFER_TITLE_LENGTH = { min: 3, max: 120 };
export const OFFER_DESCRIPTION_LENGTH = { min: 1, max: 5_000 };
export const OFFER_STOCK = { min: 1, max: 1_000_000 };

/** Attempts at a fresh redemption code: a collision of 50 random bits is astronomically rare. */
const CODE_ATTEMPTS = 3;

const isCodeCollision = (error: unknown): boolean => {
  const candidate = error as { constraint?: unknown; driverError?: { constraint?: unknown } };
  return (
    sqlState(error) === '23505' && (candidate.driverError?.constraint ?? candidate.constraint) === 'redemptions_code'
  );
};

const SOLD_OUT: RedeemBlock = { code: 'CONFLICT', reason: 'SOLD_OUT', message: 'This offer is sold out.' };
const ALREADY_REDEEMED: RedeemBlock = {
  code: 'CONFLICT',
  reason: 'ALREADY_REDEEMED',
  message: 'You have already redeemed this offer.',
};
const INSUFFICIENT_BALANCE: RedeemBlock = { code: 'BAD_USER_INPUT', reason: 'INSUFFICIENT_BALANCE', message: '' };

/** The error redeemOffer raises for a refusal; CONFLICT and FORBIDDEN carry the reason. */
function refusal(block: RedeemBlock): DomainError {
  if (block.code === 'CONFLICT') return DomainError.conflict(block.reason, block.message);
  if (block.code === 'FORBIDDEN') return new DomainError('FORBIDDEN', block.message, { reason: block.reason });
  return DomainError.badInput(block.message, [{ field: 'offerId', message: block.message }]);
}

/** Brand offers: posted and closed by the brand's managers, redeemed by employees, checked at the till. */
@Injectable()
export class OffersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rewards: RewardsRepository,
    private readonly brands: BrandsService,
    private readonly wallets: WalletService,
    private readonly events: EventLog,
    private readonly clock: Clock,
  ) {}

  async create(brandSlug: string, input: CreateOfferInput, viewer: Viewer): Promise<OfferRecord> {
    const brand = await this.brands.findBySlug(brandSlug);
    if (!brand) throw DomainError.notFound(`The brand "${brandSlug}"`);
    const offer = this.validated(input);
    return inTransaction(this.dataSource, async (manager) => {
      await this.requireManager(manager, viewer, brand);
      const at = this.clock.now();
      const created = await this.rewards.createOffer(manager, {
        ...offer,
        brandId: brand.id,
        createdBy: viewer.id,
        at,
      });
      await this.events.record(manager, {
        action: 'offer.created',
        actorId: viewer.id,
        brandId: brand.id,
        targetType: 'offer',
        targetId: created.id,
        meta: { kind: created.kind, minTitle: created.minTitle, stock: created.stock, price: created.price },
      });
      return created;
    });
  }

  async close(offerId: string, viewer: Viewer): Promise<OfferRecord> {
    return inTransaction(this.dataSource, async (manager) => {
      const offer = await this.requireOffer(manager, offerId);
      await this.requireManager(manager, viewer, await this.brandOf(manager, offer));
      const closed = await this.rewards.closeOffer(manager, offer.id, this.clock.now());
      if (!closed) return offer; // closing a closed offer changes nothing
      await this.events.record(manager, {
        action: 'offer.closed',
        actorId: viewer.id,
        brandId: offer.brandId,
        targetType: 'offer',
        targetId: offer.id,
        meta: { remaining: closed.remaining },
      });
      return closed;
    });
  }

  findOffer(id: string): Promise<OfferRecord | null> {
    return this.rewards.findOffer(this.dataSource.manager, id);
  }

  brandOffers(brandId: string, activeOnly: boolean): Promise<OfferRecord[]> {
    return this.rewards.brandOffers(this.dataSource.manager, brandId, activeOnly, this.clock.now());
  }

  /**
   * Why the viewer may not redeem the offer now, or null: what redeemOffer would decide. The caller's facts
   * for every offer of a response come in one query, shared by canRedeem and redeemBlockedReason.
   */
  async blockFor(context: object, offer: OfferRecord, viewer: Viewer): Promise<RedeemBlock | null> {
    const facts = await requestLoader(
      context,
      `redeemer-facts:${viewer.id}`,
      (offerIds) => this.rewards.redeemerFactsOf(this.dataSource.manager, offerIds, viewer.id),
      (row) => row.offerId,
    ).load(offer.id);
    const brand = (await this.brands.loadById(context, offer.brandId))!;
    return redeemBlock({
      offer,
      brandName: brand.name,
      title: facts!.title,
      balance: facts!.balance,
      alreadyRedeemed: facts!.alreadyRedeemed,
      now: this.clock.now(),
    });
  }

  /**
   * One transaction: the eligibility check, one unit of stock (conditional UPDATE), the redemption (once per
   * user), the wallet debit (conditional UPDATE) and the event. Any refusal after the stock was taken
   * throws, so the transaction rolls back and the unit is not lost.
   */
  async redeem(offerId: string, shareProfileWithBrand: boolean, viewer: Viewer): Promise<RedemptionRecord> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await inTransaction(this.dataSource, (manager) =>
          this.redeemIn(manager, offerId, shareProfileWithBrand, viewer),
        );
      } catch (error) {
        if (attempt >= CODE_ATTEMPTS || !isCodeCollision(error)) throw error;
      }
    }
  }

  private async redeemIn(
    manager: EntityManager,
    offerId: string,
    shareProfileWithBrand: boolean,
    viewer: Viewer,
  ): Promise<RedemptionRecord> {
    const offer = await this.requireOffer(manager, offerId);
    const brand = await this.brandOf(manager, offer);
    const now = this.clock.now();
    const facts = await this.rewards.redeemerFacts(manager, offer, viewer.id);
    const blockWith = (changed: Partial<RedeemFacts>, otherwise: RedeemBlock) =>
      refusal(redeemBlock({ offer, brandName: brand.name, ...facts, now, ...changed }) ?? otherwise);
    const first = redeemBlock({ offer, brandName: brand.name, ...facts, now });
    if (first) throw refusal(first);
    const taken = await this.rewards.takeUnit(manager, offer.id);
    // Another redemption took the last unit, or a manager closed the offer, since the read above.
    if (!taken) throw blockWith({ offer: await this.requireOffer(manager, offer.id) }, SOLD_OUT);
    const redemption = await this.rewards.insertRedemption(manager, {
      offerId: offer.id,
      userId: viewer.id,
      code: newRedemptionCode(),
      sharedProfile: shareProfileWithBrand,
      price: offer.price,
      at: now,
    });
    // A concurrent redemption of the same user committed first.
    if (!redemption) throw blockWith({ alreadyRedeemed: true }, ALREADY_REDEEMED);
    if (offer.price > 0) {
      const debited = await this.wallets.debitRedemption(manager, {
        userId: viewer.id,
        redemptionId: redemption.id,
        amount: offer.price,
        at: now,
      });
      if (!debited) {
        const balance = await this.wallets.balanceIn(manager, viewer.id);
        throw blockWith(
          { balance },
          { ...INSUFFICIENT_BALANCE, message: `This offer needs ${offer.price} in your wallet, you have ${balance}.` },
        );
      }
    }
    await this.events.record(manager, {
      action: 'offer.redeemed',
      actorId: viewer.id,
      brandId: offer.brandId,
      targetType: 'offer',
      targetId: offer.id,
      meta: { redemptionId: redemption.id, price: offer.price, sharedProfile: shareProfileWithBrand },
    });
    return redemption;
  }

  /** At the till: the brand's managers mark a code used, once. */
  async markUsed(code: string, viewer: Viewer): Promise<RedemptionRecord> {
    const stored = normalizeRedemptionCode(code);
    if (!stored) throw DomainError.notFound(`The code "${code}"`);
    return inTransaction(this.dataSource, async (manager) => {
      const redemption = await this.rewards.lockRedemptionByCode(manager, stored);
      if (!redemption) throw DomainError.notFound(`The code "${code}"`);
      const offer = (await this.rewards.findOffer(manager, redemption.offerId))!;
      await this.requireManager(manager, viewer, await this.brandOf(manager, offer));
      if (redemption.usedAt)
        throw DomainError.conflict(
          'ALREADY_USED',
          `The code ${stored} was already used on ${redemption.usedAt.toISOString()}.`,
        );
      const used = await this.rewards.markUsed(manager, redemption.id, this.clock.now());
      await this.events.record(manager, {
        action: 'redemption.used',
        actorId: viewer.id,
        brandId: offer.brandId,
        targetType: 'redemption',
        targetId: redemption.id,
        meta: { offerId: offer.id, redeemerId: redemption.userId },
      });
      return used;
    });
  }

  findRedemption(id: string): Promise<RedemptionRecord | null> {
    return this.rewards.findRedemption(this.dataSource.manager, id);
  }

  /** `first + 1` redemptions of the offer, newest first; null unless the viewer manages its brand. */
  async redemptions(
    offer: OfferRecord,
    viewer: Viewer | null,
    first: number,
    after: string | null | undefined,
  ): Promise<RedemptionRecord[] | null> {
    if (!viewer || !(await this.brands.canManage(viewer, offer.brandId))) return null;
    return this.rewards.redemptionsOf(this.dataSource.manager, offer.id, timestampPageStart(after), first + 1);
  }

  /** The redeemer sees their own redemption; the brand's managers see it, and its user only when shared. */
  async canSee(redemption: RedemptionRecord, viewer: Viewer | null): Promise<{ redemption: boolean; user: boolean }> {
    if (!viewer) return { redemption: false, user: false };
    if (viewer.id === redemption.userId) return { redemption: true, user: true };
    const offer = (await this.findOffer(redemption.offerId))!;
    const manages = await this.brands.canManage(viewer, offer.brandId);
    return { redemption: manages, user: manages && redemption.sharedProfile };
  }

  canManage(viewer: Viewer, brandId: string): Promise<boolean> {
    return this.brands.canManage(viewer, brandId);
  }

  private validated(input: CreateOfferInput) {
    const problems: { field: string; message: string }[] = [];
    const title = input.title.trim();
    const description = input.description.trim();
    const price = input.price ?? GAME_RULES.offers.defaultPrice;
    if (title.length < OFFER_TITLE_LENGTH.min || title.length > OFFER_TITLE_LENGTH.max)
      problems.push({
        field: 'input.title',
        message: `${OFFER_TITLE_LENGTH.min} to ${OFFER_TITLE_LENGTH.max} characters`,
      });
    if (description.length < OFFER_DESCRIPTION_LENGTH.min || description.length > OFFER_DESCRIPTION_LENGTH.max)
      problems.push({
        field: 'input.description',
        message: `${OFFER_DESCRIPTION_LENGTH.min} to ${OFFER_DESCRIPTION_LENGTH.max} characters`,
      });
    if (input.stock < OFFER_STOCK.min || input.stock > OFFER_STOCK.max)
      problems.push({ field: 'input.stock', message: `${OFFER_STOCK.min} to ${OFFER_STOCK.max.toLocaleString('en')}` });
    if (price < 0) problems.push({ field: 'input.price', message: '0 or more' });
    if (input.startsAt && input.expiresAt && input.startsAt >= input.expiresAt)
      problems.push({ field: 'input.expiresAt', message: 'must be after startsAt' });
    if (problems.length > 0)
      throw DomainError.badInput(
        `The offer is not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`,
        problems,
      );
    return {
      kind: input.kind,
      title,
      description,
      minTitle: input.minTitle,
      price,
      stock: input.stock,
      startsAt: input.startsAt ?? null,
      expiresAt: input.expiresAt ?? null,
    };
  }

  private async requireOffer(manager: EntityManager, id: string): Promise<OfferRecord> {
    const offer = await this.rewards.findOffer(manager, id);
    if (!offer) throw DomainError.notFound('The offer');
    return offer;
  }

  private async brandOf(manager: EntityManager, offer: OfferRecord): Promise<BrandRecord> {
    return (await this.brands.findById(offer.brandId, manager))!;
  }

  private async requireManager(manager: EntityManager, viewer: Viewer, brand: BrandRecord): Promise<void> {
    if (!(await this.brands.canManage(viewer, brand.id, manager)))
      throw new DomainError('FORBIDDEN', `Only the managers of ${brand.name} may manage its offers.`);
  }
}
