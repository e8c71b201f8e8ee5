import { Injectable, type OnModuleInit } from '@nestjs/common';
import { LedgerChecks } from '@boardroom/core';
import { ModerationRepository } from './moderation.repository.js';

/** `check-ledger` for moderation: each queue row counts exactly its target's open reports. */
@Injectable()
export class ModerationQueueCheck implements OnModuleInit {
  constructor(
    private readonly checks: LedgerChecks,
    private readonly moderation: ModerationRepository,
  ) {}

  onModuleInit(): void {
    this.checks.register({
      name: 'moderation queue',
      differences: (manager) => this.moderation.queueDifferences(manager),
    });
  }
}
