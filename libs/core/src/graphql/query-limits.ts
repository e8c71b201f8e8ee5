import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, getNamedType, type ValidationContext, type ValidationRule } from 'graphql';
import {
  fieldExtensionsEstimator,
  getComplexity,
  simpleEstimator,
  type ComplexityEstimator,
} from 'graphql-query-complexity';
import { DomainError } from '../errors/domain-error.js';
import { connectionComplexity } from './relay/connection.js';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

function tooComplex(message: string): GraphQLError {
  return new GraphQLError(message, {
    originalError: new DomainError('QUERY_TOO_COMPLEX', message),
  });
}

/** A rejection reported as a validation error whose cause is QUERY_TOO_COMPLEX. */
function reportAs(describe: (found: string) => string) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const found = /found (\d+)/.exec(error.message)?.[1] ?? 'more';
    context?.reportError(tooComplex(describe(found)));
  };
}

/** Depth and alias limits, checked while the query is validated (before it runs). */
export function queryShapeRules(limits: QueryLimits): ValidationRule[] {
  return [
    maxDepthRule({
      n: limits.maxDepth,
      ignoreIntrospection: false,
      propagateOnRejection: false,
      onReject: [
        reportAs(
          (found) =>
            `The query nests ${found} levels deep; at most ${limits.maxDepth} are allowed. Split it into smaller queries.`,
        ),
      ],
    }),
    maxAliasesRule({
      n: limits.maxAliases,
      propagateOnRejection: false,
      onReject: [reportAs((found) => `The query uses ${found} aliases; at most ${limits.maxAliases} are allowed.`)],
    }),
  ];
}

/**
 * Every Relay connection (a `…Connection` type with a `first` argument) costs its children times
 * `first`, without each resolver having to declare it: a forgotten declaration would let a query
 * nest pages of 100 inside pages of 100 for the price of a few fields.
 */
const connectionEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  const isConnection =
    getNamedType(field.type).name.endsWith('Connection') && field.args.some((arg) => arg.name === 'first');
  return isConnection ? connectionComplexity({ args, childComplexity }) : undefined;
};

/**
 * The cost limit. Each field costs 1 unless it is a connection (see above) or declares a
 * `complexity`; it needs the variables, so it runs once the operation is resolved rather than as a
 * validation rule.
 */
export function queryCostPlugin(maxCost: number): ApolloServerPlugin {
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ request, document, schema }) => {
        let cost: number;
        try {
          cost = getComplexity({
            schema,
            query: document,
            ...(request.operationName ? { operationName: request.operationName } : {}),
            variables: request.variables ?? {},
            estimators: [connectionEstimator, fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
          });
        } catch (error) {
          // Pricing coerces the variables first: a missing or ill-typed variable is the client's mistake.
          if (!(error instanceof GraphQLError)) throw error;
          throw new GraphQLError(error.message, {
            originalError: new DomainError('BAD_USER_INPUT', error.message),
            extensions: { http: { status: 400 } },
          });
        }
        if (cost > maxCost) {
          const message = `The query would cost ${cost}; at most ${maxCost} is allowed. Ask for fewer items (first) or fewer fields.`;
          throw new GraphQLError(message, {
            originalError: new DomainError('QUERY_TOO_COMPLEX', message),
            extensions: { http: { status: 400 } },
          });
        }
      },
    }),
  };
}
