import { Global, Module } from '@nestjs/common';
import { GraphQLRateLimitMiddleware } from './graphql-rate-limit.middleware.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { RateLimiter } from './rate-limiter.service.js';

@Global()
@Module({
  providers: [RateLimiter, RateLimitGuard, GraphQLRateLimitMiddleware],
  exports: [RateLimiter, RateLimitGuard, GraphQLRateLimitMiddleware],
})
export class RateLimitModule {}
