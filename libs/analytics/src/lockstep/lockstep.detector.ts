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
 * Groups acting in lockstep (the CopyCatch / SynchroTrap idea): accounts that each acted on the same
 * targets (photos commented, brands published in, proposals voted), each time within minutes of one
 * another: 5 or more on 3 or more targets, or a crowd of 15 or more on 2 (DETECTION_RULES.lockstep.shapes).
 * Organic fans share targets too, but rarely the same several ones at the same moments. The account
 * owning most of a group's photo targets is flagged with it, as the one the engagement was for.
 *
 * For each account acting in a batch and each shape: its partners (accounts within the window of it on
 * enough shared targets) come from one indexed self-join over its own actions, O(a · k) for its a actions
 * and k co-actors per window. Their most shared targets (at most 20) are combined by the shape's number,
 * C(20, 3) = 1140 at most, and each combination's group is the partners having all of them: O(1140 · p)
 * for p partners. "Within the window" is of the acting account's action, so members are within twice the
 * window of each other.
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
        const repeated = Math.max(0, group.targets.length - this.rules.repeatFromTargets);
        const memberScore = 1 - (1 - score) * this.rules.repeatDoubt ** repeated;
        const beneficiaries = await this.beneficiariesOf(group, context);
        const evidence = {
          targets: group.targets,
          accounts: group.members.length,
          windowMinutes: this.rules.windowMinutes,
          beneficiaries,
        };
        const clusterId = await this.flags.mergeCluster(
          context.manager,
          this,
          { kind: 'LOCKSTEP', members: [...group.members, ...beneficiaries].sort(), score: memberScore, evidence },
          context.now,
        );
        await this.flags.upsertFlags(
          context.manager,
          this,
          [
            ...group.members.map((member) => ({ member, flagScore: memberScore, evidence })),
            ...beneficiaries.map((member) => ({
              member,
              flagScore: score,
              evidence: { ...evidence, beneficiary: true },
            })),
          ].map(({ member, flagScore, evidence }) => ({
            subjectType: 'ACCOUNT',
            subjectId: member,
            score: flagScore,
            clusterId,
            evidence,
          })),
          context.now,
        );
      }
    }
  }

  /** The lockstep groups `userId` belongs to, of every shape, each with the targets all its members acted on. */
  private async groupsOf(
    userId: string,
    context: DetectorContext,
  ): Promise<{ members: string[]; targets: string[] }[]> {
    // Groups by their members: a group found through several combinations gets all their targets.
    const groups = new Map<string, { members: string[]; targets: Set<string> }>();
    for (const shape of this.rules.shapes) {
      for (const found of await this.groupsOfShape(userId, shape, context)) {
        const key = found.members.join(',');
        const group = groups.get(key) ?? { members: found.members, targets: new Set<string>() };
        for (const target of found.targets) group.targets.add(target);
        groups.set(key, group);
      }
    }
    return [...groups.values()].map((group) => ({ members: group.members, targets: [...group.targets].sort() }));
  }

  private async groupsOfShape(
    userId: string,
    shape: DetectionRules['lockstep']['shapes'][number],
    context: DetectorContext,
  ): Promise<{ members: string[]; targets: string[] }[]> {
    const { windowMinutes, maxCandidateTargets } = this.rules;
    const partners = await this.actions.partners(context.manager, userId, windowMinutes, shape.targets);
    if (partners.length < shape.accounts - 1) return [];
    const partnersByTarget = new Map<string, Set<string>>();
    for (const partner of partners) {
      for (const target of partner.targets) {
        partnersByTarget.set(target, (partnersByTarget.get(target) ?? new Set()).add(partner.userId));
      }
    }
    const candidates = [...partnersByTarget.entries()]
      .filter(([, users]) => users.size >= shape.accounts - 1)
      .sort(([a, x], [b, y]) => y.size - x.size || a.localeCompare(b))
      .slice(0, maxCandidateTargets)
      .map(([target]) => target);
    const groups: { members: string[]; targets: string[] }[] = [];
    for (const combination of combinations(candidates, shape.targets)) {
      const [first, ...rest] = combination.map((target) => partnersByTarget.get(target)!);
      const shared = [...first!].filter((user) => rest.every((users) => users.has(user)));
      if (shared.length >= shape.accounts - 1)
        groups.push({ members: [userId, ...shared].sort(), targets: combination });
    }
    return groups;
  }

  /** The accounts, outside the group, owning at least the rules' share (and 2) of its photo targets. */
  private async beneficiariesOf(
    group: { members: string[]; targets: string[] },
    context: DetectorContext,
  ): Promise<string[]> {
    const photoIds = group.targets.filter((t) => t.startsWith('photo:')).map((t) => t.slice('photo:'.length));
    const needed = Math.max(2, Math.ceil(photoIds.length * this.rules.beneficiaryTargetShare));
    if (photoIds.length < needed) return [];
    const owners = await this.actions.photoOwners(context.manager, photoIds);
    const counts = new Map<string, number>();
    for (const owner of owners) counts.set(owner, (counts.get(owner) ?? 0) + 1);
    return [...counts]
      .filter(([owner, count]) => count >= needed && !group.members.includes(owner))
      .map(([owner]) => owner)
      .sort();
  }
}
