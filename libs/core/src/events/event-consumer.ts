import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../database/transaction.js';
import type { StoredEvent } from './event.types.js';
import { EventsRepository } from './events.repository.js';

export type EventBatchHandler = (events: StoredEvent[], manager: EntityManager) => Promise<void>;

/**
 * Feeds the events log to a named consumer from its stored position. Each batch
 * is handled and the position saved in one transaction: a crash re-reads the
 * batch, never skips it, and what the handler wrote rolls back with it.
 */
@Injectable()
export class EventConsumer {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: EventsRepository,
  ) {}

  /** Handles one batch; returns how many events it handled (0: caught up). */
  async consumeBatch(consumer: string, handler: EventBatchHandler, batchSize = 500): Promise<number> {
    return inTransaction(this.dataSource, async (manager) => {
      const position = await this.repository.lockConsumer(manager, consumer);
      const events = await this.repository.readSettledAfter(manager, position, batchSize);
      if (events.length === 0) return 0;
      await handler(events, manager);
      const last = events[events.length - 1]!;
      await this.repository.savePosition(manager, consumer, { xid: last.xid, id: last.id });
      return events.length;
    });
  }

  /**
   * Forgets the consumer's position: its next batch starts at the beginning of the log. Given a
   * manager, in that transaction (with what else the caller resets along with it).
   */
  restart(consumer: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    return this.repository.deletePosition(manager, consumer);
  }

  /** How many events the log holds (for progress bars of a full replay). */
  eventCount(): Promise<number> {
    return this.repository.count(this.dataSource.manager);
  }

  /** Handles batches until caught up; returns the number of events handled. */
  async consumeAll(consumer: string, handler: EventBatchHandler, batchSize = 500): Promise<number> {
    let total = 0;
    for (;;) {
      const handled = await this.consumeBatch(consumer, handler, batchSize);
      total += handled;
      if (handled < batchSize) return total;
    }
  }
}
