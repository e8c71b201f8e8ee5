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

  subscribe<T>(trigger: string): AsyncIterableIterator<T> {
    return this.engine.asyncIterableIterator<T>(trigger);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.quit().catch(() => c.disconnect())));
  }
}
