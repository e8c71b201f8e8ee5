import type { Title } from '@boardroom/game';

export const OFFER_KINDS = ['DISCOUNT', 'GIFT', 'JOB', 'EXPERIENCE'] as const;
export type OfferKind = (typeof OFFER_KINDS)[number];

export interface OfferRecord {
  id: string;
  brandId: string;
  kind: OfferKind;
  title: string;
  description: string;
  minTitle: Title;
  price: number;
  stock: number;
  remaining: number;
  startsAt: Date | null;
  expiresAt: Date | null;
  closedAt: Date | null;
  createdAt: Date;
}

export interface RedemptionRecord {
  id: string;
  offerId: string;
  userId: string;
  code: string;
  sharedProfile: boolean;
  usedAt: Date | null;
  createdAt: Date;
  /** created_at as PostgreSQL prints it, for cursors. */
  createdKey: string;
}
