import { Command } from 'commander';
import { ConfigError } from '@boardroom/core';
import { registerAwardsBackfillCommand } from './commands/awards-backfill.command.js';
import { registerDetectCommand } from './commands/detect.command.js';
import { registerExportCommand } from './commands/export.command.js';
import { registerCheckLedgerCommand } from './commands/check-ledger.command.js';
import { registerGrantRoleCommand } from './commands/grant-role.command.js';
import { registerMigrateCommands } from './commands/migrate.command.js';
import { registerPrintSchemaCommand } from './commands/print-schema.command.js';
import { registerRetentionCommand } from './commands/retention.command.js';
import { registerSeedCommand } from './commands/seed.command.js';
import { registerSimulateCommand } from './commands/simulate.command.js';

const program = new Command('boardroom')
  .description(
    'Boardroom operator commands. They work whether or not the api is running: with DATABASE_URL on that server, ' +
      'otherwise on the embedded database (through the running api, or by opening DATA_DIR when none runs).',
  )
  .showHelpAfterError('(run with --help for usage)');

registerMigrateCommands(program);
registerGrantRoleCommand(program);
registerCheckLedgerCommand(program);
registerSeedCommand(program);
registerSimulateCommand(program);
registerAwardsBackfillCommand(program);
registerDetectCommand(program);
registerExportCommand(program);
registerRetentionCommand(program);
registerPrintSchemaCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exitCode = process.exitCode || 1;
}
