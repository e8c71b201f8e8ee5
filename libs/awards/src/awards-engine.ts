import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock, EventConsumer, EventSubscribers, type StoredEvent } from '@boardroom/core';
import type { AwardCriterion, CriterionLookups } from './award-criterion.js';
import { AwardGrants } from './award-grants.js';
import { AwardsRepository } from './awards.repository.js';
import { AWARD_CRITERIA } from './criteria.js';

/** The engine's position in the events log. */
export const AWARDS_CONSUMER = 'awards';

/**
 * Evaluates the awards from the events log, never from tables on a request: a standing consumer (it
 * runs where jobs run) hands each batch to the criteria that read its events, in the batch's
 * transaction with the stored position, so a crash re-reads the batch and nothing is granted twice
 * (progress counts distinct items; grants are unique per user, award and brand).
 */
@Injectable()
export class AwardsEngine implements OnModuleInit {
  private readonly logger = new Logger(AwardsEngine.name);

  constructor(
    private readonly subscribers: EventSubscribers,
    private readonly consumer: EventConsumer,
    private readonly awards: AwardsRepository,
    private readonly grants: AwardGrants,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.subscribers.register({
      name: AWARDS_CONSUMER,
      handle: async (events, manager) => {
        await this.evaluate(events, manager, AWARD_CRITERIA);
      },
    });
  }

  /** Runs `criteria` over `events` in order; returns how many awards it granted. */
  async evaluate(events: StoredEvent[], manager: EntityManager, criteria: readonly AwardCriterion[]): Promise<number> {
    const lookups: CriterionLookups = {
      manager,
      brandCreator: (brandId) => this.awards.brandCreator(manager, brandId),
    };
    let granted = 0;
    for (const event of events) {
      for (const criterion of criteria) {
        if (!criterion.actions.includes(event.action)) continue;
        for (const counted of await criterion.count(event, lookups)) {
          if (await this.awards.isGranted(manager, criterion.code, counted.userId, counted.brandId)) continue;
          const items = await this.awards.addItem(
            manager,
            { code: criterion.code, ...counted, at: this.clock.now() },
            (kept) => criterion.keep(kept),
          );
          if (!criterion.reached(items)) continue;
          if (await this.grants.grant(manager, criterion.code, counted, { eventId: event.id, at: this.clock.now() })) {
            granted++;
            this.logger.log(`Granted ${criterion.code} to user ${counted.userId} (event ${event.id})`);
          }
        }
      }
    }
    return granted;
  }

  /**
   * Replays the whole log through `criteria` (one newly added award, say) from the start, under a
   * consumer of its own; what is already granted or counted stays as it is, so a replay grants only
   * what is due and not yet granted. `onBatch` gets the events handled so far.
   */
  async backfill(
    criteria: readonly AwardCriterion[],
    onBatch: (handled: number) => void = () => undefined,
  ): Promise<{ events: number; granted: number }> {
    const name = `awards-backfill:${criteria.map((c) => c.code).join(',')}`;
    await this.consumer.restart(name);
    let events = 0;
    let granted = 0;
    for (;;) {
      let grantedInBatch = 0;
      // Assigned, not added to: a retried batch transaction runs its handler again.
      const handled = await this.consumer.consumeBatch(name, async (batch, manager) => {
        grantedInBatch = await this.evaluate(batch, manager, criteria);
      });
      granted += grantedInBatch;
      events += handled;
      onBatch(events);
      if (handled === 0) return { events, granted };
    }
  }

  /** Events in the log: the length of a backfill. */
  eventCount(): Promise<number> {
    return this.consumer.eventCount();
  }
}
