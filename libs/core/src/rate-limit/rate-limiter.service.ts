import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { DomainError } from '../errors/domain-error.js';

export type RateLimitName = keyof AppConfig['rateLimits'];

/**
 * The one rate-limit facility. Counters live in Redis when REDIS_URL is set, in
 * PostgreSQL with a database server (several api processes share them), and in
 * memory when embedded (one api process; PGlite's single session would only
 * slow every request down).
 */
@Injectable()
export class RateLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly limiters = new Map<RateLimitName, RateLimiterAbstract>();
  private readonly redis: Redis | null;

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.redis = config.redisUrl
      ? new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
      : null;
  }

  /**
   * Counts one request of `key` (e.g. "ip:1.2.3.4", "user:<id>") against the named
   * limit; throws RATE_LIMITED with retryAfterSeconds when it is used up.
   */
  async consume(name: RateLimitName, key: string, points = 1): Promise<void> {
    const limiter = this.limiter(name);
    if (!limiter) return;
    try {
      await limiter.consume(key, points);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw this.refusal(rejection.msBeforeNext);
      this.storeFailed(name, rejection);
    }
  }

  /**
   * A lock-out: `check` refuses once `key` has used up the limit, `penalize` counts
   * a failure (the last one blocks the key for the limit's whole window), `reset`
   * forgets the failures after a success.
   */
  async check(name: RateLimitName, key: string): Promise<void> {
    const limiter = this.limiter(name);
    if (!limiter) return;
    try {
      const state = await limiter.get(key);
      if (state && state.consumedPoints >= limiter.points) throw this.refusal(state.msBeforeNext);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      this.storeFailed(name, error);
    }
  }

  async penalize(name: RateLimitName, key: string): Promise<void> {
    const limiter = this.limiter(name);
    if (!limiter) return;
    try {
      const state = await limiter.penalty(key, 1);
      if (state.consumedPoints >= limiter.points) await limiter.block(key, limiter.duration);
    } catch (error) {
      this.storeFailed(name, error);
    }
  }

  async reset(name: RateLimitName, key: string): Promise<void> {
    await this.limiter(name)
      ?.delete(key)
      .catch((error: unknown) => this.storeFailed(name, error));
  }

  private refusal(msBeforeNext: number): DomainError {
    const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
    return new DomainError('RATE_LIMITED', `Too many attempts. Try again in ${retryAfterSeconds} seconds.`, {
      retryAfterSeconds,
    });
  }

  /** The store failed: let the request through rather than take the product down with it. */
  private storeFailed(name: RateLimitName, error: unknown): void {
    this.logger.warn(`Rate-limit store unavailable for ${name}: ${(error as Error).message}`);
  }

  /** The limiter of a named limit; null when the limit is switched off (0). */
  private limiter(name: RateLimitName): RateLimiterAbstract | null {
    const setting = this.config.rateLimits[name];
    if (!setting) return null;
    let limiter = this.limiters.get(name);
    if (!limiter) {
      const { points, seconds } = setting;
      const options = { keyPrefix: `rl:${name}`, points, duration: seconds };
      if (this.redis) limiter = new RateLimiterRedis({ ...options, storeClient: this.redis });
      else if (this.config.embedded) limiter = new RateLimiterMemory(options);
      else
        limiter = new RateLimiterPostgres({
          ...options,
          storeClient: this.dataSource,
          storeType: 'typeorm',
          tableName: 'rate_limits',
          tableCreated: true,
        });
      this.limiters.set(name, limiter);
    }
    return limiter;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}
