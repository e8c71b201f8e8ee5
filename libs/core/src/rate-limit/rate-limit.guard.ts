import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLRequestContext } from '../graphql/request-context.js';
import { RateLimiter, type RateLimitName } from './rate-limiter.service.js';

export const RATE_LIMIT_KEY = 'boardroom:rate-limit';

/** The key a request is counted under: the signed-in user, else the client's address. */
export function rateLimitKey(context: Pick<GraphQLRequestContext, 'req' | 'user'>): string {
  return context.user ? `user:${context.user.id}` : `ip:${context.req.ip ?? 'unknown'}`;
}

@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const name = this.reflector.get<RateLimitName | undefined>(RATE_LIMIT_KEY, context.getHandler());
    if (!name) return true;
    const graphqlContext = GqlExecutionContext.create(context).getContext<GraphQLRequestContext>();
    await this.limiter.consume(name, rateLimitKey(graphqlContext));
    return true;
  }
}
