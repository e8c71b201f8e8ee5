import type { Command } from 'commander';
import { DataSource } from 'typeorm';
import { LedgerChecks } from '@boardroom/core';
import { withContext, withDatabase } from '../cli-database.js';
import { CliModule } from '../cli.module.js';

export function registerCheckLedgerCommand(program: Command): void {
  program
    .command('check-ledger')
    .description(
      'Prove that every projection equals what it is derived from (employment shares, recent shares, titles, salaries and CEO seats; wallet balances; brand photo counts); print each difference and exit 1 if any. Run it after a restore.',
    )
    .action(() =>
      withDatabase((database, config) =>
        withContext(CliModule.forRoot(config, database.url), async (context) => {
          const checks = context.get(LedgerChecks).all();
          if (checks.length === 0) {
            console.log('No ledgers are defined yet: nothing to check.');
            return;
          }
          const manager = context.get(DataSource).manager;
          let total = 0;
          for (const check of checks) {
            const differences = await check.differences(manager);
            total += differences.length;
            console.log(`${differences.length ? '✗' : '✓'} ${check.name}: ${differences.length} difference(s)`);
            for (const line of differences) console.log(`    ${line}`);
          }
          if (total > 0) process.exitCode = 1;
        }),
      ),
    );
}
