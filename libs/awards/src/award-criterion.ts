import type { EntityManager } from 'typeorm';
import type { StoredEvent } from '@boardroom/core';
import type { AwardCode } from '@boardroom/game';

/** What one event adds to one user's progress towards an award. */
export interface Counted {
  userId: string;
  /** The award's brand for per-brand awards; null for the others. */
  brandId: string | null;
  /** Where the bonus goes: the award's brand, or (for the others) the brand of the triggering event. */
  bonusBrandId: string;
  /** The distinct thing counted (a brand, a day, a comment): an event counted twice changes nothing. */
  item: string;
}

/** Reads a criterion may need beyond the event itself, in the engine's transaction. */
export interface CriterionLookups {
  manager: EntityManager;
  brandCreator(brandId: string): Promise<string | null>;
}

/**
 * An award's criterion, as reviewed TypeScript: which events it reads, what each adds to whose progress,
 * and when the progress earns the award. Progress is a set of distinct items, so the engine can replay
 * the log (a crash, a backfill) without counting anything twice.
 */
export interface AwardCriterion {
  code: AwardCode;
  /** The event actions it reads; others never reach it. */
  actions: readonly string[];
  count(event: StoredEvent, lookups: CriterionLookups): Counted[] | Promise<Counted[]>;
  /** Whether these items (in the order counted) earn the award. */
  reached(items: readonly string[]): boolean;
  /** What of the items to keep: progress stays small however long a user plays. */
  keep(items: readonly string[]): string[];
}

/** The usual criterion: `needed` distinct items. */
export function distinctCount(
  code: AwardCode,
  actions: readonly string[],
  needed: number,
  count: AwardCriterion['count'],
): AwardCriterion {
  return {
    code,
    actions,
    count,
    reached: (items) => items.length >= needed,
    keep: (items) => items.slice(0, needed),
  };
}

/** The event's brand, which every event the criteria read carries. */
export function brandOf(event: StoredEvent): string {
  if (!event.brandId) throw new Error(`Event ${event.id} (${event.action}) has no brand`);
  return event.brandId;
}
