import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { GqlContextType } from '@nestjs/graphql';

/**
 * Hands a resolver's error to Apollo as it is. Nest's default handler would log every one at error level
 * with its stack, a client's BAD_USER_INPUT as loudly as a real failure; the error formatter already
 * logs the unexpected ones once, with the correlation id the client is shown. Requests outside GraphQL
 * (media, health) keep Nest's default handling.
 */
@Catch()
export class GraphQLExceptionsFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<GqlContextType>() === 'graphql') return exception;
    return super.catch(exception, host);
  }
}
