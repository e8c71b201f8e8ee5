import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../clock/clock.js';
import { JobQueue, type EnqueueResult } from './job-queue.js';
import type { JobName, JobPayloads } from './job-types.js';
import { slotStart, type Cadence } from './slot-start.js';

interface Schedule {
  name: JobName;
  cadence: Cadence;
  payloadForSlot: (slotStart: Date) => unknown;
}

export interface ScheduledEnqueue extends EnqueueResult {
  name: JobName;
  slot: Date;
}

/**
 * Recurring jobs declared in code. Every process may tick: the job of a slot
 * carries the unique key `schedule:<name>:<slot start ISO>`, so however many
 * ticks race, the slot's job is inserted once. Only the current slot is
 * enqueued; a slot during which nothing ticked is skipped, so a job that must
 * not miss one (payroll) catches up from its own records, not from the queue.
 */
@Injectable()
export class JobScheduler {
  private readonly logger = new Logger(JobScheduler.name);
  private readonly schedules = new Map<string, Schedule>();

  constructor(
    private readonly queue: JobQueue,
    private readonly clock: Clock,
  ) {}

  schedule<N extends JobName>(name: N, cadence: Cadence, payloadForSlot: (slotStart: Date) => JobPayloads[N]): void {
    // The unique key has no cadence in it: two schedules of one name would share slots.
    if (this.schedules.has(name)) throw new Error(`Job "${name}" is already scheduled`);
    this.schedules.set(name, { name, cadence, payloadForSlot });
  }

  /** Enqueues the current slot's job of every schedule (a no-op for slots already enqueued). */
  async tick(now: Date = this.clock.now()): Promise<ScheduledEnqueue[]> {
    const results: ScheduledEnqueue[] = [];
    const errors: unknown[] = [];
    for (const s of this.schedules.values()) {
      try {
        const slot = slotStart(s.cadence, now);
        const result = await this.queue.enqueue(s.name, s.payloadForSlot(slot) as JobPayloads[JobName], {
          uniqueKey: `schedule:${s.name}:${slot.toISOString()}`,
        });
        if (result.created) this.logger.log(`Scheduled ${s.name} for slot ${slot.toISOString()} (job ${result.id})`);
        results.push({ ...result, name: s.name, slot });
      } catch (error) {
        // One broken schedule must not keep the others from their slots.
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, `${errors.length} schedule(s) failed to enqueue`);
    return results;
  }
}
