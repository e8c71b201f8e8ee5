import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PubSub, type PubSubEngine } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config.js';

/**
 * Where subscription events travel: in memory when one process serves
 * everything (embedded), through Redis when REDIS_URL joins several processes.
 */
@Injectable()
export class PubSubService implements OnApplicationShutdown {
  readonly engine: PubSubEngine;
  private readonly connections: Redis[] = [];

  constructor(config: AppConfig) {
    if (config.redisUrl) {
      const connect = () => {
        const connection = new Redis(config.redisUrl!, { maxRetriesPerRequest: 3 });
        this.connections.push(connection);
        return connection;
      };
      this.engine = new RedisPubSub({ publisher: connect(), subscriber: connect() });
    } else {
      this.engine = new PubSub();
    }
  }

  publish<T>(trigger: string, payload: T): Promise<void> {
    return this.engine.publish(trigger, payload);
  }

  /** The events of `trigger`, ending at `until` when given (the subscriber's credentials expire there). */
  subscribe<T>(trigger: string, until?: Date): AsyncIterableIterator<T> {
    const events = this.engine.asyncIterableIterator<T>(trigger);
    return until ? endingAt(events, until) : events;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.quit().catch(() => c.disconnect())));
  }
}

/**
 * `events`, finished at `deadline`: a pending `next()` then resolves done, so graphql-ws completes the
 * subscription and the client reconnects with a fresh access token (its authorization is checked once,
 * at the start, and must not outlive the token).
 */
export function endingAt<T>(events: AsyncIterableIterator<T>, deadline: Date): AsyncIterableIterator<T> {
  const finish = () => events.return?.() ?? Promise.resolve({ value: undefined, done: true as const });
  const timer = setTimeout(() => void finish(), Math.max(0, deadline.getTime() - Date.now()));
  timer.unref();
  return {
    next: () => events.next(),
    return: () => {
      clearTimeout(timer);
      return finish();
    },
    throw: (error?: unknown) => {
      clearTimeout(timer);
      return events.throw
        ? events.throw(error)
        : Promise.reject(error instanceof Error ? error : new Error(String(error)));
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
