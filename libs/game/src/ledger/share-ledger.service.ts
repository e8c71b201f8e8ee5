import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CreditHoldsRepository } from '../holds/credit-holds.repository.js';
import { WITHHOLDING_STATES, type CreditHoldState } from '../holds/credit-holds.types.js';
import { GameNotices } from '../notices/game-notices.js';
import { GAME_RULES, recentWindowStart, SHARE_TITLES, TITLES } from '../rules.js';
import { CeoSeat } from '../seat/ceo-seat.js';
import type { EmploymentRecord, LedgerEntryRecord, ShareChange } from './ledger.types.js';
import { ShareLedgerRepository, type ChangeResult, type ProjectionRules } from './share-ledger.repository.js';

export interface AppliedChange {
  entry: LedgerEntryRecord;
  /** False when the idempotency key had an entry already: nothing changed. */
  created: boolean;
  employment: EmploymentRecord;
}

/** What an earning cause got: its shares, or 0 with its credit withheld from a held account. */
export interface Earning {
  shares: number;
  withheld: boolean;
}

/**
 * The numbers of rules.ts by which the database function decides a change's projection (the balance floored
 * at 0, the title, the salary, whether the seat can move). The game model of the tests decides the same by
 * the functions of rules.ts, and the model-based tests hold the database to it after every step.
 */
const PROJECTION_RULES: ProjectionRules = {
  shareTitles: SHARE_TITLES,
  titleFloors: SHARE_TITLES.map((title) => GAME_RULES.titles[title]),
  titles: TITLES,
  salaryBases: TITLES.map((title) => GAME_RULES.salary.base[title]),
  salaryPerShare: GAME_RULES.salary.perShare,
  ceoMinShares: GAME_RULES.ceo.minShares,
  ceoMinRecentShares: GAME_RULES.ceo.minRecentShares,
};

/**
 * The one way shares change: an append-only ledger entry and the employment projection, in the caller's
 * transaction, under the (user, brand) lock. Each idempotency key has one entry ever; a negative change
 * never takes the balance below 0 (the entry records what it asked for and what it took). The entry
 * also moves the recent shares, the title (with its event and notification) and, when it can sway it,
 * the brand's CEO seat, all in that transaction.
 */
@Injectable()
export class ShareLedger {
  constructor(
    private readonly ledger: ShareLedgerRepository,
    private readonly seat: CeoSeat,
    private readonly notices: GameNotices,
    private readonly holds: CreditHoldsRepository,
  ) {}

  /** Serializes the changes of one (user, brand); callers that count caps take it before counting. */
  lock(manager: EntityManager, userId: string, brandId: string): Promise<void> {
    return this.ledger.lockEmployment(manager, userId, brandId);
  }

  /**
   * What a cause earned when it was handled before (a redelivery): its entry's shares, or 0 when its
   * credit was withheld. Null: not handled yet.
   */
  async priorEarning(manager: EntityManager, idempotencyKey: string): Promise<Earning | null> {
    const entry = await this.ledger.findEntryByKey(manager, idempotencyKey);
    if (entry) return { shares: entry.shares, withheld: false };
    return (await this.holds.findWithheld(manager, idempotencyKey)) ? { shares: 0, withheld: true } : null;
  }

  /**
   * An earning (a photo, a comment, an invite's or an award's bonus), once per key: into the ledger, or,
   * while the account's credit is held, withheld for the moderator's decision (forfeited at once when the
   * hold was confirmed). The action itself stands either way.
   */
  async earn(manager: EntityManager, change: ShareChange): Promise<Earning> {
    const result = await this.change(manager, change, WITHHOLDING_STATES);
    if (result.outcome !== 'WITHHELD') return { shares: result.entry.shares, withheld: false };
    if (!result.withheld) {
      await this.holds.insertWithheld(manager, change, result.holdState === 'CONFIRMED' ? 'FORFEITED' : 'PENDING');
    }
    return { shares: 0, withheld: true };
  }

  async apply(manager: EntityManager, change: ShareChange): Promise<AppliedChange> {
    const result = await this.change(manager, change, null);
    // Unreachable: without withholding states the function withholds nothing.
    if (result.outcome === 'WITHHELD') throw new Error(`Change ${change.idempotencyKey} was withheld`);
    return { entry: result.entry, created: result.outcome === 'APPLIED', employment: result.employment };
  }

