import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { serialPageStart } from '@boardroom/core';
import { WalletRepository, type WalletEntryRecord } from './wallet.repository.js';

/** Reading wallets: the balance and the entries, newest first. */
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
}
