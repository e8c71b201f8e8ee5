import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { EventConsumer } from '../events/event-consumer.js';
import { EventSubscribers, type EventSubscriber } from '../events/event-subscribers.js';
import { JobRegistry } from './job-registry.js';
import { JobScheduler } from './job-scheduler.js';
import { JobObserver, type JobName, type JobOutcome } from './job-types.js';

export interface JobRunnerOptions {
  /** Back-off after failed attempt n is 2^(n-1) × this (default 1000 ms: 1 s, 2 s, 4 s …). */
  backoffBaseMs?: number;
  /** Cap of the back-off (default one hour). */
  maxBackoffMs?: number;
  /**
   * How often the housekeeping loop ticks the scheduler, renews the leases of
   * this runner's jobs and re-queues jobs of dead workers (default below).
   */
  housekeepingIntervalMs?: number;
  /** Defaults to hostname:pid:random. */
  workerId?: string;
}

/** Optional provider of {@link JobRunnerOptions}, for tests and tuning. */
export const JOB_RUNNER_OPTIONS = Symbol('JOB_RUNNER_OPTIONS');

const MAX_ERROR_LENGTH = 2000;

/** Guarded by worker and attempt: a run whose lease was taken over must not overwrite the newer run. */
const OWNED_BY = `id = $1 AND status = 'running' AND locked_by = $2 AND attempts = $3`;

interface ClaimedJob {
  id: string;
  name: JobName;
  payload: unknown;
  attempts: number;
  max_attempts: number;
}

function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

/**
 * Claims ready jobs (only those this process has handlers for), runs them and
 * records the outcome. Delivery is at least once: a job whose worker dies is
 * run again after its lease expires, so handlers must be idempotent.
 *
 * Not started automatically: entry points call `start()` where jobs should run
 * (the worker; the api when embedded).
 */
