import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventLog } from '@boardroom/core';
import { applyDelta, salaryFor, titleForShares } from '../rules.js';
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
 * never takes the balance below 0 (the entry records what it asked for and what it took).
 */
@Injectable()
export class ShareLedger {
  constructor(
    private readonly ledger: ShareLedgerRepository,
    private readonly events: EventLog,
  ) {}

  /** Serializes the changes of one (user, brand); callers that count caps take it before counting. */
  lock(manager: EntityManager, userId: string, brandId: string): Promise<void> {
    return this.ledger.lockEmployment(manager, userId, brandId);
  }

  async apply(manager: EntityManager, change: ShareChange): Promise<AppliedChange> {
    await this.lock(manager, change.userId, change.brandId);
    const current = await this.ledger.findEmployment(manager, change.userId, change.brandId);
    const existing = await this.ledger.findEntryByKey(manager, change.idempotencyKey);
    if (existing) return { entry: existing, created: false, employment: current! };

    const { balance, applied } = applyDelta(current?.shares ?? 0, change.shares);
    const entry = await this.ledger.insertEntry(manager, change, applied);
    const title = titleForShares(balance);
    const employment = await this.ledger.saveEmployment(manager, {
      userId: change.userId,
      brandId: change.brandId,
      shares: balance,
      title,
      salary: salaryFor(title, balance),
      since: current?.since ?? change.at,
      sharesReachedAt: applied !== 0 || !current ? change.at : current.sharesReachedAt,
    });
    if ((current?.title ?? 'INTERN') !== title) {
      await this.events.record(manager, {
        action: 'employment.title_changed',
        actorId: change.userId,
        brandId: change.brandId,
        targetType: 'employment',
        targetId: employment.id,
        meta: { from: current?.title ?? 'INTERN', to: title, shares: balance, entryId: entry.id },
      });
    }
    return { entry, created: true, employment };
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
