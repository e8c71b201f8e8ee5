import { Logger } from '@nestjs/common';
import type { Clock } from '../clock/clock.js';
import type { EnqueueOptions, JobQueue } from './job-queue.js';
import { JobScheduler } from './job-scheduler.js';
import type { JobName } from './job-types.js';
import { slotStart } from './slot-start.js';

const at = (iso: string): Date => new Date(iso);
const iso = (d: Date): string => d.toISOString();
/** Production code declares no jobs; these tests use names of their own. */
const job = (name: string): JobName => name as JobName;

describe('slotStart', () => {
  it('hourly: the start of the UTC hour', () => {
    expect(iso(slotStart('hourly', at('2026-11-24T13:59:59.999Z')))).toBe('2026-11-24T13:00:00.000Z');
    expect(iso(slotStart('hourly', at('2026-11-24T14:00:00.000Z')))).toBe('2026-11-24T14:00:00.000Z');
    expect(iso(slotStart('hourly', at('2026-11-24T23:30:00.000Z')))).toBe('2026-11-24T23:00:00.000Z');
  });

  it('hourly and daily use UTC, not the local offset of the timestamp', () => {
    // 00:30 in Berlin is still the previous day in UTC.
    expect(iso(slotStart('hourly', at('2026-11-25T00:30:00+01:00')))).toBe('2026-11-24T23:00:00.000Z');
    expect(iso(slotStart('daily', at('2026-11-25T00:30:00+01:00')))).toBe('2026-11-24T00:00:00.000Z');
  });

  it('daily: around midnight', () => {
    expect(iso(slotStart('daily', at('2026-11-24T23:59:59.999Z')))).toBe('2026-11-24T00:00:00.000Z');
    expect(iso(slotStart('daily', at('2026-11-25T00:00:00.000Z')))).toBe('2026-11-25T00:00:00.000Z');
    expect(iso(slotStart('daily', at('2026-11-25T00:00:00.001Z')))).toBe('2026-11-25T00:00:00.000Z');
  });

  it('weekly: Monday 00:00 UTC, Sunday belongs to the week before', () => {
    // 2026-11-23 is a Monday.
    expect(iso(slotStart('weekly', at('2026-11-23T00:00:00.000Z')))).toBe('2026-11-23T00:00:00.000Z');
    expect(iso(slotStart('weekly', at('2026-11-25T12:00:00.000Z')))).toBe('2026-11-23T00:00:00.000Z');
    expect(iso(slotStart('weekly', at('2026-11-29T23:59:59.999Z')))).toBe('2026-11-23T00:00:00.000Z'); // Sunday night
    expect(iso(slotStart('weekly', at('2026-11-30T00:00:00.000Z')))).toBe('2026-11-30T00:00:00.000Z'); // next Monday
  });

  it('weekly: across month and year boundaries', () => {
    // 2027-01-01 is a Friday: its week began on Monday 2026-12-28.
    expect(iso(slotStart('weekly', at('2027-01-01T08:00:00.000Z')))).toBe('2026-12-28T00:00:00.000Z');
    // 2027-01-03 (Sunday) still; 2027-01-04 is the next Monday.
    expect(iso(slotStart('weekly', at('2027-01-03T23:59:59.999Z')))).toBe('2026-12-28T00:00:00.000Z');
    expect(iso(slotStart('weekly', at('2027-01-04T00:00:00.000Z')))).toBe('2027-01-04T00:00:00.000Z');
    // 2026-03-01 is a Sunday: back into February.
    expect(iso(slotStart('weekly', at('2026-03-01T10:00:00.000Z')))).toBe('2026-02-23T00:00:00.000Z');
    // Leap year: 2028-03-01 is a Wednesday, its Monday is 2028-02-28.
    expect(iso(slotStart('weekly', at('2028-03-01T10:00:00.000Z')))).toBe('2028-02-28T00:00:00.000Z');
  });

  it('daily and hourly across the year boundary', () => {
    expect(iso(slotStart('daily', at('2026-12-31T23:59:59.999Z')))).toBe('2026-12-31T00:00:00.000Z');
    expect(iso(slotStart('daily', at('2027-01-01T00:00:00.000Z')))).toBe('2027-01-01T00:00:00.000Z');
    expect(iso(slotStart('hourly', at('2026-12-31T23:59:59.999Z')))).toBe('2026-12-31T23:00:00.000Z');
  });

  it('is idempotent: a slot start is its own slot', () => {
    for (const cadence of ['hourly', 'daily', 'weekly'] as const) {
      for (const t of ['2026-02-28T17:42:00Z', '2024-02-29T05:00:00Z', '2027-01-03T23:00:00Z']) {
        const slot = slotStart(cadence, at(t));
        expect(iso(slotStart(cadence, slot))).toBe(iso(slot));
        expect(slot.getTime()).toBeLessThanOrEqual(at(t).getTime());
      }
    }
  });
});

