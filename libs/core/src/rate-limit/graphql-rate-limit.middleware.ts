import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../errors/domain-error.js';
import { RateLimiter } from './rate-limiter.service.js';

/**
 * The overall request limit on /graphql, per client address (behind a proxy,
 * the address TRUST_PROXY lets Express read from X-Forwarded-For). Answers in
 * the GraphQL error shape so clients handle it like any other error.
 */
@Injectable()
export class GraphQLRateLimitMiddleware implements NestMiddleware {
  constructor(private readonly limiter: RateLimiter) {}

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    try {
      await this.limiter.consume('graphql', `ip:${req.ip ?? 'unknown'}`);
      next();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      res
        .status(429)
        .setHeader('Retry-After', String(error.details.retryAfterSeconds))
        .json({
          errors: [
            {
              message: error.message,
              extensions: { code: error.code, retryAfterSeconds: error.details.retryAfterSeconds },
            },
          ],
        });
    }
  }
}
