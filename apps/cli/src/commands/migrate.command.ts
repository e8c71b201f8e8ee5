import type { Command } from 'commander';
import { migrateDown, migrateUp, pendingMigrations } from '@boardroom/core';
import { withDatabase } from '../cli-database.js';

export function registerMigrateCommands(program: Command): void {
  program
    .command('migrate')
    .description(
      'Apply every pending migration (each in its own transaction). Needed after an upgrade with DATABASE_URL; the embedded database migrates itself at start.',
    )
    .action(() =>
      withDatabase(
        async (database) => {
          const applied = await migrateUp(database.url);
          console.log(
            applied.length
              ? `Applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}`
              : 'The database is up to date.',
          );
        },
        { migrate: false },
      ),
    );

  program
    .command('migrate:down')
    .description(
      'Revert the most recent migration(s), newest first. Data in dropped tables is lost: take a backup first.',
    )
    .option('--steps <n>', 'how many migrations to revert', (v) => Number.parseInt(v, 10), 1)
    .action((options: { steps: number }) =>
      withDatabase(
        async (database) => {
          if (!Number.isInteger(options.steps) || options.steps < 1)
            throw new Error('--steps must be a positive whole number');
          const reverted = await migrateDown(database.url, options.steps);
          console.log(reverted.length ? `Reverted:\n  ${reverted.join('\n  ')}` : 'No migration to revert.');
        },
        { migrate: false },
      ),
    );

  program
    .command('migrate:status')
    .description('List the migrations not yet applied (exit code 1 if there are any).')
    .action(() =>
      withDatabase(
        async (database) => {
          const pending = await pendingMigrations(database.url);
          console.log(pending.length ? `Pending:\n  ${pending.join('\n  ')}` : 'The database is up to date.');
          if (pending.length) process.exitCode = 1;
        },
        { migrate: false },
      ),
    );
}