describe('JobScheduler', () => {
  beforeAll(() => Logger.overrideLogger(false));

  function setUp(now: string) {
    const calls: { name: string; payload: unknown; options: EnqueueOptions | undefined }[] = [];
    const queue = {
      enqueue: async (name: string, payload: unknown, options?: EnqueueOptions) => {
        calls.push({ name, payload, options });
        return { id: String(calls.length), created: true };
      },
    } as unknown as JobQueue;
    const clock: Clock = { now: () => at(now) };
    return { scheduler: new JobScheduler(queue, clock), calls };
  }

  it('enqueues the current slot of each schedule with a slot-unique key, using the clock', async () => {
    const { scheduler, calls } = setUp('2026-11-29T23:15:00Z');
    scheduler.schedule(job('test.weekly'), 'weekly', (slot) => ({ week: slot.toISOString() }) as never);
    scheduler.schedule(job('test.hourly'), 'hourly', () => ({}) as never);
    const results = await scheduler.tick();
    expect(calls).toEqual([
      {
        name: 'test.weekly',
        payload: { week: '2026-11-23T00:00:00.000Z' },
        options: { uniqueKey: 'schedule:test.weekly:2026-11-23T00:00:00.000Z' },
      },
      { name: 'test.hourly', payload: {}, options: { uniqueKey: 'schedule:test.hourly:2026-11-29T23:00:00.000Z' } },
    ]);
    expect(results.map((r) => iso(r.slot))).toEqual(['2026-11-23T00:00:00.000Z', '2026-11-29T23:00:00.000Z']);
  });

  it('takes an explicit time over the clock', async () => {
    const { scheduler, calls } = setUp('2026-11-29T23:15:00Z');
    scheduler.schedule(job('test.daily'), 'daily', () => ({}) as never);
    await scheduler.tick(at('2027-01-01T00:00:01Z'));
    expect(calls[0]!.options).toEqual({ uniqueKey: 'schedule:test.daily:2027-01-01T00:00:00.000Z' });
  });

  it('refuses a second schedule for the same name', () => {
    const { scheduler } = setUp('2026-11-29T23:15:00Z');
    scheduler.schedule(job('test.daily'), 'daily', () => ({}) as never);
    expect(() => scheduler.schedule(job('test.daily'), 'hourly', () => ({}) as never)).toThrow(/already scheduled/);
  });

  it('still enqueues the other schedules when one fails, then reports the failure', async () => {
    const { scheduler, calls } = setUp('2026-11-29T23:15:00Z');
    scheduler.schedule(job('test.broken'), 'daily', () => {
      throw new Error('bad payload');
    });
    scheduler.schedule(job('test.fine'), 'daily', () => ({}) as never);
    await expect(scheduler.tick()).rejects.toThrow(AggregateError);
    expect(calls.map((c) => c.name)).toEqual(['test.fine']);
  });
});
