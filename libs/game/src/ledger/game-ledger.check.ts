import { Injectable, type OnModuleInit } from '@nestjs/common';
import { LedgerChecks } from '@boardroom/core';
import { GAME_RULES, TITLES } from '../rules.js';
import { WalletRepository } from '../wallet/wallet.repository.js';
import { ShareLedgerRepository } from './share-ledger.repository.js';

/**
 * `check-ledger` for the game: every employment's shares and recent shares equal the sums of its ledger,
 * its title and salary are what its shares (or the seat) give, no brand has two CEOs, and every wallet's
 * balance equals its ledger; nothing is negative.
 */
@Injectable()
export class GameLedgerCheck implements OnModuleInit {
  constructor(
    private readonly checks: LedgerChecks,
    private readonly ledger: ShareLedgerRepository,
    private readonly wallets: WalletRepository,
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
    this.checks.register({
      name: 'employment recent shares',
      differences: async (manager) =>
        (await this.ledger.recentDifferences(manager, GAME_RULES.ceo.recentWindowDays)).map(
          (row) =>
            `user ${row.userId} in brand ${row.brandId}: recent shares ${row.projected}, ledger sum of the window ${row.ledger}`,
        ),
    });
    this.checks.register({
      name: 'titles, salaries and CEO seats',
      differences: (manager) =>
        this.ledger.standingDifferences(
          manager,
          TITLES.filter((title) => title !== 'CEO').map((title) => ({ title, minShares: GAME_RULES.titles[title] })),
          GAME_RULES.salary,
        ),
    });
    this.checks.register({
      name: 'brand share counts (for ranks)',
      differences: async (manager) =>
        (await this.ledger.shareCountDifferences(manager)).map(
          (row) =>
            `brand ${row.brandId}, ${row.shares} shares: counted ${row.counted} employee(s), employments say ${row.actual}`,
        ),
    });
    this.checks.register({
      name: 'wallet balances',
      differences: async (manager) =>
        (await this.wallets.balanceDifferences(manager)).map(
          (row) => `user ${row.userId}: wallet ${row.projected ?? 'missing'}, ledger sum ${row.ledger}`,
        ),
    });
  }
}
