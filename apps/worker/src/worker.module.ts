import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { MetricsMiddleware, type AppConfig } from '@boardroom/core';
import { DOMAIN_MODULES } from '../../api/src/domain-modules.js';
import { platformModules } from '../../api/src/platform-modules.js';

/** The same libs as the api, without GraphQL: job handlers, plus health and metrics over HTTP. */
@Module({})
export class WorkerModule implements NestModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return { module: WorkerModule, imports: [...platformModules(config, databaseUrl, 'worker'), ...DOMAIN_MODULES] };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(MetricsMiddleware).forRoutes('*path');
  }
}
