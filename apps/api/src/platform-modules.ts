import type { DynamicModule, Type } from '@nestjs/common';
import {
  AppConfigModule,
  DatabaseModule,
  EventsModule,
  GraphQLSupportModule,
  HealthModule,
  JobsModule,
  LoggingModule,
  MetricsModule,
  OperatorModule,
  RateLimitModule,
  type AppConfig,
  type ProcessRole,
} from '@boardroom/core';
import { StorageModule } from '@boardroom/media';

/** What every process needs below the domain: config, logs, database, events, jobs, rate limits, health, metrics, storage. */
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
    GraphQLSupportModule,
    RateLimitModule,
    JobsModule,
    MetricsModule,
    HealthModule,
    OperatorModule,
    StorageModule,
  ];
}
