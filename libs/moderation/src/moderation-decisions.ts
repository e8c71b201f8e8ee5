import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Viewer } from '@boardroom/accounts';
import { ModerationRepository } from './moderation.repository.js';
import type { DecisionAction, ReportTarget } from './moderation.types.js';

/** A moderator's decision on a target: recorded (moderation_decisions), and the target's open reports closed with it. */
@Injectable()
export class ModerationDecisions {
  constructor(private readonly moderation: ModerationRepository) {}

  async record(
    manager: EntityManager,
    moderator: Viewer,
    action: DecisionAction,
    targetType: ReportTarget,
    targetId: string,
    reason: string | null,
    at: Date,
  ): Promise<{ decisionId: string; reports: number }> {
    const decision = await this.moderation.insertDecision(manager, {
      moderatorId: moderator.id,
      action,
      targetType,
      targetId,
      reason,
      createdAt: at,
    });
    const reports = await this.moderation.closeReports(manager, targetType, targetId, decision.id);
    return { decisionId: decision.id, reports };
  }
}
