import fc from 'fast-check';
import { daysBefore, isoWeek, isoWeekStart, payrollWeekFor, utcDay, utcDayBounds } from './calendar.js';

const at = (iso: string) => new Date(iso);
const DAY_MS = 86_400_000;
const dates1970To2100 = fc.date({
  min: at('1970-01-01T00:00:00Z'),
  max: at('2100-12-31T23:59:59.999Z'),
  noInvalidDate: true,
});
/** Instants within a week either side of a new year, where ISO weeks and years part ways. */
const aroundNewYear = fc
  .record({ year: fc.integer({ min: 1971, max: 2100 }), ms: fc.integer({ min: -7 * DAY_MS, max: 7 * DAY_MS }) })
  .map(({ year, ms }) => new Date(Date.UTC(year, 0, 1) + ms));

/** ISO weeks by the other definition: week 1 is the week with January 4th in it. */
function referenceIsoWeek(date: Date): string {
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const week1Monday = (year: number) => {
    const january4 = Date.UTC(year, 0, 4);
    return january4 - ((new Date(january4).getUTCDay() + 6) % 7) * DAY_MS;
  };
  let year = date.getUTCFullYear() + 1;
  while (week1Monday(year) > day) year--;
  const week = Math.floor((day - week1Monday(year)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

describe('the UTC calendar', () => {
  it('names and bounds UTC days', () => {
    expect(utcDay(at('2026-12-02T23:59:59.999Z'))).toBe('2026-12-02');
    expect(utcDay(at('2026-12-03T00:00:00Z'))).toBe('2026-12-03');
    expect(utcDayBounds(at('2026-12-31T13:00:00Z'))).toEqual({
      from: at('2026-12-31T00:00:00Z'),
      to: at('2027-01-01T00:00:00Z'),
    });
  });

  it('counts whole days back', () => {
    expect(daysBefore(at('2026-12-02T10:00:00Z'), 60)).toEqual(at('2026-10-03T10:00:00Z'));
    expect(daysBefore(at('2024-03-01T00:00:00Z'), 1)).toEqual(at('2024-02-29T00:00:00Z'));
  });

  it('starts ISO weeks on Monday 00:00 UTC', () => {
    expect(isoWeekStart(at('2026-12-02T15:00:00Z'))).toEqual(at('2026-11-30T00:00:00Z'));
    expect(isoWeekStart(at('2026-12-06T23:59:59.999Z'))).toEqual(at('2026-11-30T00:00:00Z'));
    expect(isoWeekStart(at('2026-12-07T00:00:00Z'))).toEqual(at('2026-12-07T00:00:00Z'));
    expect(isoWeekStart(at('2027-01-03T12:00:00Z'))).toEqual(at('2026-12-28T00:00:00Z'));
  });

  it('names ISO weeks across year boundaries', () => {
    const weeks: Record<string, string> = {
      '2026-12-02T12:00:00Z': '2026-W49',
      '2026-12-27T23:59:59.999Z': '2026-W52',
      '2026-12-28T00:00:00Z': '2026-W53',
      '2026-12-31T12:00:00Z': '2026-W53',
      '2027-01-01T00:00:00Z': '2026-W53',
      '2027-01-03T23:59:59.999Z': '2026-W53',
      '2027-01-04T00:00:00Z': '2027-W01',
      '2024-12-30T00:00:00Z': '2025-W01',
      '2021-01-03T00:00:00Z': '2020-W53',
      '2010-01-03T00:00:00Z': '2009-W53',
      '2008-12-29T00:00:00Z': '2009-W01',
      '1970-01-01T00:00:00Z': '1970-W01',
      '2100-12-31T00:00:00Z': '2100-W52',
    };
    for (const [date, week] of Object.entries(weeks)) expect([date, isoWeek(at(date))]).toEqual([date, week]);
  });

  it('gives 53 weeks to the years that start on a Thursday, or on a Wednesday in a leap year', () => {
    for (let year = 1970; year <= 2100; year++) {
      const january1 = new Date(Date.UTC(year, 0, 1)).getUTCDay();
      const leap = new Date(Date.UTC(year, 1, 29)).getUTCMonth() === 1;
      const long = january1 === 4 || (leap && january1 === 3);
      // December 28th is always in the last week of its ISO year.
      expect([year, isoWeek(new Date(Date.UTC(year, 11, 28)))]).toEqual([year, `${year}-W${long ? 53 : 52}`]);
    }
  });

  it('agrees with the January 4th definition of ISO weeks, 1970 to 2100', () => {
    fc.assert(
      fc.property(fc.oneof(dates1970To2100, aroundNewYear), (date) => {
        expect(isoWeek(date)).toBe(referenceIsoWeek(date));
      }),
      { numRuns: 2_000 },
    );
  });

  it('pays, at a run, the last ISO week that has ended', () => {
    expect(payrollWeekFor(at('2026-12-07T00:00:00Z'))).toBe('2026-W49');
    expect(payrollWeekFor(at('2027-01-04T00:00:00Z'))).toBe('2026-W53');
    expect(payrollWeekFor(at('2027-01-11T00:00:00Z'))).toBe('2027-W01');
    // A late run pays the same week as the Monday one; a run before Monday, the week before.
    expect(payrollWeekFor(at('2026-12-09T17:00:00Z'))).toBe('2026-W49');
    expect(payrollWeekFor(at('2026-12-06T23:59:59.999Z'))).toBe('2026-W48');
  });

  it('never pays a week that is still running', () => {
    fc.assert(
      fc.property(dates1970To2100, (runAt) => {
        expect(payrollWeekFor(runAt)).toBe(isoWeek(daysBefore(runAt, 7)));
        expect(payrollWeekFor(runAt)).not.toBe(isoWeek(runAt));
      }),
    );
  });
});
