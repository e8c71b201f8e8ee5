import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig, Clock, DomainError, EventLog, JobRegistry, JobScheduler, inTransaction } from '@boardroom/core';
import { UsersService, type Viewer } from '@boardroom/accounts';
import { SuspiciousAccountsRepository } from '@boardroom/analytics';
import { CreditHolds, type CreditHoldRecord } from '@boardroom/game';
import { NotificationsService } from '@boardroom/notifications';
import { ModerationDecisions } from '../moderation-decisions.js';
import { requiredText } from '../moderation-text.js';
import { ModerationRepository } from '../moderation.repository.js';

declare module '@boardroom/core' {
  interface JobPayloads {
    'moderation.credit_holds': { slot: string };
  }
}

export type CreditHoldDecision = 'CLEAR' | 'CONFIRM';

/**
 * The consequences of the detectors, fairly: an account whose open flags combine to the configured
 * confidence (AUTHENTICITY_WITHHOLD_SCORE) is held — its new credit withheld, the user told in general terms,
 * the account put in the moderation queue by a system report. The user may appeal; a moderator clears the
 * hold (withheld credit released) or confirms it (forfeited, and what the account earned reversed).
 */
@Injectable()
export class CreditReviews implements OnModuleInit {
  private readonly logger = new Logger(CreditReviews.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly suspicious: SuspiciousAccountsRepository,
    private readonly holds: CreditHolds,
    private readonly moderation: ModerationRepository,
    private readonly decisions: ModerationDecisions,
    private readonly users: UsersService,
    private readonly notifications: NotificationsService,
    private readonly events: EventLog,
    private readonly registry: JobRegistry,
    private readonly scheduler: JobScheduler,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.registry.register('moderation.credit_holds', async () => {
      await this.holdSuspicious();
    });
    // Hourly, as the detectors run: an account flagged in one hour is held in the next at the latest.
    this.scheduler.schedule('moderation.credit_holds', 'hourly', (slot) => ({ slot: slot.toISOString() }));
  }

  /** Holds every account the open flags make suspicious enough that is not held yet; returns the newly held. */
  async holdSuspicious(): Promise<CreditHoldRecord[]> {
    const threshold = this.config.withholdScore;
    const held: CreditHoldRecord[] = [];
    for (const account of await this.suspicious.atLeast(this.dataSource.manager, threshold)) {
      const hold = await inTransaction(this.dataSource, async (manager) => {
        const at = this.clock.now();
        const placed = await this.holds.hold(manager, account.userId, account, at);
        if (!placed) return null;
        await this.moderation.insertReport(manager, {
          reporterId: null,
          targetType: 'USER',
          targetId: account.userId,
          reason: 'FAKE_ENGAGEMENT',
          details: `Credit withheld automatically: suspicion ${account.score.toFixed(2)} (threshold ${threshold}) from ${account.detectors.join(', ')}.`,
          at,
        });
        await this.events.record(manager, {
          action: 'credit_hold.placed',
          targetType: 'user',
          targetId: account.userId,
          meta: { score: account.score, detectors: account.detectors },
        });
        return placed;
      });
      if (hold) held.push(hold);
    }
    if (held.length > 0) this.logger.log(`Held the credit of ${held.length} account(s) at suspicion ≥ ${threshold}`);
    return held;
  }

  /** The user's hold, for themself and staff. */
  holdOf(userId: string): Promise<CreditHoldRecord | null> {
    return this.holds.find(this.dataSource.manager, userId);
  }

  /** The held user asks a moderator to review; the account comes back to the top of the queue with the appeal. */
  async appeal(viewer: Viewer, reason: string): Promise<boolean> {
    const text = requiredText(reason, 'reason');
    return inTransaction(this.dataSource, async (manager) => {
      const at = this.clock.now();
      const appealed = await this.holds.appeal(manager, viewer.id, text, at);
      if (!appealed) {
        const hold = await this.holds.find(manager, viewer.id);
        if (hold?.state === 'APPEALED') {
          throw DomainError.conflict('ALREADY_APPEALED', 'You appealed already; a moderator will review your account.');
        }
        if (hold?.state === 'CONFIRMED') {
          throw DomainError.conflict('ALREADY_DECIDED', 'A moderator has already reviewed this hold and confirmed it.');
        }
        throw DomainError.notFound('Withheld credit on your account');
      }
      await this.moderation.insertReport(manager, {
        reporterId: null,
        targetType: 'USER',
        targetId: viewer.id,
        reason: 'FAKE_ENGAGEMENT',
        details: `Appeal of the credit hold: ${text}`.slice(0, 2000),
        at,
      });
      await this.events.record(manager, {
        action: 'credit_hold.appealed',
        actorId: viewer.id,
        targetType: 'user',
        targetId: viewer.id,
        meta: {},
      });
      return true;
    });
  }

  /** A moderator's decision on a held account (NOT_FOUND when @handle has no hold awaiting one). */
  async decide(moderator: Viewer, handle: string, decision: CreditHoldDecision, reason: string): Promise<boolean> {
    const why = requiredText(reason, 'reason');
    const user = await this.users.findByHandle(handle);
    const notHeld = () => DomainError.notFound(`A credit hold awaiting a decision for @${handle}`);
    if (!user) throw notHeld();
    return inTransaction(this.dataSource, async (manager) => {
      const at = this.clock.now();
      if (!(await this.holds.lockForDecision(manager, user.id))) throw notHeld();
      const cleared = decision === 'CLEAR';
      const settled = cleared
        ? await this.holds.clear(manager, user.id, moderator.id, at)
        : await this.holds.confirm(manager, user.id, moderator.id, at);
      await this.suspicious.decide(manager, user.id, cleared ? 'CLEARED' : 'CONFIRMED', at);
      const action = cleared ? 'CLEAR_CREDIT_HOLD' : 'CONFIRM_CREDIT_HOLD';
      const { decisionId } = await this.decisions.record(manager, moderator, action, 'USER', user.id, why, at);
      await this.events.record(manager, {
        action: cleared ? 'credit_hold.cleared' : 'credit_hold.confirmed',
        actorId: moderator.id,
        targetType: 'user',
        targetId: user.id,
        meta: { reason: why, decisionId, credits: settled.credits, shares: settled.shares },
      });
      await this.notifications.notify(manager, {
        userId: user.id,
        kind: cleared ? 'CREDIT_RELEASED' : 'CREDIT_WITHHELD',
        message: cleared
          ? `A moderator reviewed your account and found nothing wrong: your credit is no longer on hold` +
            (settled.shares > 0 ? `, and the ${settled.shares} shares withheld are yours.` : '.')
          : `A moderator reviewed your account and confirmed that its engagement was not genuine: the shares it ` +
            `earned are taken back and it earns no more.`,
        brandId: null,
        meta: { decisionId },
        at,
      });
      return true;
    });
  }
}
