import type { EntityManager } from 'typeorm';
import type { StoredEvent } from '@boardroom/core';

/** What a detector gets with each batch: the batch's transaction and the product's time. */
export interface DetectorBatch {
  manager: EntityManager;
  now: Date;
}

/**
 * A fraud detector over the events log. The runner feeds it the log from its stored position in
 * batches, each in its own short transaction with the position, so a crash re-reads a batch and never
 * skips one. When `version` changes the runner calls `reset` and replays the whole log through it.
 */
export interface Detector {
  /** Stable, upper-case: where its flags and position are kept. */
  readonly code: string;
  /** Bumped whenever its logic or rules change: a new version re-evaluates everything. */
  readonly version: string;
  /** The event actions it reads; the batch it is handed holds only these. */
  readonly actions: readonly string[];
  /** Reads one batch of events (in log order) and raises or updates flags. */
  handle(events: StoredEvent[], batch: DetectorBatch): Promise<void>;
  /** Forgets the state it derived from the log (not its flags: the runner drops those). */
  reset(manager: EntityManager): Promise<void>;
}
