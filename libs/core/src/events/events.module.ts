import { Global, Module } from '@nestjs/common';
import { FingerprintHasher } from '../security/fingerprint-hasher.js';
import { EventConsumer } from './event-consumer.js';
import { EventLog } from './event-log.js';
import { EventsRepository } from './events.repository.js';

/** The append-only events log: writing in a transaction, reading by position. */
@Global()
@Module({
  providers: [EventsRepository, EventLog, EventConsumer, FingerprintHasher],
  exports: [EventLog, EventConsumer, FingerprintHasher],
})
export class EventsModule {}
