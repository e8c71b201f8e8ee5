import { TITLES, compareTitles, utcDay, type Title } from '@boardroom/game';
import { brandOf, distinctCount, type AwardCriterion, type Counted } from './award-criterion.js';

const DAY_MS = 86_400_000;
const STREAK_DAYS = 7;

/** Earned shares, as the events that award them say. */
const earned = (meta: Record<string, unknown>) => typeof meta.sharesAwarded === 'number' && meta.sharesAwarded > 0;

/** A global award's progress for the event's actor, the bonus in the event's brand. */
function actorCounts(event: { actorId: string | null; brandId: string | null }, item: string): Counted[] {
  if (!event.actorId || !event.brandId) return [];
  return [{ userId: event.actorId, brandId: null, bonusBrandId: event.brandId, item }];
}

/** A per-brand award's progress for the event's actor in the event's brand. */
function actorInBrand(event: { actorId: string | null; brandId: string | null }, item: string): Counted[] {
  if (!event.actorId || !event.brandId) return [];
  return [{ userId: event.actorId, brandId: event.brandId, bonusBrandId: event.brandId, item }];
}

/** Whether `days` (YYYY-MM-DD) hold `length` consecutive UTC days. */
export function hasConsecutiveDays(days: readonly string[], length: number): boolean {
  const sorted = [...new Set(days)].map((day) => Date.parse(`${day}T00:00:00Z`)).sort((a, b) => a - b);
  if (length <= 1) return sorted.length >= length;
  let run = 1;
  for (let i = 1; i < sorted.length; i++) {
    run = sorted[i]! - sorted[i - 1]! === DAY_MS ? run + 1 : 1;
    if (run >= length) return true;
  }
  return false;
}

/**
 * The criteria of GAME.md's awards, one entry each: the engine evaluates exactly these. Adding an award
 * is its definition in GAME_RULES.awards, one entry here, and its test.
 */
export const AWARD_CRITERIA: readonly AwardCriterion[] = [
  // The first published photo anywhere.
  distinctCount('FIRST_PHOTO', ['photo.published'], 1, (event) => actorCounts(event, 'published')),
  // Employed by 5 brands: the first entry in a brand starts the employment.
  distinctCount('BRAND_HOPPER', ['employment.started'], 5, (event) => actorCounts(event, brandOf(event))),
  // A published photo on 7 consecutive UTC days.
  {
    code: 'STREAK_7',
    actions: ['photo.published'],
    count: (event) => actorCounts(event, utcDay(event.occurredAt)),
    reached: (days) => hasConsecutiveDays(days, STREAK_DAYS),
    // The latest days are all a streak needs (days arrive in commit order, about time order).
    keep: (days) => [...new Set(days)].sort().slice(-STREAK_DAYS * 2),
  },
  // 5 qualified invites: the inviter is the actor of invite.qualified, the invite its target.
  distinctCount('RECRUITER', ['invite.qualified'], 5, (event) =>
    event.targetId ? actorCounts(event, event.targetId) : [],
  ),
  // Reach MANAGER (or above) in a brand.
  distinctCount('PROMOTED_MANAGER', ['employment.title_changed'], 1, (event) => {
    const to = event.meta.to as Title;
    return TITLES.includes(to) && compareTitles(to, 'MANAGER') >= 0 ? actorInBrand(event, 'manager') : [];
  }),
  // Take a brand's CEO seat.
  distinctCount('CEO', ['employment.ceo_won'], 1, (event) => actorInBrand(event, 'seated')),
  // 50 earning comments.
  distinctCount('CRITIC', ['comment.posted'], 50, (event) =>
    earned(event.meta) && event.targetId ? actorCounts(event, event.targetId) : [],
  ),
  // A brand entry one created that 10 other users then published photos of: counted per publisher.
  distinctCount('FOUNDER', ['photo.published'], 10, async (event, lookups) => {
    const brandId = brandOf(event);
    const creator = await lookups.brandCreator(brandId);
    if (!creator || !event.actorId || creator === event.actorId) return [];
    return [{ userId: creator, brandId, bonusBrandId: brandId, item: event.actorId }];
  }),
];
