import { DataSource, type DataSourceOptions } from 'typeorm';
import { migrations } from '@boardroom/migrations';

export interface DataSourceSettings {
  url: string;
  poolSize: number;
  statementTimeoutMs?: number;
  /** false: the server never JIT-compiles this pool's statements (for many short ones, where it never pays). */
  jit?: boolean;
  /** Shown in pg_stat_activity: api, worker, cli, test. */
  applicationName: string;
}

/**
 * One shape of connection for every process: TypeORM with the `pg` driver,
 * hand-written SQL migrations, never `synchronize`.
 */
export function dataSourceOptions(settings: DataSourceSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    applicationName: settings.applicationName,
    synchronize: false,
    migrationsRun: false,
    migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    entities: [],
    // Failed queries surface as errors where they are handled; logging each one here is noise.
    logging: ['migration'],
    extra: {
      max: settings.poolSize,
      // A server enforces it; PGlite ignores start-up parameters.
      ...(settings.statementTimeoutMs ? { statement_timeout: settings.statementTimeoutMs } : {}),
      ...(settings.jit === false ? { options: '-c jit=off' } : {}),
      connectionTimeoutMillis: 10_000,
    },
  };
}

export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource(dataSourceOptions(settings));
}