  /**
   * The change in the database (lock, entry, projection, a first entry's event: one round trip), then what
   * the database leaves to us: the title change's event and notification, and the seat's decision.
   */
  private async change(
    manager: EntityManager,
    change: ShareChange,
    withholdingStates: readonly CreditHoldState[] | null,
  ): Promise<ChangeResult> {
    // The window is taken at the latest instant the projection has seen; its length is the rules'.
    const windowMs = change.at.getTime() - recentWindowStart(change.at).getTime();
    const result = await this.ledger.applyChange(manager, change, {
      windowMs,
      withholdingStates,
      rules: PROJECTION_RULES,
    });
    if (result.outcome !== 'APPLIED') return result;
    const { entry, employment, formerTitle } = result;
    if (formerTitle !== employment.title) {
      await this.notices.titleChanged(manager, employment, formerTitle, entry.id, change.at);
    }
    if (!result.swaysSeat) return result;
    await this.seat.decide(manager, change.brandId, change.at);
    const seated = await this.ledger.findEmployment(manager, change.userId, change.brandId);
    return { ...result, employment: seated! };
  }

  /**
   * Takes the recent window of (user, brand) again at `now`, under its lock: what the daily seat job does
   * for employments whose window lost entries with time. The caller re-decides the brand's seat.
   */
  async retakeRecent(manager: EntityManager, userId: string, brandId: string, now: Date): Promise<void> {
    await this.lock(manager, userId, brandId);
    await this.ledger.retakeRecent(manager, userId, brandId, now, recentWindowStart(now));
  }

  lockCommentCredit(manager: EntityManager, userId: string): Promise<void> {
    return this.ledger.lockCommentCredit(manager, userId);
  }

  findEntryByKey(manager: EntityManager, idempotencyKey: string): Promise<LedgerEntryRecord | null> {
    return this.ledger.findEntryByKey(manager, idempotencyKey);
  }

  /**
   * Takes back what the cause under `causeKey` (`photo:<id>`, `comment:<id>`, …) gives now, once: its
   * entry, or after a restoration the restoration entry (`reversal:<entryId>`). Nothing when the cause
   * earned nothing or stands reversed already. Returns the reversal entry, if one was made now or before.
   * Credit of the cause still withheld from a held account is cancelled: it will never be released.
   */
  async reverse(manager: EntityManager, causeKey: string, at: Date): Promise<LedgerEntryRecord | null> {
    await this.holds.settle(manager, { idempotencyKey: causeKey }, 'CANCELLED', at);
    const live = await this.currentOfCause(manager, causeKey);
    if (!live) return null;
    if (live.reason === 'REVERSAL') return live;
    if (live.shares === 0) return null;
    const { entry } = await this.apply(manager, {
      userId: live.userId,
      brandId: live.brandId,
      shares: -live.shares,
      reason: 'REVERSAL',
      sourceType: 'ledger',
      sourceId: live.id,
      idempotencyKey: `reversal:${live.id}`,
      reverses: live.id,
      at,
    });
    return entry;
  }

  /**
   * Gives back what the reversal of the cause under `causeKey` took (its applied shares, which the
   * balance may have cut short), once: `restore:<reversalEntryId>`, reason RESTORED. Nothing when the
   * cause was never reversed or its reversal took nothing. Returns the restoration entry, if one was
   * made now or before.
   */
  async restore(manager: EntityManager, causeKey: string, at: Date): Promise<LedgerEntryRecord | null> {
    const reversal = await this.currentOfCause(manager, causeKey);
    if (reversal?.reason === 'RESTORED') return reversal;
    if (!reversal || reversal.reason !== 'REVERSAL' || reversal.shares === 0) return null;
    const { entry } = await this.apply(manager, {
      userId: reversal.userId,
      brandId: reversal.brandId,
      shares: -reversal.shares,
      reason: 'RESTORED',
      sourceType: 'ledger',
      sourceId: reversal.id,
      idempotencyKey: `restore:${reversal.id}`,
      restores: reversal.id,
      at,
    });
    return entry;
  }

  /**
   * The last entry of a cause's chain, under its (user, brand) lock: the earning entry, its reversal,
   * the restoration of that reversal, the reversal of the restoration, … (null: the cause earned nothing).
   */
  private async currentOfCause(manager: EntityManager, causeKey: string): Promise<LedgerEntryRecord | null> {
    let entry = await this.ledger.findEntryByKey(manager, causeKey);
    if (!entry) return null;
    await this.lock(manager, entry.userId, entry.brandId);
    for (;;) {
      const next = await this.ledger.findEntryByKey(
        manager,
        entry.reason === 'REVERSAL' ? `restore:${entry.id}` : `reversal:${entry.id}`,
      );
      if (!next) return entry;
      entry = next;
    }
  }

  /** Earning entries of `reason` for the user in the day, in one brand or (null) all of them. */
  countEarning(
    manager: EntityManager,
    userId: string,
    brandId: string | null,
    reason: ShareChange['reason'],
    day: { from: Date; to: Date },
  ): Promise<number> {
    return this.ledger.countEarning(manager, userId, brandId, reason, day.from, day.to);
  }
}
