import { Injectable, type OnModuleInit } from '@nestjs/common';
import { LedgerChecks } from '@boardroom/core';
import { ShareLedgerRepository } from './share-ledger.repository.js';

/** `check-ledger`: every employment's shares equal the sum of its ledger, and no balance is negative. */
@Injectable()
export class ShareLedgerCheck implements OnModuleInit {
  constructor(
    private readonly checks: LedgerChecks,
    private readonly ledger: ShareLedgerRepository,
  ) {}

  onModuleInit(): void {
    this.checks.register({
      name: 'employment shares',
      differences: async (manager) =>
        (await this.ledger.shareDifferences(manager)).map(
          (row) =>
            `user ${row.userId} in brand ${row.brandId}: employment ${row.projected ?? 'missing'}, ledger sum ${row.ledger}`,
        ),
    });
  }
}