@Injectable()
export class JobRunner implements BeforeApplicationShutdown {
  readonly workerId: string;
  private readonly logger = new Logger(JobRunner.name);
  private readonly backoffBaseMs: number;
  private readonly maxBackoffMs: number;
  private readonly housekeepingIntervalMs: number;
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly sleepers = new Set<() => void>();
  /** Ids of the jobs this runner is running now: their leases are renewed. */
  private readonly inFlight = new Set<string>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly registry: JobRegistry,
    private readonly scheduler: JobScheduler,
    @Optional() private readonly observer?: JobObserver,
    @Optional() @Inject(JOB_RUNNER_OPTIONS) options: JobRunnerOptions = {},
    // Optional so that a runner of jobs alone (tests, benchmarks) needs no events module.
    @Optional() private readonly consumer?: EventConsumer,
    @Optional() private readonly subscribers?: EventSubscribers,
  ) {
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.backoffBaseMs = options.backoffBaseMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 3_600_000;
    // 30 s: the finest cadence is an hour, so a slot's job starts at most 30 s
    // late, while ticking on every poll would cost an INSERT per schedule per
    // process per second. A third of the lease keeps renewals well ahead of expiry.
    this.housekeepingIntervalMs =
      options.housekeepingIntervalMs ?? Math.min(30_000, (config.jobs.leaseSeconds * 1000) / 3);
  }

  /** Starts `jobs.concurrency` claiming loops and one housekeeping loop. */
  start(): void {
    if (this.running) return;
    this.running = true;
    for (let i = 0; i < this.config.jobs.concurrency; i++) this.loops.push(this.claimLoop());
    // Its own loop: a claiming loop busy with a long job would starve ticks and lease renewals.
    this.loops.push(this.housekeepingLoop());
    const subscribers = this.activeSubscribers();
    for (const subscriber of subscribers) this.loops.push(this.consumerLoop(subscriber));
    this.logger.log(
      `Worker ${this.workerId} started ${this.config.jobs.concurrency} loop(s) for: ${this.registry.names().join(', ') || '(no handlers)'}` +
        (subscribers.length > 0 ? `; events consumers: ${subscribers.map((s) => s.name).join(', ')}` : ''),
    );
  }

  /** Whether the loops are claiming jobs and feeding consumers (between start() and stop()). */
  get isRunning(): boolean {
    return this.running;
  }

  /** Stops claiming and waits for the jobs being run to finish. */
  async stop(): Promise<void> {
    if (!this.running && this.loops.length === 0) return;
    this.running = false;
    for (const wake of [...this.sleepers]) wake();
    const loops = this.loops;
    this.loops = [];
    await Promise.all(loops);
    this.logger.log(`Worker ${this.workerId} stopped`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Before TypeORM closes the pool (in onApplicationShutdown), so running jobs can finish.
    await this.stop();
  }

  /** Claims and runs one ready job; false when none was ready. */
  async runOnce(): Promise<boolean> {
    const names = this.registry.names();
    if (names.length === 0) return false;
    const job = await this.claim(names);
    if (!job) return false;
    await this.execute(job);
    return true;
  }

  /** Runs ready jobs one after another until none is ready; returns how many ran. */
  async drain(): Promise<number> {
    let count = 0;
    while (await this.runOnce()) count++;
    return count;
  }

  /**
   * Re-queues jobs left `running` by a worker that stopped renewing its lease
   * (crashed, killed, cut off). The lost run counts as an attempt (it was
   * counted when claimed): a job that keeps killing its worker ends `failed`.
   */
  async requeueExpired(): Promise<number> {
    const rows: { id: string; name: string; status: string; attempts: number; seconds: number }[] =
      await this.dataSource.query(
        `WITH expired AS (
           SELECT id, locked_by AS old_worker, locked_at AS old_locked_at FROM jobs
           WHERE status = 'running' AND locked_at < now() - make_interval(secs => $1::float8)
           FOR UPDATE SKIP LOCKED
         ), updated AS (
           UPDATE jobs j SET
             status = CASE WHEN j.attempts < j.max_attempts THEN 'queued' ELSE 'failed' END,
             run_at = CASE WHEN j.attempts < j.max_attempts THEN now() ELSE j.run_at END,
             finished_at = CASE WHEN j.attempts < j.max_attempts THEN NULL ELSE now() END,
             locked_by = CASE WHEN j.attempts < j.max_attempts THEN NULL ELSE j.locked_by END,
             locked_at = CASE WHEN j.attempts < j.max_attempts THEN NULL ELSE j.locked_at END,
             last_error = 'lease expired during attempt ' || j.attempts
               || ' (worker ' || coalesce(e.old_worker, '?') || ' stopped renewing it)'
           FROM expired e WHERE j.id = e.id
           RETURNING j.id, j.name, j.status, j.attempts,
             extract(epoch FROM now() - e.old_locked_at)::float8 AS seconds
         )
         SELECT * FROM updated`,
        [this.config.jobs.leaseSeconds],
      );
    for (const row of rows) {
      const outcome: JobOutcome = row.status === 'queued' ? 'retry' : 'failed';
      const line = `Job ${row.id} (${row.name}) attempt ${row.attempts}: lease expired${outcome === 'retry' ? ', re-queued' : ', no attempts left'}`;
      if (outcome === 'retry') this.logger.warn(line);
      else this.logger.error(line);
      this.observe(row.name, outcome, row.seconds);
    }
    return rows.length;
  }

  private async claim(names: string[]): Promise<ClaimedJob | undefined> {
    // One statement, so no transaction stays open; SKIP LOCKED lets
    // concurrent claimers pass each other instead of queueing on one row.
    const rows: ClaimedJob[] = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $1, locked_at = now()
         WHERE id = (
           SELECT id FROM jobs
           WHERE status = 'queued' AND run_at <= now() AND name = ANY($2::text[])
           ORDER BY run_at, id
           LIMIT 1
           FOR UPDATE SKIP LOCKED
         )
         RETURNING id, name, payload, attempts, max_attempts
       )
       SELECT * FROM claimed`,
      [this.workerId, names],
    );
    const row = rows[0];
    return row ? { ...row, id: String(row.id) } : undefined;
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const handler = this.registry.handlerFor(job.name);
    const started = performance.now();
    this.inFlight.add(job.id);
    let failure: { error: unknown } | undefined;
    try {
      if (!handler) throw new Error(`No handler registered for job "${job.name}"`);
      // Deliberately outside any transaction: the handler opens its own.
      await handler(job.payload as never, {
        id: job.id,
        name: job.name,
        attempt: job.attempts,
        maxAttempts: job.max_attempts,
      });
    } catch (error) {
      failure = { error };
    } finally {
      this.inFlight.delete(job.id);
    }
    const seconds = (performance.now() - started) / 1000;
    // If recording the outcome fails (database gone), the error reaches the loop;
    // the job stays `running` and is retried once its lease expires.
    if (failure) await this.recordFailure(job, failure.error, seconds);
    else await this.recordDone(job, seconds);
  }

  private async recordDone(job: ClaimedJob, seconds: number): Promise<void> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH u AS (UPDATE jobs SET status = 'done', finished_at = now() WHERE ${OWNED_BY} RETURNING id)
       SELECT id FROM u`,
      [job.id, this.workerId, job.attempts],
    );
    if (rows.length === 0) return this.lostLease(job);
    this.observe(job.name, 'done', seconds);
  }

  private async recordFailure(job: ClaimedJob, error: unknown, seconds: number): Promise<void> {
    const message = errorMessage(error);
    const backoffMs = Math.min(this.backoffBaseMs * 2 ** (job.attempts - 1), this.maxBackoffMs);
    const [row]: { status: string }[] = await this.dataSource.query(
      `WITH u AS (
         UPDATE jobs SET
           status = CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END,
           run_at = CASE WHEN attempts < max_attempts
                      THEN now() + make_interval(secs => $4::float8 / 1000) ELSE run_at END,
           finished_at = CASE WHEN attempts < max_attempts THEN NULL ELSE now() END,
           locked_by = CASE WHEN attempts < max_attempts THEN NULL ELSE locked_by END,
           locked_at = CASE WHEN attempts < max_attempts THEN NULL ELSE locked_at END,
           last_error = $5
         WHERE ${OWNED_BY}
         RETURNING status)
       SELECT status FROM u`,
      [job.id, this.workerId, job.attempts, backoffMs, message],
    );
    if (!row) {
      this.logger.warn(`Job ${job.id} (${job.name}) attempt ${job.attempts} failed: ${message}`);
      this.lostLease(job);
      return;
    }
    const outcome: JobOutcome = row.status === 'queued' ? 'retry' : 'failed';
    if (outcome === 'retry') {
      this.logger.warn(
        `Job ${job.id} (${job.name}) attempt ${job.attempts}/${job.max_attempts} failed, retry in ${backoffMs} ms: ${message}`,
      );
    } else {
      this.logger.error(
        `Job ${job.id} (${job.name}) failed for good after attempt ${job.attempts}/${job.max_attempts}: ${message}`,
        error instanceof Error ? error.stack : undefined,
      );
    }
    this.observe(job.name, outcome, seconds);
  }

  private lostLease(job: ClaimedJob): void {
    this.logger.warn(
      `Job ${job.id} (${job.name}) attempt ${job.attempts}: lease was lost before it finished (another run took over); outcome not recorded`,
    );
  }

  private observe(name: string, outcome: JobOutcome, seconds: number): void {
    try {
      this.observer?.onJobFinished(name, outcome, seconds);
    } catch (error) {
      this.logger.warn(`Job observer failed: ${errorMessage(error)}`);
    }
  }

  private async claimLoop(): Promise<void> {
    while (this.running) {
      let worked = false;
      try {
        worked = await this.runOnce();
      } catch (error) {
        this.logger.error(`Claiming or recording a job failed: ${errorMessage(error)}`);
      }
      if (!worked && this.running) await this.sleep(this.config.jobs.pollIntervalMs);
    }
  }

  private activeSubscribers(): EventSubscriber[] {
    const paused = new Set(this.config.jobs.pausedConsumers);
    return (this.subscribers?.all() ?? []).filter((subscriber) => !paused.has(subscriber.name));
  }

  /** Feeds one consumer its batches, resting a poll interval whenever it has caught up (or failed). */
  private async consumerLoop(subscriber: EventSubscriber): Promise<void> {
    const batchSize = subscriber.batchSize ?? 500;
    while (this.running) {
      let handled = 0;
      try {
        handled = await this.consumer!.consumeBatch(subscriber.name, subscriber.handle, batchSize);
      } catch (error) {
        this.logger.error(
          `Events consumer ${subscriber.name} failed (it retries from its position): ${errorMessage(error)}`,
        );
      }
      if (handled < batchSize && this.running) await this.sleep(this.config.jobs.pollIntervalMs);
    }
  }

  /** Runs every events consumer until it has caught up; returns how many events they handled. */
  async drainConsumers(): Promise<number> {
    let handled = 0;
    for (const subscriber of this.activeSubscribers()) {
      handled += await this.consumer!.consumeAll(subscriber.name, subscriber.handle, subscriber.batchSize);
    }
    return handled;
  }

  private async housekeepingLoop(): Promise<void> {
    while (this.running) {
      await this.housekeeping();
      if (this.running) await this.sleep(this.housekeepingIntervalMs);
    }
  }

  /** One round of lease renewal, dead-worker recovery and scheduling; each step survives the others' failures. */
  async housekeeping(): Promise<void> {
    const steps: [string, () => Promise<unknown>][] = [
      ['renewing leases', () => this.renewLeases()],
      ['re-queueing expired jobs', () => this.requeueExpired()],
      ['ticking the scheduler', () => this.scheduler.tick()],
    ];
    for (const [what, step] of steps) {
      try {
        await step();
      } catch (error) {
        this.logger.error(`Job housekeeping: ${what} failed: ${errorMessage(error)}`);
      }
    }
  }

  private async renewLeases(): Promise<void> {
    if (this.inFlight.size === 0) return;
    await this.dataSource.query(
      `UPDATE jobs SET locked_at = now() WHERE status = 'running' AND locked_by = $1 AND id = ANY($2::bigint[])`,
      [this.workerId, [...this.inFlight]],
    );
  }

  /** Waits `ms`, or less when stop() is called. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}
