import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Global, Logger, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { Request } from 'express';
import { AppConfig } from '../config/app-config.js';
import { createErrorFormatter } from '../errors/graphql-error-formatter.js';
import { MetricsModule } from '../observability/metrics.module.js';
import { MetricsService } from '../observability/metrics.service.js';
import { queryCostPlugin, queryShapeRules } from './query-limits.js';
import { NodeResolver } from './relay/node.resolver.js';
import type { GraphQLRequestContext } from './request-context.js';

const errorLogger = new Logger('GraphQL');

/** Apollo behind Nest, with the API conventions of CONTRACT.md built in. */
export function graphqlOptions(config: AppConfig, metrics: MetricsService): ApolloDriverConfig {
  return {
    path: '/graphql',
    // The schema lives in memory; `npm run schema` writes schema.graphql and a test keeps it current.
    autoSchemaFile: true,
    sortSchema: true,
    buildSchemaOptions: { dateScalarMode: 'isoDate' },
    playground: false,
    introspection: !config.production,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    autoTransformHttpErrors: false,
    formatError: createErrorFormatter({
      hideSuggestions: config.production,
      logUnexpected: (correlationId, error) =>
        errorLogger.error(
          { correlationId, err: error },
          `Unexpected error ${correlationId}: ${String((error as Error)?.message ?? error)}`,
        ),
    }),
    validationRules: queryShapeRules(config.graphql),
    plugins: [
      config.production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true }),
      queryCostPlugin(config.graphql.maxCost),
      metrics.graphqlPlugin(),
    ],
    subscriptions: { 'graphql-ws': { path: '/graphql' } },
    context: (input: {
      req?: Request;
      res?: GraphQLRequestContext['res'];
      extra?: { request: Request };
    }): GraphQLRequestContext => {
      // Over HTTP Nest passes req/res; over graphql-ws the upgrade request is in `extra`.
      const req = input.req ?? input.extra!.request;
      return { req, res: input.res, user: (req as { user?: GraphQLRequestContext['user'] }).user ?? null };
    },
  };
}

@Global()
@Module({
  imports: [
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [MetricsModule],
      inject: [AppConfig, MetricsService],
      useFactory: graphqlOptions,
    }),
  ],
  providers: [NodeResolver],
})
export class ApiGraphQLModule {}
