import { SetMetadata, UseGuards, applyDecorators } from '@nestjs/common';
import type { RateLimitName } from './rate-limiter.service.js';
import { RATE_LIMIT_KEY, RateLimitGuard } from './rate-limit.guard.js';

/** Limits a resolver by the named limit of the config, per user (or per IP when signed out). */
export const RateLimit = (name: RateLimitName) =>
  applyDecorators(SetMetadata(RATE_LIMIT_KEY, name), UseGuards(RateLimitGuard));
