import type { LedgerReason } from '../ledger/ledger.types.js';

/** HELD and APPEALED withhold new credit until a moderator decides; CONFIRMED forfeits it; CLEARED earns again. */
export type CreditHoldState = 'HELD' | 'APPEALED' | 'CLEARED' | 'CONFIRMED';
export type WithheldCreditState = 'PENDING' | 'RELEASED' | 'FORFEITED' | 'CANCELLED';

export interface CreditHoldRecord {
  userId: string;
  state: CreditHoldState;
  /** The combined suspicion of the account's flags when it was held, and the detectors that raised them. */
  score: number;
  detectors: string[];
  heldAt: Date;
  appeal: string | null;
  appealedAt: Date | null;
  decidedAt: Date | null;
}

export interface WithheldCreditRecord {
  id: string;
  userId: string;
  brandId: string;
  shares: number;
  reason: Extract<LedgerReason, 'PHOTO_PUBLISHED' | 'COMMENT_POSTED' | 'INVITE_QUALIFIED' | 'AWARD_BONUS'>;
  sourceType: 'photo' | 'comment' | 'invite' | 'award';
  sourceId: string;
  idempotencyKey: string;
  state: WithheldCreditState;
  createdAt: Date;
}

/** The hold states that keep new credit out of the ledger. */
export const WITHHOLDING_STATES: readonly CreditHoldState[] = ['HELD', 'APPEALED', 'CONFIRMED'];
