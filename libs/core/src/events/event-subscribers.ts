import { Injectable } from '@nestjs/common';
import type { EventBatchHandler } from './event-consumer.js';

/** A named reader of the events log: `handle` gets each batch in order, in the batch's transaction. */
export interface EventSubscriber {
  /** The consumer's name: where its position is stored. */
  name: string;
  handle: EventBatchHandler;
  batchSize?: number;
}

/**
 * The consumers of the events log that run continuously wherever jobs run (the worker, or the api when
 * it runs jobs): libs register theirs in `onModuleInit`, the JobRunner polls each from its stored position.
 */
@Injectable()
export class EventSubscribers {
  private readonly subscribers = new Map<string, EventSubscriber>();

  register(subscriber: EventSubscriber): void {
    if (this.subscribers.has(subscriber.name)) throw new Error(`Event consumer "${subscriber.name}" registered twice`);
    this.subscribers.set(subscriber.name, subscriber);
  }

  all(): EventSubscriber[] {
    return [...this.subscribers.values()];
  }
}
