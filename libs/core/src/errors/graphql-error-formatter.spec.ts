import { ConflictException, ForbiddenException, HttpException } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DOMAIN_ERROR_CODES, DomainError } from './domain-error.js';
import { presentationOf } from './error-presentation.js';
import { createErrorFormatter, MASKED_MESSAGE } from './graphql-error-formatter.js';

function setup(hideSuggestions = false) {
  const logged: { correlationId: string; error: unknown }[] = [];
  const format = createErrorFormatter({
    hideSuggestions,
    logUnexpected: (correlationId, error) => logged.push({ correlationId, error }),
  });
  /** As Apollo calls it: the formatted error and the original, wrapped by a resolver. */
  const formatThrown = (thrown: unknown, base: Partial<GraphQLFormattedError> = {}) =>
    format(
      { message: 'x', path: ['field'], extensions: { code: 'INTERNAL_SERVER_ERROR' }, ...base },
      new GraphQLError('x', { originalError: thrown as Error }),
    );
  return { format, formatThrown, logged };
}

describe('the GraphQL error formatter', () => {
  it.each(DOMAIN_ERROR_CODES.filter((code) => presentationOf(code).exposeMessage))(
    'presents a %s DomainError with its code and message',
    (code) => {
      const { formatThrown, logged } = setup();
      expect(formatThrown(new DomainError(code, 'What to do about it.'))).toEqual({
        message: 'What to do about it.',
        path: ['field'],
        extensions: { code },
      });
      expect(logged).toEqual([]);
    },
  );

  it('masks an INTERNAL_SERVER_ERROR DomainError like any unexpected error', () => {
    const { formatThrown, logged } = setup();
    const formatted = formatThrown(new DomainError('INTERNAL_SERVER_ERROR', 'disk /var/x is full'));
    expect(formatted.message).toBe(MASKED_MESSAGE);
    expect(formatted.extensions?.correlationId).toBe(logged[0]?.correlationId);
  });

  it('carries reason, fields, retryAfterSeconds and other details into extensions', () => {
    const { formatThrown } = setup();
    expect(
      formatThrown(DomainError.conflict('DUPLICATE_BRAND', 'Exists.', { existingSlug: 'nutella' })).extensions,
    ).toEqual({
      code: 'CONFLICT',
      reason: 'DUPLICATE_BRAND',
      existingSlug: 'nutella',
    });
    expect(formatThrown(DomainError.badInput('Fix it.', [{ field: 'email', message: 'invalid' }])).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'email', message: 'invalid' }],
    });
  });

  it('maps Nest HTTP exceptions from guards and pipes to contract codes', () => {
    const { formatThrown } = setup();
    expect(formatThrown(new ForbiddenException('Managers only.'))).toMatchObject({
      message: 'Managers only.',
      extensions: { code: 'FORBIDDEN' },
    });
    expect(formatThrown(new ConflictException()).extensions?.code).toBe('CONFLICT');
    expect(formatThrown(new HttpException('slow down', 429)).extensions?.code).toBe('RATE_LIMITED');
    expect(formatThrown(new HttpException('teapot', 418)).extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('masks an unexpected error: no message, no stack, a correlation id that the log carries too', () => {
    const { formatThrown, logged } = setup();
    const thrown = new TypeError("Cannot read properties of undefined (reading 'password_hash')");
    const formatted = formatThrown(thrown, { extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } });
    expect(formatted.message).toBe(MASKED_MESSAGE);
    expect(formatted.extensions).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(logged).toEqual([{ correlationId: formatted.extensions?.correlationId, error: thrown }]);
  });

  it("passes Apollo's request errors through, hiding suggestions when asked", () => {
    const validation = new GraphQLError('Cannot query field "nod" on type "Query". Did you mean "node"?');
    const base = { message: validation.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    expect(setup(false).format(base, validation)).toEqual(base);
    expect(setup(true).format(base, validation).message).toBe('Cannot query field "nod" on type "Query".');
  });

  it('masks a GraphQL error with an unknown code', () => {
    const { format, logged } = setup();
    const formatted = format(
      { message: 'Cannot return null for non-nullable field Query.x.', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      new GraphQLError('Cannot return null'),
    );
    expect(formatted.message).toBe(MASKED_MESSAGE);
    expect(logged).toHaveLength(1);
  });
});
