import type { DataSource, EntityManager } from 'typeorm';
import type { StoredEvent } from '@boardroom/core';

export const FLAG_SUBJECT_TYPES = ['ACCOUNT', 'PHOTO', 'EVENT'] as const;
export type FlagSubjectType = (typeof FLAG_SUBJECT_TYPES)[number];

/** What one batch of a detector runs with. */
export interface DetectorContext {
  /** The batch's transaction: everything the detector reads and writes goes through it. */
  manager: EntityManager;
  now: Date;
}

/**
 * A reader of the events log that raises flags. The runner feeds it the log from its stored position in
 * keyset batches, each batch in its own short transaction with the position saved in it; `handle` must
 * be idempotent (a crashed batch is handled again) and may keep state only in the database.
 */
export interface Detector {
  /** Upper-case, stable: flags and clusters are keyed by it. */
  readonly code: string;
  /** Bumped when what the detector concludes changes: a new version re-reads the whole log. */
  readonly version: string;
  handle(events: readonly StoredEvent[], context: DetectorContext): Promise<void>;
  /**
   * For a detector whose conclusion is global (a graph over every account): called after each run has
   * caught up with the log, to conclude from what `handle` stored. Its own short transactions.
   */
  conclude?(context: ConcludeContext): Promise<void>;
}

export interface ConcludeContext {
  dataSource: DataSource;
  now: Date;
}

/** The injection token of the list of every detector. */
export const DETECTORS = Symbol('DETECTORS');
