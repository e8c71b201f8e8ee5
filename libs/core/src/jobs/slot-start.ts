export type Cadence = 'hourly' | 'daily' | 'weekly';

/**
 * The start of the slot `date` falls in, in UTC: the hour, the day, or the ISO
 * week (Monday 00:00). Date.UTC normalises negative days across month and year
 * boundaries.
 */
export function slotStart(cadence: Cadence, date: Date): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  const d = date.getUTCDate();
  switch (cadence) {
    case 'hourly':
      return new Date(Date.UTC(y, m, d, date.getUTCHours()));
    case 'daily':
      return new Date(Date.UTC(y, m, d));
    case 'weekly': {
      const sinceMonday = (date.getUTCDay() + 6) % 7; // getUTCDay: Sunday 0 … Saturday 6
      return new Date(Date.UTC(y, m, d - sinceMonday));
    }
  }
}
