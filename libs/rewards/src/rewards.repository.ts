import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows, type TimestampPageStart } from '@boardroom/core';
import type { Title } from '@boardroom/game';
import type { OfferKind, OfferRecord, RedemptionRecord } from './offer.record.js';

const OFFER = `o.id, o.brand_id AS "brandId", o.kind, o.title, o.description, o.min_title AS "minTitle", o.price,
  o.stock, o.remaining, o.starts_at AS "startsAt", o.expires_at AS "expiresAt", o.closed_at AS "closedAt",
  o.created_at AS "createdAt"`;
const REDEMPTION = `r.id, r.offer_id AS "offerId", r.user_id AS "userId", r.code, r.shared_profile AS "sharedProfile",
  r.used_at AS "usedAt", r.created_at AS "createdAt", r.created_at::text AS "createdKey"`;

/** The most offers a brand lists at once (CONTRACT: at most 100). */
export const OFFERS_LISTED = 100;

/** All SQL on `offers`, `redemptions` and `offer_unlocks`. */
@Injectable()
export class RewardsRepository {
  async createOffer(
    manager: EntityManager,
    offer: {
      brandId: string;
      kind: OfferKind;
      title: string;
      description: string;
      minTitle: Title;
      price: number;
      stock: number;
      startsAt: Date | null;
      expiresAt: Date | null;
      createdBy: string;
      at: Date;
    },
  ): Promise<OfferRecord> {
    const [row] = await queryRows<OfferRecord>(
      manager,
      `INSERT INTO offers AS o (brand_id, kind, title, description, min_title, price, stock, remaining, starts_at,
                                expires_at, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11) RETURNING ${OFFER}`,
      [
        offer.brandId,
        offer.kind,
        offer.title,
        offer.description,
        offer.minTitle,
        offer.price,
        offer.stock,
        offer.startsAt,
        offer.expiresAt,
        offer.createdBy,
        offer.at,
      ],
    );
    return row!;
  }

  async findOffer(manager: EntityManager, id: string): Promise<OfferRecord | null> {
    const [row] = await queryRows<OfferRecord>(manager, `SELECT ${OFFER} FROM offers o WHERE o.id = $1`, [id]);
    return row ?? null;
  }

  /** Closes an open offer; null when it was closed already. */
  async closeOffer(manager: EntityManager, id: string, at: Date): Promise<OfferRecord | null> {
    const [row] = await queryRows<OfferRecord>(
      manager,
      `UPDATE offers o SET closed_at = $2 WHERE o.id = $1 AND o.closed_at IS NULL RETURNING ${OFFER}`,
      [id, at],
    );
    return row ?? null;
  }

  /** Newest first; `activeOnly`: not closed, not sold out, not expired at `now`. */
  async brandOffers(manager: EntityManager, brandId: string, activeOnly: boolean, now: Date): Promise<OfferRecord[]> {
    return queryRows<OfferRecord>(
      manager,
      `SELECT ${OFFER} FROM offers o
        WHERE o.brand_id = $1
          AND (NOT $2 OR (o.closed_at IS NULL AND o.remaining > 0 AND (o.expires_at IS NULL OR o.expires_at > $3)))
        ORDER BY o.created_at DESC, o.id DESC
        LIMIT ${OFFERS_LISTED}`,
      [brandId, activeOnly, now],
    );
  }

  /** What redeemOffer decides on for one user: their title in the brand, balance, and whether they redeemed. */
  async redeemerFacts(
    manager: EntityManager,
    offer: Pick<OfferRecord, 'id' | 'brandId'>,
    userId: string,
  ): Promise<{ title: Title | null; balance: number; alreadyRedeemed: boolean }> {
    const [facts] = await this.redeemerFactsOf(manager, [offer.id], userId);
    return facts!;
  }

  /** The same facts for one user and many offers, in one statement: `canRedeem` over a brand's list. */
  async redeemerFactsOf(
    manager: EntityManager,
    offerIds: readonly string[],
    userId: string,
  ): Promise<{ offerId: string; title: Title | null; balance: number; alreadyRedeemed: boolean }[]> {
    return queryRows(
      manager,
      `SELECT o.id AS "offerId", e.title, coalesce(w.balance, 0) AS balance,
              EXISTS (SELECT 1 FROM redemptions r WHERE r.offer_id = o.id AND r.user_id = $2) AS "alreadyRedeemed"
         FROM offers o
         LEFT JOIN employments e ON e.user_id = $2 AND e.brand_id = o.brand_id
         LEFT JOIN wallets w ON w.user_id = $2
        WHERE o.id = ANY($1::uuid[])`,
      [offerIds, userId],
    );
  }

