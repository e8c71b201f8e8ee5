export const NOTIFICATION_KINDS = [
  'AWARD_GRANTED',
  'TITLE_CHANGED',
  'CEO_WON',
  'CEO_LOST',
  'COMMENT_RECEIVED',
  'OFFER_UNLOCKED',
  'INVITE_QUALIFIED',
  'PROPOSAL_ANSWERED',
  'CREDIT_WITHHELD',
  'CREDIT_RELEASED',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  /** What the user reads, complete: notifications are not re-rendered later. */
  message: string;
  brandId: string | null;
  /** Machine-readable details (the title reached, the entry that caused it, …). */
  meta?: Record<string, unknown>;
  at: Date;
}

export interface NotificationRecord {
  id: string;
  userId: string;
  kind: NotificationKind;
  message: string;
  brandId: string | null;
  meta: Record<string, unknown>;
  readAt: Date | null;
  createdAt: Date;
  /** The exact created_at text, for cursors. */
  sortKey: string;
}
