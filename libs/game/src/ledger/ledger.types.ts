import type { Title } from '../rules.js';

export type LedgerReason =
  'PHOTO_PUBLISHED' | 'COMMENT_POSTED' | 'INVITE_QUALIFIED' | 'AWARD_BONUS' | 'REVERSAL' | 'RESTORED';

/** A change of shares asked for by its cause; the ledger decides what it applies. */
export interface ShareChange {
  userId: string;
  brandId: string;
  /** Signed: what the cause gives (or, for a reversal, takes). */
  shares: number;
  reason: LedgerReason;
  sourceType: 'photo' | 'comment' | 'invite' | 'award' | 'ledger' | 'withheld';
  sourceId: string;
  /** GAME.md's key of the cause (`photo:<id>`, `reversal:<entryId>`, …): one entry per key, ever. */
  idempotencyKey: string;
  reverses?: string | null;
  restores?: string | null;
  at: Date;
}

export interface LedgerEntryRecord {
  id: string;
  userId: string;
  brandId: string;
  shares: number;
  requestedShares: number;
  reason: LedgerReason;
  sourceType: string;
  sourceId: string;
  idempotencyKey: string;
  reverses: string | null;
  restores: string | null;
  createdAt: Date;
}

export interface EmploymentRecord {
  id: string;
  userId: string;
  brandId: string;
  shares: number;
  title: Title;
  salary: number;
  since: Date;
  sharesReachedAt: Date;
  /** Net shares of the entries at or after `recentAsOf` minus the recent window (60 days). */
  recentShares: number;
  recentAsOf: Date;
  /** When `recentShares` took its current value: the earlier wins a tie between challengers for the seat. */
  recentReachedAt: Date;
}
