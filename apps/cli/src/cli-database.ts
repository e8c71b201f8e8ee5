import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { migrateUp, openDatabase, readEnvironment, type AppConfig, type OpenDatabase } from '@boardroom/core';

/** Says on stderr which database a command works on, so the operator is never surprised. */
function describe(config: AppConfig, database: OpenDatabase): string {
  if (config.database.url) return 'the PostgreSQL server of DATABASE_URL';
  if (database.embedded)
    return `the embedded database in ${config.dataDir} (opened by this command: no api is running)`;
  return `the embedded database served by the running api (${new URL(database.url).host})`;
}

/**
 * Runs `work` against the database, wherever it is: a server, the embedded one
 * a running api serves, or the data folder itself when no api runs (migrated
 * first, as the api would). `migrate: false` for the migration commands.
 */
export async function withDatabase<T>(
  work: (database: OpenDatabase, config: AppConfig) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const config = readEnvironment();
  const database = await openDatabase(config, 'cli');
  try {
    console.error(`Using ${describe(config, database)}.`);
    if (database.embedded && options.migrate !== false) await migrateUp(database.url);
    return await work(database, config);
  } finally {
    await database.close();
  }
}

/** A Nest application context (no HTTP) of `module`, closed after `work`. */
export async function withContext<T>(
  module: DynamicModule,
  work: (context: INestApplicationContext) => Promise<T>,
): Promise<T> {
  const context = await NestFactory.createApplicationContext(module, { logger: ['error', 'warn'] });
  try {
    return await work(context);
  } finally {
    await context.close();
  }
}
