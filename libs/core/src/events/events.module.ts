import { Global, Module } from '@nestjs/common';
import { ClockModule } from '../clock/clock.module.js';
import { FingerprintHasher } from '../security/fingerprint-hasher.js';
import { EventConsumer } from './event-consumer.js';
import { EventLog } from './event-log.js';
import { EventSubscribers } from './event-subscribers.js';
import { EventsRepository } from './events.repository.js';

/** The append-only events log: writing in a transaction, reading by position, and its standing consumers. */
@Global()
@Module({
  imports: [ClockModule],
  providers: [EventsRepository, EventLog, EventConsumer, EventSubscribers, FingerprintHasher],
  exports: [EventLog, EventConsumer, EventSubscribers, FingerprintHasher],
})
export class EventsModule {}
