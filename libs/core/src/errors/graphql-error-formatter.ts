import { randomUUID } from 'node:crypto';
import { HttpException } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DomainError, type ErrorCode } from './domain-error.js';
import { presentationOf } from './error-presentation.js';

/** Apollo's own codes that describe the client's request, passed through as they are. */
const APOLLO_REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

const HTTP_STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

export const MASKED_MESSAGE =
  'Something went wrong on our side. Please try again; if it keeps happening, contact support with the correlation id.';

export interface ErrorFormatterOptions {
  /** Hides "Did you mean …?" field suggestions, which map the schema for a stranger. */
  hideSuggestions: boolean;
  /** Records an unexpected error with the id the client is shown. */
  logUnexpected: (correlationId: string, error: unknown) => void;
}

/** The innermost error: resolvers and validation wrap the thrown one in GraphQLErrors. */
function rootCause(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
}

/** A Nest HttpException (a guard's ForbiddenException, say) as a DomainError. */
function fromHttpException(exception: HttpException): DomainError | null {
  const code = HTTP_STATUS_CODES[exception.getStatus()];
  if (!code) return null;
  const response = exception.getResponse();
  const message =
    typeof response === 'object' && response !== null && typeof (response as { message?: unknown }).message === 'string'
      ? (response as { message: string }).message
      : exception.message;
  return new DomainError(code, message);
}

function present(error: DomainError, base: GraphQLFormattedError, correlationId?: string): GraphQLFormattedError {
  const { exposeMessage } = presentationOf(error.code);
  const { fields, reason, retryAfterSeconds, ...rest } = error.details;
  return {
    message: exposeMessage ? error.message : MASKED_MESSAGE,
    ...(base.locations ? { locations: base.locations } : {}),
    ...(base.path ? { path: base.path } : {}),
    extensions: {
      code: error.code,
      ...(exposeMessage ? rest : {}),
      ...(fields ? { fields } : {}),
      ...(reason ? { reason } : {}),
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      ...(correlationId ? { correlationId } : {}),
    },
  };
}

/**
 * The one GraphQL error formatter: every error leaves with an `extensions.code`
 * of CONTRACT.md; anything unexpected is masked as INTERNAL_SERVER_ERROR with a
 * correlation id that the log line carries too. Never a stack trace.
 */
export function createErrorFormatter(options: ErrorFormatterOptions) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const cause = rootCause(error);
    const domainError =
      cause instanceof DomainError ? cause : cause instanceof HttpException ? fromHttpException(cause) : null;
    if (domainError && domainError.code !== 'INTERNAL_SERVER_ERROR') return present(domainError, formatted);

    const apolloCode = formatted.extensions?.code;
    if (
      !domainError &&
      cause instanceof GraphQLError &&
      typeof apolloCode === 'string' &&
      APOLLO_REQUEST_CODES.has(apolloCode)
    ) {
      const message = options.hideSuggestions
        ? formatted.message.replace(/ ?Did you mean .+\?$/, '')
        : formatted.message;
      return {
        message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: apolloCode },
      };
    }

    const correlationId = randomUUID();
    options.logUnexpected(correlationId, cause ?? error);
    return present(new DomainError('INTERNAL_SERVER_ERROR', MASKED_MESSAGE), formatted, correlationId);
  };
}
