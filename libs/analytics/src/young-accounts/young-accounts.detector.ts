import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '@boardroom/core';
import { DETECTION_RULES, type DetectionRules } from '../detection-rules.js';
import type { Detector, DetectorContext } from '../detector.js';
import { FlagsRepository, type FlagInput } from '../flags.repository.js';
import { YoungAccountsRepository } from './young-accounts.repository.js';

export const YOUNG_ACCOUNTS = 'YOUNG_ACCOUNTS';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Earning engagement from throwaway-looking accounts: days old, followed by no one, active in one brand
 * only (a swarm created to pump one brand). Judged as the account was at each action, so a later
 * follower does not undo what the action looked like; a real newcomer exploring several brands, or
 * one someone follows, is left alone.
 */
@Injectable()
export class YoungAccountsDetector implements Detector {
  readonly code = YOUNG_ACCOUNTS;
  readonly version = DETECTION_RULES.youngAccounts.version;
  /** Protected: a test states a variant of the rules in a subclass. */
  protected readonly rules: DetectionRules['youngAccounts'] = DETECTION_RULES.youngAccounts;

  constructor(
    private readonly accounts: YoungAccountsRepository,
    private readonly flags: FlagsRepository,
  ) {}

  async handle(events: readonly StoredEvent[], context: DetectorContext): Promise<void> {
    const raised: FlagInput[] = [];
    for (const event of events) {
      if (!event.actorId || !event.brandId || !this.rules.earningActions.includes(event.action)) continue;
      const actor = await this.accounts.actorAt(
        context.manager,
        event.actorId,
        event.occurredAt,
        this.rules.earningActions,
      );
      if (!actor) continue;
      const ageDays = (event.occurredAt.getTime() - actor.createdAt.getTime()) / DAY_MS;
      if (ageDays >= this.rules.maxAgeDays) continue;
      if (actor.followers > this.rules.maxFollowers || actor.brands > this.rules.maxBrands) continue;
      const evidence = {
        action: event.action,
        eventId: event.id,
        brandId: event.brandId,
        accountAgeHours: Math.floor(ageDays * 24),
        followers: actor.followers,
        brands: actor.brands,
      };
      raised.push({ subjectType: 'EVENT', subjectId: event.id, score: this.rules.score, evidence });
      raised.push({ subjectType: 'ACCOUNT', subjectId: event.actorId, score: this.rules.score, evidence });
    }
    // One account may act several times in a batch: its flag carries its latest action.
    const bySubject = new Map(raised.map((flag) => [`${flag.subjectType}:${flag.subjectId}`, flag]));
    await this.flags.upsertFlags(context.manager, this, [...bySubject.values()], context.now);
  }
}
