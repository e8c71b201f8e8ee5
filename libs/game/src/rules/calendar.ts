/**
 * UTC calendar arithmetic for the game: days, ISO weeks and windows. GAME.md's days are UTC days,
 * so a day is always 24 hours here (UTC has no daylight saving time).
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** The instant `days` whole days before `date`. */
export function daysBefore(date: Date, days: number): Date {
  return new Date(date.getTime() - days * DAY_MS);
}

/** Midnight UTC of the day `date` falls in. */
function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** The UTC day `date` falls in, as `YYYY-MM-DD`. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The UTC day `date` falls in, as the half-open range [from, to) that daily caps count over. */
export function utcDayBounds(date: Date): { from: Date; to: Date } {
  const from = startOfUtcDay(date);
  return { from, to: new Date(from.getTime() + DAY_MS) };
}

/** ISO weekday: Monday 1 … Sunday 7 (getUTCDay has Sunday 0). */
function isoWeekday(date: Date): number {
  return date.getUTCDay() || 7;
}

/** Monday 00:00 UTC of the ISO week `date` falls in. */
export function isoWeekStart(date: Date): Date {
  return daysBefore(startOfUtcDay(date), isoWeekday(date) - 1);
}

/**
 * The ISO 8601 week `date` falls in, as `YYYY-Www` (e.g. `2026-W49`). A week belongs to the year of
 * its Thursday, so 2027-01-03 is in `2026-W53` and 2024-12-30 in `2025-W01`.
 */
export function isoWeek(date: Date): string {
  const thursday = new Date(isoWeekStart(date).getTime() + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const dayOfYear = (thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS;
  const week = Math.floor(dayOfYear / 7) + 1;
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/**
 * The ISO week a payroll run at `runAt` pays: the last week that has ended entirely by then. At the
 * scheduled Monday 00:00 UTC that is the week just ended; a run later in the week (a retry, a worker
 * that was down) still pays that same week, so with the `payroll:<employmentId>:<isoWeek>` key a late
 * or repeated run never pays a week twice nor pays a week that is still running.
 */
export function payrollWeekFor(runAt: Date): string {
  return isoWeek(daysBefore(isoWeekStart(runAt), 1));
}
