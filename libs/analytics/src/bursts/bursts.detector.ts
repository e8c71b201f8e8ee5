import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '@boardroom/core';
import { DETECTION_RULES, type DetectionRules } from '../detection-rules.js';
import type { Detector, DetectorContext } from '../detector.js';
import { FlagsRepository, type FlagInput } from '../flags.repository.js';
import { HOUR_MS, burstScore, hourOf, judgeHour } from './burst-rule.js';
import { BurstsRepository } from './bursts.repository.js';

export const BURSTS = 'BURSTS';

const DAY_MS = 24 * HOUR_MS;

/**
 * Bursts: hours in which a brand's earning activity (photos published, comments posted) is far above the
 * brand's own baseline, by a robust z-score over its previous 14 days of hourly counts (burst-rule.ts).
 * A bought push lands as such an hour; so does a genuine campaign, which is why a burst inside a campaign
 * the brand declared is recorded as explained, with a score too low to withhold anything. An unexplained
 * burst alone scores at most 0.6 (organic virality exists); an account active in two unexplained bursts
 * is flagged itself.
 *
 * The hourly counts live in `burst_hours`, added to from each batch, so a run never rescans the log; only
 * a burst hour's own events are read, to name its members. A declared campaign (`campaign.declared`)
 * re-judges the busy hours of its window, so a campaign declared after the fact explains them too.
 */
@Injectable()
export class BurstsDetector implements Detector {
  readonly code = BURSTS;
  readonly version = DETECTION_RULES.bursts.version;
  /** Protected: a test states a variant of the rules in a subclass. */
  protected readonly rules: DetectionRules['bursts'] = DETECTION_RULES.bursts;

  constructor(
    private readonly bursts: BurstsRepository,
    private readonly flags: FlagsRepository,
  ) {}

  async handle(events: readonly StoredEvent[], context: DetectorContext): Promise<void> {
    const { manager } = context;
    await this.bursts.ensureVersion(manager, this.version);
    const counts = new Map<string, { brandId: string; hour: Date; events: number }>();
    const campaigns: { brandId: string; from: Date; to: Date }[] = [];
    for (const event of events) {
      if (event.brandId && this.rules.earningActions.includes(event.action)) {
        const hour = hourOf(event.occurredAt);
        const key = `${event.brandId}|${hour.getTime()}`;
        const count = counts.get(key) ?? { brandId: event.brandId, hour, events: 0 };
        count.events += 1;
        counts.set(key, count);
      } else if (event.brandId && event.action === 'campaign.declared') {
        const from = new Date(String(event.meta.startsAt));
        const to = new Date(String(event.meta.endsAt));
        if (!Number.isNaN(from.getTime()) && !Number.isNaN(to.getTime())) {
          campaigns.push({ brandId: event.brandId, from: hourOf(from), to });
        }
      }
    }
    const judged = new Map<string, { brandId: string; hour: Date; events: number }>();
    for (const row of await this.bursts.addCounts(manager, [...counts.values()])) {
      if (row.events >= this.rules.minEvents) judged.set(`${row.brandId}|${row.hour.getTime()}`, row);
    }
    for (const campaign of campaigns) {
      const busy = await this.bursts.busyHours(
        manager,
        campaign.brandId,
        campaign.from,
        campaign.to,
        this.rules.minEvents,
      );
      for (const row of busy) {
        judged.set(`${campaign.brandId}|${row.hour.getTime()}`, { brandId: campaign.brandId, ...row });
      }
    }
    for (const hour of judged.values()) await this.judge(hour, context);
  }

  /** Judges one brand-hour of at least the minimum count, and records it if it is a burst. */
  private async judge(row: { brandId: string; hour: Date; events: number }, context: DetectorContext): Promise<void> {
    const { manager } = context;
    const hourStart = row.hour.getTime();
    const from = new Date(hourStart - this.rules.baselineDays * DAY_MS);
    const { firstHour, counts } = await this.bursts.baseline(manager, row.brandId, from, row.hour);
    // Too little history: no baseline to be far above.
    if (!firstHour || firstHour.getTime() > hourStart - this.rules.minHistoryDays * DAY_MS) return;
    const start = Math.max(from.getTime(), firstHour.getTime());
    const byHour = new Map(counts.map((count) => [count.hour.getTime(), count.events]));
    const baseline: number[] = [];
    for (let at = start; at < hourStart; at += HOUR_MS) baseline.push(byHour.get(at) ?? 0);
    const judgement = judgeHour(row.events, baseline, this.rules);
    if (!judgement.burst) return;

    const hourEnd = new Date(hourStart + HOUR_MS);
    const campaignId = await this.bursts.campaignDuring(manager, row.brandId, row.hour, hourEnd);
    const explained = campaignId !== null;
    const score = burstScore(judgement.z, explained, this.rules);
    const { eventIds, actorIds } = await this.bursts.hourEvents(
      manager,
      row.brandId,
      row.hour,
      hourEnd,
      this.rules.earningActions,
    );
    const evidence = {
      brandId: row.brandId,
      hour: row.hour.toISOString(),
      count: row.events,
      baselineMedian: judgement.median,
      baselineMad: judgement.mad,
      baselineHours: baseline.length,
      z: Math.round(judgement.z * 100) / 100,
      explained,
      campaignId,
    };
    const clusterId = await this.bursts.saveCluster(
      manager,
      this,
      { brandId: row.brandId, hour: row.hour },
      { members: actorIds, score, evidence },
      context.now,
    );
    const raised: FlagInput[] = eventIds.map((eventId) => ({
      subjectType: 'EVENT',
      subjectId: eventId,
      score,
      clusterId,
      evidence,
    }));
    // Accounts: only those in enough unexplained bursts; the others' account flags are taken back
    // (a campaign declared later may have explained one of their bursts).
    const burstsOf = await this.bursts.unexplainedBurstsOf(manager, this.code, actorIds);
    const cleared: string[] = [];
    for (const accountId of actorIds) {
      const clusters = burstsOf.get(accountId) ?? [];
      if (clusters.length < this.rules.minAccountBursts) {
        cleared.push(accountId);
        continue;
      }
      raised.push({
        subjectType: 'ACCOUNT',
        subjectId: accountId,
        score: this.rules.accountScore,
        clusterId: clusters[clusters.length - 1]!,
        evidence: { bursts: clusters, unexplainedBursts: clusters.length },
      });
    }
    await this.bursts.dropAccountFlags(manager, this.code, cleared);
    await this.flags.upsertFlags(manager, this, raised, context.now);
  }
}
