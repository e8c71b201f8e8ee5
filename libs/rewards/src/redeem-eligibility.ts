import { titleRank, type Title } from '@boardroom/game';
import type { ErrorCode } from '@boardroom/core';
import type { OfferRecord } from './offer.record.js';

/** What decides whether a user may redeem an offer now, read in one place. */
export interface RedeemFacts {
  offer: Pick<OfferRecord, 'minTitle' | 'price' | 'remaining' | 'startsAt' | 'expiresAt' | 'closedAt'>;
  brandName: string;
  /** The user's title in the offer's brand; null when not an employee. */
  title: Title | null;
  balance: number;
  alreadyRedeemed: boolean;
  now: Date;
}

/** Why a redemption is refused: the error code, the CONFLICT reason (or a label) and a message for the user. */
export interface RedeemBlock {
  code: Extract<ErrorCode, 'FORBIDDEN' | 'BAD_USER_INPUT' | 'CONFLICT'>;
  reason:
    | 'OFFER_CLOSED'
    | 'ALREADY_REDEEMED'
    | 'TITLE_TOO_LOW'
    | 'NOT_STARTED'
    | 'EXPIRED'
    | 'SOLD_OUT'
    | 'INSUFFICIENT_BALANCE';
  message: string;
}

/**
 * The first reason the user may not redeem the offer, or null. `redeemOffer` and `Offer.canRedeem` /
 * `redeemBlockedReason` both ask this, so the answer before trying is the answer when trying.
 */
export function redeemBlock(facts: RedeemFacts): RedeemBlock | null {
  const { offer, title, now } = facts;
  if (offer.closedAt)
    return { code: 'CONFLICT', reason: 'OFFER_CLOSED', message: 'This offer has been closed by the brand.' };
  if (facts.alreadyRedeemed)
    return { code: 'CONFLICT', reason: 'ALREADY_REDEEMED', message: 'You have already redeemed this offer.' };
  if (title === null || titleRank(title) < titleRank(offer.minTitle)) {
    const held = title === null ? `you are not an employee of ${facts.brandName} yet` : `you are ${title}`;
    return {
      code: 'FORBIDDEN',
      reason: 'TITLE_TOO_LOW',
      message: `This offer needs the title ${offer.minTitle} or higher at ${facts.brandName}; ${held}.`,
    };
  }
  if (offer.startsAt && now < offer.startsAt)
    return {
      code: 'BAD_USER_INPUT',
      reason: 'NOT_STARTED',
      message: `This offer opens at ${offer.startsAt.toISOString()}.`,
    };
  if (offer.expiresAt && now >= offer.expiresAt)
    return {
      code: 'BAD_USER_INPUT',
      reason: 'EXPIRED',
      message: `This offer expired at ${offer.expiresAt.toISOString()}.`,
    };
  if (offer.remaining <= 0) return { code: 'CONFLICT', reason: 'SOLD_OUT', message: 'This offer is sold out.' };
  if (facts.balance < offer.price)
    return {
      code: 'BAD_USER_INPUT',
      reason: 'INSUFFICIENT_BALANCE',
      message: `This offer needs ${offer.price} in your wallet, you have ${facts.balance}.`,
    };
  return null;
}
