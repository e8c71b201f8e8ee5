export type ReportTarget = 'PHOTO' | 'COMMENT' | 'USER' | 'BRAND';
export type ReportReason = 'SPAM' | 'FAKE_ENGAGEMENT' | 'OFFENSIVE' | 'COPYRIGHT' | 'NOT_THIS_BRAND' | 'OTHER';
export type DecisionAction =
  | 'REMOVE_PHOTO'
  | 'RESTORE_PHOTO'
  | 'REMOVE_COMMENT'
  | 'BAN_USER'
  | 'DISMISS_REPORTS'
  | 'CLEAR_CREDIT_HOLD'
  | 'CONFIRM_CREDIT_HOLD';

/** The GraphQL type of each report target: its ids are global ids of that type. */
export const TARGET_TYPE_NAMES = {
  PHOTO: 'Photo',
  COMMENT: 'Comment',
  USER: 'User',
  BRAND: 'Brand',
} as const satisfies Record<ReportTarget, string>;

/** The longest report details and decision reason, in characters. */
export const MODERATION_TEXT_MAX_LENGTH = 2000;

/**
 * The privileged actions of the audit log: role grants, brand claim decisions, moderators' decisions and
 * bans. The partial index events_audit (last replaced by migration 1764080000000) names the same list; an action added
 * here needs a migration that replaces that index.
 */
export const AUDITED_ACTIONS = [
  'account.role_granted',
  'brand.claim_approved',
  'brand.claim_rejected',
  'photo.removed',
  'photo.restored',
  'comment.removed',
  'reports.dismissed',
  'user.banned',
  'credit_hold.cleared',
  'credit_hold.confirmed',
  'research.export_requested',
] as const;

/** A target with open reports: a row of the moderation queue. */
export interface ReportedItemRecord {
  targetType: ReportTarget;
  targetId: string;
  reportCount: number;
  reasons: ReportReason[];
  firstReportedAt: Date;
  lastReportedAt: Date;
  /** `last_reported_at` as PostgreSQL's exact text, for the cursor. */
  lastReportedKey: string;
}

export interface DecisionRecord {
  id: string;
  moderatorId: string;
  action: DecisionAction;
  targetType: ReportTarget;
  targetId: string;
  reason: string | null;
  createdAt: Date;
}

/** A privileged action from the events log. */
export interface AuditRecord {
  id: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  reason: string | null;
  createdAt: Date;
}
