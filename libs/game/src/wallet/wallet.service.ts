import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { serialPageStart } from '@boardroom/core';
import { WalletRepository, type WalletEntryRecord } from './wallet.repository.js';

/** Wallets: the balance, the entries (newest first), and debits for what users buy. */
@Injectable()
export class WalletService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly wallets: WalletRepository,
  ) {}

  balance(userId: string): Promise<number> {
    return this.wallets.balance(this.dataSource.manager, userId);
  }

  /** `first + 1` entries after the cursor (an entry id). */
  entries(userId: string, first: number, after: string | null | undefined): Promise<WalletEntryRecord[]> {
    return this.wallets.entries(this.dataSource.manager, userId, serialPageStart(after), first + 1);
  }

  /** `manager`: the caller's transaction, when it has one open. */
  balanceIn(manager: EntityManager, userId: string): Promise<number> {
    return this.wallets.balance(manager, userId);
  }

  /**
   * Debits a redemption's price inside the redeeming transaction (key `redemption:<redemptionId>`);
   * false when the balance does not cover it, and then nothing is written.
   */
  debitRedemption(
    manager: EntityManager,
    debit: { userId: string; redemptionId: string; amount: number; at: Date },
  ): Promise<boolean> {
    return this.wallets.debit(manager, {
      userId: debit.userId,
      amount: debit.amount,
      reason: 'REDEMPTION',
      sourceType: 'redemption',
      sourceId: debit.redemptionId,
      idempotencyKey: `redemption:${debit.redemptionId}`,
      at: debit.at,
    });
  }
}
