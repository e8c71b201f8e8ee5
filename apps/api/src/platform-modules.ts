import type { DynamicModule, Type } from '@nestjs/common';
import {
  AppConfigModule,
  DatabaseModule,
  EventsModule,
  HealthModule,
  JobsModule,
  LoggingModule,
  MetricsModule,
  OperatorModule,
  type AppConfig,
  type ProcessRole,
} from '@boardroom/core';
import { StorageModule } from '@boardroom/media';

/** What every long-running process needs below the domain: config, logs, database, jobs, health, metrics. */
export function platformModules(config: AppConfig, databaseUrl: string, role: ProcessRole): (Type | DynamicModule)[] {
  return [
    AppConfigModule.forRoot(config),
    LoggingModule.forRoot(config),
    DatabaseModule.forRoot({
      url: databaseUrl,
      poolSize: config.database.poolSize,
      statementTimeoutMs: config.database.statementTimeoutMs,
      applicationName: role,
    }),
    EventsModule,
    JobsModule,
    MetricsModule,
    HealthModule,
    OperatorModule,
    StorageModule,
  ];
}
