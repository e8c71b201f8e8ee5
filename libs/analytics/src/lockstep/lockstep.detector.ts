import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '@boardroom/core';
import { DETECTION_RULES, type DetectionRules } from '../detection-rules.js';
import type { Detector, DetectorContext } from '../detector.js';
import { FlagsRepository } from '../flags.repository.js';
import { LockstepRepository, type LockstepAction } from './lockstep.repository.js';

export const LOCKSTEP_GROUPS = 'LOCKSTEP_GROUPS';

/** What an action was done to, as one key across kinds; null for actions that have no such target. */
export function lockstepTarget(event: StoredEvent): string | null {
  switch (event.action) {
    case 'comment.posted':
      return typeof event.meta.photoId === 'string' ? `photo:${event.meta.photoId}` : null;
    case 'photo.published':
      return event.brandId ? `brand:${event.brandId}` : null;
    case 'proposal.voted':
      return event.targetId ? `proposal:${event.targetId}` : null;
    default:
      return null;
  }
}

/** Every `size`-subset of `items`, in order. */
function* combinations<T>(items: readonly T[], size: number, start = 0): Generator<T[]> {
  if (size === 0) {
    yield [];
    return;
  }
  for (let i = start; i <= items.length - size; i++) {
    for (const rest of combinations(items, size - 1, i + 1)) yield [items[i]!, ...rest];
  }
}

/**
 * Groups acting in lockstep (the CopyCatch / SynchroTrap idea): at least 5 accounts that each acted on
 * the same 3 or more targets (photos commented, brands published in, proposals voted), each time
 * within minutes of one another. Organic fans share targets too, but rarely the same several ones at
 * the same moments.
 *
 * For each account acting in a batch: its partners (accounts within the window of it on ≥ 3 shared
 * targets) come from one indexed self-join over its own actions, O(a · k) for its a actions and k
 * co-actors per window. Their most shared targets (at most 20) are combined in triples, C(20, 3) = 1140
 * at most, and each triple's group is the partners having all three: O(1140 · p) for p partners.
 * "Within the window" is of the acting account's action, so members are within twice the window of
 * each other.
 */
@Injectable()
export class LockstepDetector implements Detector {
  readonly code = LOCKSTEP_GROUPS;
  readonly version = DETECTION_RULES.lockstep.version;
  /** Protected: a test states a variant of the rules in a subclass. */
  protected readonly rules: DetectionRules['lockstep'] = DETECTION_RULES.lockstep;

  constructor(
    private readonly actions: LockstepRepository,
    private readonly flags: FlagsRepository,
  ) {}

  async handle(events: readonly StoredEvent[], context: DetectorContext): Promise<void> {
    const recorded: LockstepAction[] = [];
    for (const event of events) {
      const target = lockstepTarget(event);
      if (target && event.actorId) {
        recorded.push({ target, userId: event.actorId, at: event.occurredAt, eventId: event.id });
      }
    }
    await this.actions.record(context.manager, recorded);
    for (const userId of new Set(recorded.map((action) => action.userId))) {
      for (const group of await this.groupsOf(userId, context)) {
        const score = Math.min(1, group.members.length / this.rules.fullScoreAccounts);
        const evidence = {
          targets: group.targets,
          accounts: group.members.length,
          windowMinutes: this.rules.windowMinutes,
        };
        const clusterId = await this.flags.mergeCluster(
          context.manager,
          this,
          { kind: 'LOCKSTEP', members: group.members, score, evidence },
          context.now,
        );
        await this.flags.upsertFlags(
          context.manager,
          this,
          group.members.map((member) => ({ subjectType: 'ACCOUNT', subjectId: member, score, clusterId, evidence })),
          context.now,
        );
      }
    }
  }

  /** The lockstep groups `userId` belongs to, each with the targets all its members acted on. */
  private async groupsOf(
    userId: string,
    context: DetectorContext,
  ): Promise<{ members: string[]; targets: string[] }[]> {
    const { minAccounts, minTargets, windowMinutes, maxCandidateTargets } = this.rules;
    const partners = await this.actions.partners(context.manager, userId, windowMinutes, minTargets);
    if (partners.length < minAccounts - 1) return [];
    const partnersByTarget = new Map<string, Set<string>>();
    for (const partner of partners) {
      for (const target of partner.targets) {
        partnersByTarget.set(target, (partnersByTarget.get(target) ?? new Set()).add(partner.userId));
      }
    }
    const candidates = [...partnersByTarget.entries()]
      .filter(([, users]) => users.size >= minAccounts - 1)
      .sort(([a, x], [b, y]) => y.size - x.size || a.localeCompare(b))
      .slice(0, maxCandidateTargets)
      .map(([target]) => target);
    // Groups by their members: a group found through several triples gets all their targets.
    const groups = new Map<string, { members: string[]; targets: Set<string> }>();
    for (const triple of combinations(candidates, minTargets)) {
      const [first, ...rest] = triple.map((target) => partnersByTarget.get(target)!);
      const shared = [...first!].filter((user) => rest.every((users) => users.has(user)));
      if (shared.length < minAccounts - 1) continue;
      const members = [userId, ...shared].sort();
      const key = members.join(',');
      const group = groups.get(key) ?? { members, targets: new Set<string>() };
      for (const target of triple) group.targets.add(target);
      groups.set(key, group);
    }
    return [...groups.values()].map((group) => ({ members: group.members, targets: [...group.targets].sort() }));
  }
}
