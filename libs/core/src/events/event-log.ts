import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { FingerprintHasher } from '../security/fingerprint-hasher.js';
import type { NewEvent } from './event.types.js';
import { EventsRepository } from './events.repository.js';

/**
 * Writes domain events. Always inside the caller's transaction (the manager it
 * passes), so an event exists exactly when the change it describes does.
 */
@Injectable()
export class EventLog {
  constructor(
    private readonly repository: EventsRepository,
    private readonly fingerprints: FingerprintHasher,
    private readonly clock: Clock,
  ) {}

  record(manager: EntityManager, event: NewEvent): Promise<string> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error(`Event ${event.action} must be recorded inside the transaction of the change it describes`);
    }
    return this.repository.insert(manager, {
      action: event.action,
      actorId: event.actorId ?? null,
      brandId: event.brandId ?? null,
      targetType: event.targetType ?? null,
      targetId: event.targetId ?? null,
      deviceFingerprint: event.deviceFingerprint ? this.fingerprints.hash('device', event.deviceFingerprint) : null,
      networkFingerprint: event.networkFingerprint ? this.fingerprints.hash('network', event.networkFingerprint) : null,
      meta: event.meta ?? {},
      // The product's clock, not the database's: the same time as the ledger entries the change writes
      // (and a simulation's time when the clock is simulated).
      occurredAt: event.occurredAt ?? this.clock.now(),
      fingerprintsOfEvent: event.fingerprintsOfEvent ?? null,
    });
  }
}
