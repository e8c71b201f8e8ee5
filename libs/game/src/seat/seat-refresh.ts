import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock, JobRegistry, JobScheduler, inTransaction } from '@boardroom/core';
import { ShareLedgerRepository } from '../ledger/share-ledger.repository.js';
import { ShareLedger } from '../ledger/share-ledger.service.js';
import { GAME_RULES, recentWindowStart } from '../rules.js';
import { CeoSeat } from './ceo-seat.js';

declare module '@boardroom/core' {
  interface JobPayloads {
    'game.seats.refresh': { slot: string };
  }
}

const BATCH = 500;

/**
 * The daily job of GAME.md: recent shares fall as entries grow older than the window, which no ledger
 * entry tells. Every employment whose window lost an entry is taken again under its lock, then the seat
 * of each of their brands is decided again (a CEO with no recent shares loses it). Idempotent: a second
 * run the same day finds nothing stale.
 */
@Injectable()
export class SeatRefresh implements OnModuleInit {
  private readonly logger = new Logger(SeatRefresh.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly employments: ShareLedgerRepository,
    private readonly ledger: ShareLedger,
    private readonly seat: CeoSeat,
    private readonly registry: JobRegistry,
    private readonly scheduler: JobScheduler,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.registry.register('game.seats.refresh', async () => {
      await this.refresh();
    });
    this.scheduler.schedule('game.seats.refresh', 'daily', (slot) => ({ slot: slot.toISOString() }));
  }

  async refresh(now: Date = this.clock.now()): Promise<{ employments: number; brands: number }> {
    const windowStart = recentWindowStart(now);
    const brands = new Set<string>();
    let after: [string, string] | null = null;
    let employments = 0;
    for (;;) {
      const stale = await this.employments.staleRecent(
        this.dataSource.manager,
        windowStart,
        GAME_RULES.ceo.recentWindowDays,
        after,
        BATCH,
      );
      if (stale.length === 0) break;
      // One transaction per employment: each holds only its own lock, as every ledger entry does.
      for (const { userId, brandId } of stale) {
        await inTransaction(this.dataSource, (manager) => this.ledger.retakeRecent(manager, userId, brandId, now));
        brands.add(brandId);
      }
      employments += stale.length;
      const last = stale[stale.length - 1]!;
      after = [last.userId, last.brandId];
    }
    for (const brandId of brands) {
      await inTransaction(this.dataSource, async (manager) => {
        await this.seat.lock(manager, brandId);
        await this.seat.decide(manager, brandId, now);
      });
    }
    this.logger.log(`Recent shares retaken for ${employments} employment(s); seats of ${brands.size} brand(s) decided`);
    return { employments, brands: brands.size };
  }
}
