import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule, type Type } from '@nestjs/common';
import { ApiGraphQLModule, GraphQLRateLimitMiddleware, MetricsMiddleware, type AppConfig } from '@boardroom/core';
import { DOMAIN_MODULES } from './domain-modules.js';
import { platformModules } from './platform-modules.js';

@Module({})
export class AppModule implements NestModule {
  /** `extra`: modules a test adds beside the real ones. */
  static forRoot(config: AppConfig, databaseUrl: string, extra: Type[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [...platformModules(config, databaseUrl, 'api'), ApiGraphQLModule, ...DOMAIN_MODULES, ...extra],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(MetricsMiddleware).forRoutes('*path');
    consumer.apply(GraphQLRateLimitMiddleware).forRoutes('graphql');
  }
}
