import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock, JobRegistry, JobScheduler, inTransaction } from '@boardroom/core';
import { GAME_RULES, daysBefore, payrollActivityStart, payrollWeekFor } from '../rules.js';
import { WalletRepository } from '../wallet/wallet.repository.js';

declare module '@boardroom/core' {
  interface JobPayloads {
    /** `runAt`: the Monday 00:00 UTC of the run; it pays the ISO week that ended then. */
    'game.payroll': { runAt: string };
  }
}

export interface PayrollRun {
  isoWeek: string;
  employmentsPaid: number;
  amountPaid: number;
}

const BATCH = 2_000;
const nextMonday = (monday: Date): Date => daysBefore(monday, -7);

/**
 * GAME.md's payroll: every Monday 00:00 UTC, one week of salary (salary / 52, rounded down) into the
 * wallet of each employment with a positive share entry in the 30 days before the run, once per
 * employment and ISO week (`payroll:<employmentId>:<isoWeek>`). A week runs in batches, each one
 * statement in its own transaction; re-running a week, or a batch, pays nothing twice.
 */
@Injectable()
export class Payroll implements OnModuleInit {
  private readonly logger = new Logger(Payroll.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly wallets: WalletRepository,
    private readonly registry: JobRegistry,
    private readonly scheduler: JobScheduler,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.registry.register('game.payroll', async ({ runAt }) => {
      await this.runDue(new Date(runAt));
    });
    this.scheduler.schedule('game.payroll', GAME_RULES.payroll.cadence, (slot) => ({ runAt: slot.toISOString() }));
  }

  /**
   * Runs the week that ended at `runAt` and, first, every Monday since the last completed run that no
   * worker ran (the scheduler skips slots during which nothing ticked). Weeks paid late are paid at the
   * salaries of when they run.
   */
  async runDue(runAt: Date): Promise<PayrollRun[]> {
    const last = await this.wallets.lastRunAt(this.dataSource.manager);
    const runs: PayrollRun[] = [];
    for (let at = last ? nextMonday(last) : runAt; at <= runAt; at = nextMonday(at)) runs.push(await this.runWeek(at));
    return runs;
  }

  async runWeek(runAt: Date): Promise<PayrollRun> {
    const isoWeek = payrollWeekFor(runAt);
    const activityFrom = payrollActivityStart(runAt);
    let afterId: string | null = null;
    let employmentsPaid = 0;
    let amountPaid = 0;
    for (;;) {
      const batch = await inTransaction(this.dataSource, (manager) =>
        this.wallets.payBatch(manager, {
          isoWeek,
          runAt,
          activityFrom,
          weeksPerYear: GAME_RULES.payroll.weeksPerYear,
          afterId,
          limit: BATCH,
        }),
      );
      if (batch.lastId === null) break;
      afterId = batch.lastId;
      employmentsPaid += batch.paid;
      amountPaid += batch.amount;
    }
    await this.wallets.recordRun(this.dataSource.manager, {
      isoWeek,
      runAt,
      paid: employmentsPaid,
      amount: amountPaid,
      completedAt: this.clock.now(),
    });
    this.logger.log(`Payroll ${isoWeek}: paid ${employmentsPaid} employment(s) ${amountPaid} in all`);
    return { isoWeek, employmentsPaid, amountPaid };
  }
}
