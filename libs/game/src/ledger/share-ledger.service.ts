import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { GameNotices } from '../notices/game-notices.js';
import { applyDelta, recentWindowStart, salaryFor, titleForShares } from '../rules.js';
import { CeoSeat } from '../seat/ceo-seat.js';
import type { EmploymentRecord, LedgerEntryRecord, ShareChange } from './ledger.types.js';
import { ShareLedgerRepository } from './share-ledger.repository.js';

export interface AppliedChange {
  entry: LedgerEntryRecord;
  /** False when the idempotency key had an entry already: nothing changed. */
  created: boolean;
  employment: EmploymentRecord;
}

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
  ) {}

  /** Serializes the changes of one (user, brand); callers that count caps take it before counting. */
  lock(manager: EntityManager, userId: string, brandId: string): Promise<void> {
    return this.ledger.lockEmployment(manager, userId, brandId);
  }

  async apply(manager: EntityManager, change: ShareChange): Promise<AppliedChange> {
    await this.lock(manager, change.userId, change.brandId);
    const existing = await this.ledger.findEntryByKey(manager, change.idempotencyKey);
    if (existing) {
      const employment = await this.ledger.findEmployment(manager, change.userId, change.brandId);
      return { entry: existing, created: false, employment: employment! };
    }

    let current = await this.ledger.findEmployment(manager, change.userId, change.brandId);
    const { balance, applied } = applyDelta(current?.shares ?? 0, change.shares);
    // The window is taken at the latest instant the projection has seen: a transaction that waited
    // for the lock may carry an earlier time than the one that went before it.
    const recentAsOf = current && current.recentAsOf > change.at ? current.recentAsOf : change.at;
    const windowStart = recentWindowStart(recentAsOf);
    const recentShares =
      (await this.ledger.sharesSince(manager, change.userId, change.brandId, windowStart)) +
      (change.at >= windowStart ? applied : 0);

    const swaysSeat = CeoSeat.matters(current, { shares: balance, recentShares });
    if (swaysSeat) {
      await this.seat.lock(manager, change.brandId);
      // A decision that held the lock before us may have seated or unseated this employee.
      current = await this.ledger.findEmployment(manager, change.userId, change.brandId);
    }

    const entry = await this.ledger.insertEntry(manager, change, applied);
    const formerTitle = current?.title ?? 'INTERN';
    // A seated CEO keeps the seat until the seat's decision says otherwise.
    const title = formerTitle === 'CEO' ? 'CEO' : titleForShares(balance);
    const employment = await this.ledger.saveEmployment(manager, {
      userId: change.userId,
      brandId: change.brandId,
      shares: balance,
      title,
      salary: salaryFor(title, balance),
      since: current?.since ?? change.at,
      sharesReachedAt: applied !== 0 || !current ? change.at : current.sharesReachedAt,
      recentShares,
      recentAsOf,
      recentReachedAt: !current || current.recentShares !== recentShares ? change.at : current.recentReachedAt,
    });
    if (!current) await this.notices.employmentStarted(manager, employment, entry.id);
    if (formerTitle !== title) await this.notices.titleChanged(manager, employment, formerTitle, entry.id, change.at);
    if (!swaysSeat) return { entry, created: true, employment };
    await this.seat.decide(manager, change.brandId, change.at);
    const seated = await this.ledger.findEmployment(manager, change.userId, change.brandId);
    return { entry, created: true, employment: seated! };
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
   * Takes back what the entry under `idempotencyKey` gave (`reversal:<entryId>`), once; nothing when the
   * cause earned nothing.
   */
  async reverse(manager: EntityManager, idempotencyKey: string, at: Date): Promise<void> {
    const earned = await this.ledger.findEntryByKey(manager, idempotencyKey);
    if (!earned || earned.shares === 0) return;
    await this.apply(manager, {
      userId: earned.userId,
      brandId: earned.brandId,
      shares: -earned.shares,
      reason: 'REVERSAL',
      sourceType: 'ledger',
      sourceId: earned.id,
      idempotencyKey: `reversal:${earned.id}`,
      reverses: earned.id,
      at,
    });
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
