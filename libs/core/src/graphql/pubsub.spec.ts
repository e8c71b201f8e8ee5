import { loadConfig } from '../config/app-config.js';
import { PubSubService } from './pubsub.js';
import { TEST_REDIS_URL, redisReachable } from '../../../../test/support/redis.js';

const REDIS_URL = TEST_REDIS_URL;

async function roundTrip(publisher: PubSubService, subscriber: PubSubService, trigger: string): Promise<unknown> {
  const iterator = subscriber.subscribe<{ n: number }>(trigger);
  const next = iterator.next();
  // Redis subscribes asynchronously: publish until the message arrives.
  for (let i = 0; i < 50; i++) {
    await publisher.publish(trigger, { n: 1 });
    const arrived = await Promise.race([next, new Promise((r) => setTimeout(() => r(undefined), 50))]);
    if (arrived) {
      await iterator.return?.();
      return arrived;
    }
  }
  await iterator.return?.();
  throw new Error('no message arrived');
}

describe('PubSubService', () => {
  it('delivers in memory within one process when no Redis is configured', async () => {
    const pubsub = new PubSubService(loadConfig({}));
    await expect(roundTrip(pubsub, pubsub, 'memory')).resolves.toEqual({ value: { n: 1 }, done: false });
  });

  it('delivers across processes through Redis when REDIS_URL is set', async () => {
    if (!(await redisReachable())) {
      console.warn(`No Redis at ${REDIS_URL}: the Redis pub/sub case is skipped here.`);
      return;
    }
    const config = loadConfig({ REDIS_URL });
    // Two services with their own connections stand for two api processes.
    const publisher = new PubSubService(config);
    const subscriber = new PubSubService(config);
    try {
      await expect(roundTrip(publisher, subscriber, `redis-${process.pid}`)).resolves.toEqual({
        value: { n: 1 },
        done: false,
      });
    } finally {
      await publisher.onApplicationShutdown();
      await subscriber.onApplicationShutdown();
    }
  });
});
