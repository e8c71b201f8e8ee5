import type { MigrationInterface, QueryRunner } from 'typeorm';
import { replaceCheckConstraint } from './replace-check-constraint.js';

const AUDITED_BEFORE = `'account.role_granted', 'brand.claim_approved', 'brand.claim_rejected', 'photo.removed',
  'photo.restored', 'comment.removed', 'reports.dismissed', 'user.banned'`;
const NOTIFICATION_KINDS_BEFORE = `'AWARD_GRANTED', 'TITLE_CHANGED', 'CEO_WON', 'CEO_LOST', 'COMMENT_RECEIVED',
  'OFFER_UNLOCKED', 'INVITE_QUALIFIED', 'PROPOSAL_ANSWERED', 'CREDIT_WITHHELD'`;
const AUDITED_NOW = `${AUDITED_BEFORE}, 'credit_hold.cleared', 'credit_hold.confirmed', 'research.export_requested'`;

/**
 * Consequences of the detectors: an account whose flags reach the withholding confidence is held (its new
 * earnings are withheld instead of entering the share ledger) until a moderator clears the hold (what was
 * withheld is released through restoration entries) or confirms it (withheld credit is forfeited and what
 * the account earned is reversed). Moderators' decisions on holds join the decisions and the audit log, as do
 * research exports (requested in the next migration).
 */
export class CreditHolds1764080000000 implements MigrationInterface {
  name = 'CreditHolds1764080000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE credit_holds (
        user_id uuid PRIMARY KEY REFERENCES users (id),
        -- HELD and APPEALED withhold new credit; CLEARED does not; CONFIRMED forfeits it.
        state text NOT NULL CHECK (state IN ('HELD', 'APPEALED', 'CLEARED', 'CONFIRMED')),
        -- The combined suspicion and the detectors behind it when the account was (last) held.
        score double precision NOT NULL CHECK (score BETWEEN 0 AND 1),
        detectors text[] NOT NULL,
        held_at timestamptz NOT NULL,
        appeal text CHECK (char_length(appeal) <= 2000),
        appealed_at timestamptz,
        decided_at timestamptz,
        decided_by uuid REFERENCES users (id),
        CHECK ((appeal IS NULL) = (appealed_at IS NULL)),
        CHECK ((state IN ('CLEARED', 'CONFIRMED')) = (decided_at IS NOT NULL))
      )`);

    await db.query(`
      CREATE TABLE withheld_credits (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id),
        brand_id uuid NOT NULL REFERENCES brands (id),
        shares integer NOT NULL CHECK (shares > 0),
        reason text NOT NULL CHECK (reason IN ('PHOTO_PUBLISHED', 'COMMENT_POSTED', 'INVITE_QUALIFIED', 'AWARD_BONUS')),
        source_type text NOT NULL CHECK (source_type IN ('photo', 'comment', 'invite', 'award')),
        source_id text NOT NULL,
        -- The cause's key (photo:<id>, …): a cause is withheld once, and released under the same key.
        idempotency_key text NOT NULL UNIQUE,
        -- PENDING until the hold is decided: RELEASED into the ledger, FORFEITED, or CANCELLED (the cause was
        -- deleted or removed before).
        state text NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'RELEASED', 'FORFEITED', 'CANCELLED')),
        created_at timestamptz NOT NULL,
        settled_at timestamptz,
        CHECK ((state = 'PENDING') = (settled_at IS NULL))
      )`);
    await db.query(`CREATE INDEX withheld_credits_pending ON withheld_credits (user_id) WHERE state = 'PENDING'`);
    // The daily caps count withheld earnings too, so a release never exceeds a cap.
    await db.query(`CREATE INDEX withheld_credits_day ON withheld_credits (user_id, reason, created_at)`);

    // A release is a restoration entry of a withheld credit: reason RESTORED, source withheld, no reversal restored.
    await replaceCheckConstraint(
      db,
      'share_ledger',
      '%restores IS NOT NULL%',
      `share_ledger_restored_has_origin
      CHECK ((reason = 'RESTORED') = (restores IS NOT NULL OR source_type = 'withheld'))`,
    );
    await replaceCheckConstraint(
      db,
      'share_ledger',
      '%source_type%ledger%',
      `share_ledger_source_type
      CHECK (source_type IN ('photo', 'comment', 'invite', 'award', 'ledger', 'withheld'))`,
    );

    await replaceCheckConstraint(
      db,
      'moderation_decisions',
      '%DISMISS_REPORTS%',
      `moderation_decisions_action CHECK (action IN ('REMOVE_PHOTO', 'RESTORE_PHOTO', 'REMOVE_COMMENT', 'BAN_USER',
        'DISMISS_REPORTS', 'CLEAR_CREDIT_HOLD', 'CONFIRM_CREDIT_HOLD'))`,
    );

    await replaceCheckConstraint(
      db,
      'notifications',
      '%CREDIT_WITHHELD%',
      `notifications_kind CHECK (kind IN (${NOTIFICATION_KINDS_BEFORE}, 'CREDIT_RELEASED'))`,
    );

    await db.query(`DROP INDEX events_audit`);
    await db.query(`CREATE INDEX events_audit ON events (id DESC) WHERE action IN (${AUDITED_NOW})`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX events_audit`);
    await db.query(`CREATE INDEX events_audit ON events (id DESC) WHERE action IN (${AUDITED_BEFORE})`);
    await db.query(`DELETE FROM notifications WHERE kind = 'CREDIT_RELEASED'`);
    await replaceCheckConstraint(
      db,
      'notifications',
      '%CREDIT_WITHHELD%',
      `notifications_kind CHECK (kind IN (${NOTIFICATION_KINDS_BEFORE}))`,
    );
    await replaceCheckConstraint(
      db,
      'moderation_decisions',
      '%DISMISS_REPORTS%',
      `moderation_decisions_action CHECK (action IN ('REMOVE_PHOTO', 'RESTORE_PHOTO', 'REMOVE_COMMENT', 'BAN_USER',
        'DISMISS_REPORTS'))`,
    );
    await replaceCheckConstraint(
      db,
      'share_ledger',
      '%source_type%ledger%',
      `share_ledger_source_type
      CHECK (source_type IN ('photo', 'comment', 'invite', 'award', 'ledger'))`,
    );
    await replaceCheckConstraint(
      db,
      'share_ledger',
      '%restores IS NOT NULL%',
      `share_ledger_restored_has_origin
      CHECK ((reason = 'RESTORED') = (restores IS NOT NULL))`,
    );
    await db.query(`DROP TABLE withheld_credits`);
    await db.query(`DROP TABLE credit_holds`);
  }
}