  /**
   * Takes one unit of an open offer's stock; the row lock serializes concurrent takers and each re-reads
   * `remaining` after the wait, so the stock is never oversold. Null when none is left or it was closed.
   */
  async takeUnit(manager: EntityManager, offerId: string): Promise<OfferRecord | null> {
    const [row] = await queryRows<OfferRecord>(
      manager,
      `UPDATE offers o SET remaining = remaining - 1
        WHERE o.id = $1 AND o.remaining > 0 AND o.closed_at IS NULL RETURNING ${OFFER}`,
      [offerId],
    );
    return row ?? null;
  }

  /**
   * Null when the user has already redeemed the offer (a concurrent redemption of theirs waits here for
   * the other to commit). A code collision raises the unique violation of `redemptions_code`.
   */
  async insertRedemption(
    manager: EntityManager,
    redemption: { offerId: string; userId: string; code: string; sharedProfile: boolean; price: number; at: Date },
  ): Promise<RedemptionRecord | null> {
    const [row] = await queryRows<RedemptionRecord>(
      manager,
      `INSERT INTO redemptions AS r (offer_id, user_id, code, shared_profile, price, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ON CONSTRAINT redemptions_once DO NOTHING
       RETURNING ${REDEMPTION}`,
      [
        redemption.offerId,
        redemption.userId,
        redemption.code,
        redemption.sharedProfile,
        redemption.price,
        redemption.at,
      ],
    );
    return row ?? null;
  }

  async findRedemption(manager: EntityManager, id: string): Promise<RedemptionRecord | null> {
    const [row] = await queryRows<RedemptionRecord>(
      manager,
      `SELECT ${REDEMPTION} FROM redemptions r WHERE r.id = $1`,
      [id],
    );
    return row ?? null;
  }

  /** The redemption with this code, locked for marking it used. */
  async lockRedemptionByCode(manager: EntityManager, code: string): Promise<RedemptionRecord | null> {
    const [row] = await queryRows<RedemptionRecord>(
      manager,
      `SELECT ${REDEMPTION} FROM redemptions r WHERE r.code = $1 FOR UPDATE`,
      [code],
    );
    return row ?? null;
  }

  async markUsed(manager: EntityManager, id: string, at: Date): Promise<RedemptionRecord> {
    const [row] = await queryRows<RedemptionRecord>(
      manager,
      `UPDATE redemptions r SET used_at = $2 WHERE r.id = $1 RETURNING ${REDEMPTION}`,
      [id, at],
    );
    return row!;
  }

  /** Newest first, `limit` rows after the cursor. */
  async redemptionsOf(
    manager: EntityManager,
    offerId: string,
    after: TimestampPageStart,
    limit: number,
  ): Promise<RedemptionRecord[]> {
    return queryRows<RedemptionRecord>(
      manager,
      `SELECT ${REDEMPTION} FROM redemptions r
        WHERE r.offer_id = $1 AND ($2::timestamptz IS NULL OR (r.created_at, r.id) < ($2::timestamptz, $3::uuid))
        ORDER BY r.created_at DESC, r.id DESC
        LIMIT $4`,
      [offerId, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
  }

  /**
   * Records, once per (offer, user), that the brand's open offers needing a title in (`from`, `to`] are
   * unlocked for the user; returns the offers newly unlocked (what to notify).
   */
  async unlockOffers(
    manager: EntityManager,
    unlock: { userId: string; brandId: string; fromRank: number; toRank: number; titles: readonly Title[]; at: Date },
  ): Promise<Pick<OfferRecord, 'id' | 'title' | 'minTitle'>[]> {
    return queryRows(
      manager,
      `WITH unlocked AS (
         SELECT o.id FROM offers o
          WHERE o.brand_id = $2 AND o.closed_at IS NULL AND o.remaining > 0
            AND (o.expires_at IS NULL OR o.expires_at > $5)
            AND array_position($6::text[], o.min_title) - 1 > $3
            AND array_position($6::text[], o.min_title) - 1 <= $4
       ), inserted AS (
         INSERT INTO offer_unlocks (offer_id, user_id, notified_at)
         SELECT id, $1, $5 FROM unlocked
         ON CONFLICT DO NOTHING
         RETURNING offer_id
       )
       SELECT o.id, o.title, o.min_title AS "minTitle" FROM offers o JOIN inserted i ON i.offer_id = o.id
        ORDER BY o.created_at, o.id`,
      [unlock.userId, unlock.brandId, unlock.fromRank, unlock.toRank, unlock.at, unlock.titles],
    );
  }
}
