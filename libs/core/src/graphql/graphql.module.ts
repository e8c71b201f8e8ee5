import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Global, Logger, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLModule, type GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import type { ServerOptions } from 'graphql-ws';
import type { Request } from 'express';
import type { GraphQLError } from 'graphql';
import { AppConfig } from '../config/app-config.js';
import { createErrorFormatter } from '../errors/graphql-error-formatter.js';
import { MetricsModule } from '../observability/metrics.module.js';
import { MetricsService } from '../observability/metrics.service.js';
import { GraphQLExceptionsFilter } from './graphql-exceptions.filter.js';
import { queryCostPlugin, queryShapeRules } from './query-limits.js';
import { NodeResolver } from './relay/node.resolver.js';
import type { GraphQLRequestContext } from './request-context.js';

const errorLogger = new Logger('GraphQL');

/** Apollo behind Nest, with the API conventions of CONTRACT.md built in. */
export function graphqlOptions(config: AppConfig, metrics: MetricsService): ApolloDriverConfig {
  const formatError = createErrorFormatter({
    hideSuggestions: config.production,
    logUnexpected: (correlationId, error) =>
      errorLogger.error(
        { correlationId, err: error },
        `Unexpected error ${correlationId}: ${String((error as Error)?.message ?? error)}`,
      ),
  });
  // graphql-ws sends its errors itself: they get the same codes and masking as over HTTP.
  const formatErrors = (errors: readonly GraphQLError[]) => errors.map((error) => formatError(error.toJSON(), error));
  const graphqlWsOptions: Pick<ServerOptions, 'onError' | 'onNext'> & { path: string } = {
    path: '/graphql',
    onError: (_context, _id, _payload, errors) => formatErrors(errors),
    onNext: (_context, _id, _payload, _args, result) =>
      result.errors ? { ...result, errors: formatErrors(result.errors) } : result,
  };
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
    formatError,
    validationRules: queryShapeRules(config.graphql),
    plugins: [
      // No cache hints are set, and Apollo's default cache-control plugin wraps every field's resolver to
      // look for them (measured: part of the api's overhead per request on the leaderboard).
      ApolloServerPluginCacheControlDisabled(),
      config.production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true }),
      queryCostPlugin(config.graphql.maxCost),
      metrics.graphqlPlugin(),
    ],
    // Nest passes these options on to graphql-ws's useServer, whose hooks its own type does not list.
    subscriptions: { 'graphql-ws': graphqlWsOptions as GraphQLWsSubscriptionsConfig },
    context: (input: {
      req?: Request;
      res?: GraphQLRequestContext['res'];
      extra?: { request: Request };
      connectionParams?: Readonly<Record<string, unknown>>;
    }): GraphQLRequestContext => {
      // Over HTTP Nest passes req/res; over graphql-ws the upgrade request is in `extra`, and the access
      // token comes in the connection's parameters (browsers cannot set headers on a WebSocket), where
      // the authentication guard reads it like a header.
      const req = input.req ?? input.extra!.request;
      const token = input.connectionParams?.authorization;
      if (!input.req && typeof token === 'string' && !req.headers.authorization) req.headers.authorization = token;
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
  providers: [NodeResolver, { provide: APP_FILTER, useClass: GraphQLExceptionsFilter }],
})
export class ApiGraphQLModule {}
