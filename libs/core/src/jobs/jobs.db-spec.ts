import { Logger, type LoggerService } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, SystemClock } from '../clock/clock.js';
import { loadConfig } from '../config/app-config.js';
import { dataSourceOptions } from '../database/data-source.js';
import { inTransaction } from '../database/transaction.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { JobQueue } from './job-queue.js';
import { JobRegistry } from './job-registry.js';
import { JobRunner, type JobRunnerOptions } from './job-runner.js';
import { JobScheduler } from './job-scheduler.js';
import type { JobObserver } from './job-types.js';

// The jobs of these tests, declared the way a lib declares its own (and a
// check that declaration merging through '@boardroom/core' reaches JobPayloads).
declare module '@boardroom/core' {
  interface JobPayloads {
    'test.jobs.flaky': { key: string };
    'test.jobs.broken': { reason: string };
    'test.jobs.hourly': { slot: string };
    'test.jobs.count': { n: number };
    'test.jobs.stuck': { label: string };
    'test.jobs.slow': { label: string };
  }
}

const config = loadConfig({ JOBS_CONCURRENCY: '3', JOBS_POLL_INTERVAL_MS: '20', JOBS_LEASE_SECONDS: '60' });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class FakeClock extends Clock {
  constructor(private current: Date) {
    super();
  }
  now(): Date {
    return this.current;
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

/** Log lines by level, to check what an operator would see. */
class CapturingLogger implements LoggerService {
  readonly lines: { level: string; message: string }[] = [];
  log(message: unknown): void {
    this.lines.push({ level: 'log', message: String(message) });
  }
  warn(message: unknown): void {
    this.lines.push({ level: 'warn', message: String(message) });
  }
  error(message: unknown): void {
    this.lines.push({ level: 'error', message: String(message) });
  }
  about(jobId: string): { level: string; message: string }[] {
    return this.lines.filter((l) => l.message.startsWith(`Job ${jobId} `));
  }
}

/**
 * A DataSource of its own, standing for one process. pg's client-side
 * query_timeout because PGlite ignores statement_timeout: a query stuck behind
 * another connection's transaction fails the test instead of hanging it.
 */
function openProcess(url: string, applicationName: string, poolSize: number): DataSource {
  const options = dataSourceOptions({ url, poolSize, applicationName });
  return new DataSource({ ...options, extra: { ...options.extra, query_timeout: 20_000 } });
}

interface JobRow {
  id: string;
  name: string;
  status: string;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  locked_by: string | null;
  finished_at: Date | null;
  due_in_ms: number;
}

describe('jobs (queue, runner, scheduler)', () => {
  let database: TestDatabase;
  let dsA: DataSource;
  let dsB: DataSource;
  const logger = new CapturingLogger();
  const started: JobRunner[] = [];

  beforeAll(async () => {
    Logger.overrideLogger(logger);
    database = await createTestDatabase();
    // Two "processes", each with its own pool: real concurrency on a server;
    // on PGlite the socket server serves one connection's statements at a time.
    dsA = openProcess(database.url, 'test-jobs-a', 4);
    dsB = openProcess(database.url, 'test-jobs-b', 4);
    await Promise.all([dsA.initialize(), dsB.initialize()]);
    await dsA.query(`CREATE TABLE job_test_effects (job_id bigint NOT NULL, attempt int NOT NULL, worker text)`);
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    await Promise.allSettled([dsA, dsB].filter(Boolean).map((ds) => ds.destroy()));
    await database?.close();
  });

  /** One process's queue, registry, scheduler and runner on `dataSource`. */
  function worker(dataSource: DataSource, options: JobRunnerOptions & { clock?: Clock } = {}) {
    const { clock = new SystemClock(), ...runnerOptions } = options;
    const queue = new JobQueue(dataSource);
    const registry = new JobRegistry();
    const scheduler = new JobScheduler(queue, clock);
    const outcomes: string[] = [];
    const observer: JobObserver = { onJobFinished: (name, outcome) => void outcomes.push(`${name}:${outcome}`) };
    const runner = new JobRunner(dataSource, config, registry, scheduler, observer, {
      backoffBaseMs: 10,
      ...runnerOptions,
    });
    return {
      queue,
      registry,
      scheduler,
      runner,
      outcomes,
      start: () => {
        started.push(runner);
        runner.start();
      },
    };
  }

  async function jobRow(id: string): Promise<JobRow> {
    const rows: JobRow[] = await dsA.query(
      `SELECT id::text, name, status, attempts, max_attempts, last_error, locked_by, finished_at,
              (extract(epoch FROM run_at - now()) * 1000)::float8 AS due_in_ms
       FROM jobs WHERE id = $1`,
      [id],
    );
    if (!rows[0]) throw new Error(`no job ${id}`);
    return rows[0];
  }

  async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(15);
    }
  }

  /** Runs ready jobs (waiting out back-offs) until job `id` is done or failed. */
  function settle(runner: JobRunner, id: string): Promise<JobRow> {
    return eventually(async () => {
      await runner.runOnce(); // one at a time, so the deadline is checked between runs
      const row = await jobRow(id);
      return row.status === 'done' || row.status === 'failed' ? row : undefined;
    }, `job ${id} to finish`);
  }

  it('retries a failing job with back-off; its side effect lands once', async () => {
    const { queue, registry, runner, outcomes } = worker(dsA, { backoffBaseMs: 300 });
    let calls = 0;
    registry.register('test.jobs.flaky', async (payload, job) => {
      calls++;
      expect(payload).toEqual({ key: 'a' });
      // The handler's own transaction: the failed attempts' writes roll back with them.
      await inTransaction(dsA, async (m) => {
        await m.query(`INSERT INTO job_test_effects (job_id, attempt) VALUES ($1, $2)`, [job.id, job.attempt]);
        if (job.attempt < 3) throw new Error(`flaky failure ${job.attempt}`);
      });
    });
    const { id, created } = await queue.enqueue('test.jobs.flaky', { key: 'a' });
    expect(created).toBe(true);

    expect(await runner.runOnce()).toBe(true);
    let row = await jobRow(id);
    expect(row).toMatchObject({ status: 'queued', attempts: 1, last_error: 'flaky failure 1', locked_by: null });
    // 2^0 × 300 ms from the failure.
    expect(row.due_in_ms).toBeGreaterThan(150);
    expect(row.due_in_ms).toBeLessThanOrEqual(300);
    expect(await runner.runOnce()).toBe(false); // not due yet

    await eventually(async () => ((await runner.runOnce()) ? true : undefined), 'attempt 2');
    row = await jobRow(id);
    expect(row).toMatchObject({ status: 'queued', attempts: 2, last_error: 'flaky failure 2' });
    // 2^1 × 300 ms.
    expect(row.due_in_ms).toBeGreaterThan(450);
    expect(row.due_in_ms).toBeLessThanOrEqual(600);

    row = await settle(runner, id);
    expect(row).toMatchObject({ status: 'done', attempts: 3 });
    expect(row.finished_at).toBeInstanceOf(Date);
    expect(calls).toBe(3);
    const effects: { attempt: number }[] = await dsA.query(`SELECT attempt FROM job_test_effects WHERE job_id = $1`, [
      id,
    ]);
    expect(effects).toEqual([{ attempt: 3 }]);
    expect(outcomes).toEqual(['test.jobs.flaky:retry', 'test.jobs.flaky:retry', 'test.jobs.flaky:done']);
    expect(logger.about(id).map((l) => l.level)).toEqual(['warn', 'warn']);
    expect(logger.about(id)[0]!.message).toMatch(/test\.jobs\.flaky.*attempt 1\/5.*flaky failure 1/);
  });

  it('marks a job that always fails as failed after max_attempts, with the last error', async () => {
    const { queue, registry, runner, outcomes } = worker(dsA);
    let calls = 0;
    registry.register('test.jobs.broken', async (payload) => {
      calls++;
      throw new Error(`always broken: ${payload.reason}`);
    });
    const { id } = await queue.enqueue('test.jobs.broken', { reason: 'x'.repeat(5000) }, { maxAttempts: 3 });

    const row = await settle(runner, id);
    expect(row).toMatchObject({ status: 'failed', attempts: 3, max_attempts: 3 });
    expect(row.finished_at).toBeInstanceOf(Date);
    expect(row.last_error).toMatch(/^always broken: x+…$/);
    expect(row.last_error!.length).toBe(2000); // truncated
    expect(calls).toBe(3);
    expect(outcomes).toEqual(['test.jobs.broken:retry', 'test.jobs.broken:retry', 'test.jobs.broken:failed']);
    const lines = logger.about(id);
    expect(lines.map((l) => l.level)).toEqual(['warn', 'warn', 'error']);
    expect(lines[2]!.message).toMatch(/failed for good after attempt 3\/3/);
    // Nothing runs it again.
    expect(await runner.drain()).toBe(0);
  });

  it('runs a scheduled job once per slot when two processes tick and drain', async () => {
    const clock = new FakeClock(new Date('2026-11-24T10:05:00Z'));
    const processes = [worker(dsA, { clock }), worker(dsB, { clock })];
    const executions: string[] = [];
    for (const p of processes) {
      p.scheduler.schedule('test.jobs.hourly', 'hourly', (slot) => ({ slot: slot.toISOString() }));
      p.registry.register('test.jobs.hourly', async (payload) => {
        executions.push(payload.slot);
        await sleep(20);
      });
    }
    const rows = (): Promise<{ unique_key: string; status: string }[]> =>
      dsA.query(`SELECT unique_key, status FROM jobs WHERE name = 'test.jobs.hourly' ORDER BY id`);

    const [a, b] = await Promise.all(processes.map((p) => p.scheduler.tick()));
    expect([a![0]!.created, b![0]!.created].sort()).toEqual([false, true]);
    expect(a![0]!.id).toBe(b![0]!.id);
    await Promise.all(processes.map((p) => p.runner.drain()));
    expect(executions).toEqual(['2026-11-24T10:00:00.000Z']);

    // Later in the same slot, through the runners' housekeeping: nothing new.
    clock.set('2026-11-24T10:59:59.999Z');
    await Promise.all(processes.map((p) => p.runner.housekeeping()));
    await Promise.all(processes.map((p) => p.runner.drain()));
    expect(executions).toHaveLength(1);

    // The next slot: one more.
    clock.set('2026-11-24T11:00:00Z');
    await Promise.all(processes.map((p) => p.runner.housekeeping()));
    await Promise.all(processes.map((p) => p.runner.drain()));
    expect(executions).toEqual(['2026-11-24T10:00:00.000Z', '2026-11-24T11:00:00.000Z']);
    expect(await rows()).toEqual([
      { unique_key: 'schedule:test.jobs.hourly:2026-11-24T10:00:00.000Z', status: 'done' },
      { unique_key: 'schedule:test.jobs.hourly:2026-11-24T11:00:00.000Z', status: 'done' },
    ]);
  });

  it("enqueues inside the caller's transaction: nothing after a rollback, once after a commit", async () => {
    const { queue } = worker(dsA);
    const count = async (key: string): Promise<number> =>
      (await dsA.query(`SELECT count(*)::int AS n FROM jobs WHERE unique_key = $1`, [key]))[0].n;

    await expect(
      inTransaction(dsA, async (m) => {
        await queue.enqueue('test.jobs.count', { n: 1 }, { manager: m, uniqueKey: 'tx-rolled-back' });
        throw new Error('caller failed');
      }),
    ).rejects.toThrow('caller failed');
    expect(await count('tx-rolled-back')).toBe(0);

    const first = await inTransaction(dsA, (m) =>
      queue.enqueue('test.jobs.count', { n: 2 }, { manager: m, uniqueKey: 'tx-committed' }),
    );
    expect(first.created).toBe(true);
    expect(await count('tx-committed')).toBe(1);
    // The same key again (from the other process): the existing job.
    const again = await worker(dsB).queue.enqueue('test.jobs.count', { n: 3 }, { uniqueKey: 'tx-committed' });
    expect(again).toEqual({ id: first.id, created: false });
    expect(await count('tx-committed')).toBe(1);
    await dsA.query(`DELETE FROM jobs WHERE unique_key = 'tx-committed'`); // not for the next tests' runners
  });

  it('runs each of 20 jobs exactly once with two runners draining concurrently (four claimers each)', async () => {
    const processes = [worker(dsA), worker(dsB)];
    const runs = new Map<string, number>();
    processes.forEach((p, index) =>
      p.registry.register('test.jobs.count', async (_payload, job) => {
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        await inTransaction(index === 0 ? dsA : dsB, (m) =>
          m.query(`INSERT INTO job_test_effects (job_id, attempt, worker) VALUES ($1, $2, $3)`, [
            job.id,
            job.attempt,
            `runner-${index}`,
          ]),
        );
      }),
    );
    if (database.server) {
      // Open every pooled connection first: claims waiting for a new connection would be staggered.
      await Promise.all([dsA, dsB].flatMap((ds) => [1, 2, 3, 4].map(() => ds.query(`SELECT pg_sleep(0.05)`))));
    }
    const ids: string[] = [];
    for (let n = 0; n < 20; n++) ids.push((await processes[0]!.queue.enqueue('test.jobs.count', { n })).id);

    // Four claimers per process at once, so that claims really collide on a server.
    const counts = await Promise.all(
      processes.map(async (p) => (await Promise.all([1, 2, 3, 4].map(() => p.runner.drain()))).reduce((x, y) => x + y)),
    );
    expect(counts[0]! + counts[1]!).toBe(20);
    // Both took part, or this test proved nothing about concurrent claims.
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]).toBeGreaterThan(0);
    expect([...runs.keys()].sort()).toEqual([...ids].sort());
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    const rows: { status: string; attempts: number; effects: number }[] = await dsA.query(
      `SELECT j.status, j.attempts, (SELECT count(*)::int FROM job_test_effects e WHERE e.job_id = j.id) AS effects
       FROM jobs j WHERE j.id = ANY($1::bigint[])`,
      [ids],
    );
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.status === 'done' && r.attempts === 1 && r.effects === 1)).toBe(true);
  });

  it('runs jobs with started loops in two processes, and stop() waits for the running handler', async () => {
    const processes = [worker(dsA), worker(dsB)];
    const runs = new Map<string, number>();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let slowStarted = false;
    for (const p of processes) {
      p.registry.register('test.jobs.count', async (_payload, job) => {
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        await sleep(3);
      });
      p.registry.register('test.jobs.slow', async () => {
        slowStarted = true;
        await gate;
      });
    }
    processes.forEach((p) => p.start());
    const ids: string[] = [];
    for (let n = 0; n < 20; n++) ids.push((await processes[0]!.queue.enqueue('test.jobs.count', { n })).id);
    await eventually(async () => (ids.every((id) => runs.has(id)) ? true : undefined), 'all 20 jobs');
    expect([...runs.values()].every((n) => n === 1)).toBe(true);

    const slow = await processes[0]!.queue.enqueue('test.jobs.slow', { label: 'graceful' });
    await eventually(async () => (slowStarted ? true : undefined), 'the slow job to start');
    let stopped = false;
    const stopping = Promise.all(processes.map((p) => p.runner.stop())).then(() => (stopped = true));
    await sleep(100);
    expect(stopped).toBe(false); // still waiting for the handler
    release();
    await stopping;
    expect((await jobRow(slow.id)).status).toBe('done');
  });

  it('re-queues a job stuck in running past its lease (a dead worker) and runs it', async () => {
    const { registry, runner, outcomes } = worker(dsB);
    const ran: string[] = [];
    registry.register('test.jobs.stuck', async (payload, job) => void ran.push(`${payload.label}:${job.attempt}`));
    const insert = async (label: string, attempts: number, maxAttempts: number, lockedAgo: string): Promise<string> =>
      (
        await dsA.query(
          `INSERT INTO jobs (name, payload, status, attempts, max_attempts, locked_by, locked_at)
           VALUES ('test.jobs.stuck', $1::jsonb, 'running', $2, $3, 'dead-host:1:abc', now() - $4::interval)
           RETURNING id::text`,
          [JSON.stringify({ label }), attempts, maxAttempts, lockedAgo],
        )
      )[0].id;
    const stuck = await insert('stuck', 1, 5, '2 hours');
    const live = await insert('live', 1, 5, '5 seconds'); // within the 60 s lease: its worker is alive
    const exhausted = await insert('exhausted', 2, 2, '2 hours');

    expect(await runner.requeueExpired()).toBe(2);
    expect(await jobRow(stuck)).toMatchObject({ status: 'queued', attempts: 1, locked_by: null });
    expect((await jobRow(stuck)).last_error).toMatch(/lease expired during attempt 1 \(worker dead-host:1:abc/);
    expect(await jobRow(live)).toMatchObject({ status: 'running', locked_by: 'dead-host:1:abc' });
    const failed = await jobRow(exhausted);
    expect(failed).toMatchObject({ status: 'failed', attempts: 2 });
    expect(failed.last_error).toMatch(/lease expired during attempt 2/);

    expect(await runner.drain()).toBe(1);
    expect(ran).toEqual(['stuck:2']); // the lost run counted as attempt 1
    expect(await jobRow(stuck)).toMatchObject({ status: 'done', attempts: 2 });
    expect(outcomes.sort()).toEqual(['test.jobs.stuck:done', 'test.jobs.stuck:failed', 'test.jobs.stuck:retry']);
    await dsA.query(`DELETE FROM jobs WHERE id = $1`, [live]); // not for the next tests
  });

  it('keeps renewing the lease of a job that runs longer than the lease', async () => {
    const shortLease = loadConfig({ JOBS_CONCURRENCY: '1', JOBS_POLL_INTERVAL_MS: '20', JOBS_LEASE_SECONDS: '1' });
    const registry = new JobRegistry();
    const queue = new JobQueue(dsA);
    const runner = new JobRunner(dsA, shortLease, registry, new JobScheduler(queue, new SystemClock()), undefined, {
      housekeepingIntervalMs: 200,
    });
    const other = new JobRunner(
      dsB,
      shortLease,
      new JobRegistry(),
      new JobScheduler(new JobQueue(dsB), new SystemClock()),
    );
    let runsOfSlow = 0;
    registry.register('test.jobs.slow', async () => {
      runsOfSlow++;
      await sleep(2500);
    });
    const { id } = await queue.enqueue('test.jobs.slow', { label: 'long' });
    started.push(runner);
    runner.start();
    await eventually(async () => (runsOfSlow > 0 ? true : undefined), 'the slow job to start');
    // Another process looks for dead workers' jobs all along: this one is alive.
    const deadline = Date.now() + 2000;
    while (Date.now() < deadline) {
      expect(await other.requeueExpired()).toBe(0);
      await sleep(100);
    }
    await eventually(async () => ((await jobRow(id)).status === 'done' ? true : undefined), 'the slow job to finish');
    expect(runsOfSlow).toBe(1);
    expect((await jobRow(id)).attempts).toBe(1);
  });

  it('does not let a run whose lease was taken over overwrite the newer run', async () => {
    const a = worker(dsA);
    const b = worker(dsB);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const attempts: number[] = [];
    a.registry.register('test.jobs.stuck', async (_payload, job) => {
      attempts.push(job.attempt);
      await gate; // a worker that hangs (cut off) rather than dies
    });
    b.registry.register('test.jobs.stuck', async (_payload, job) => void attempts.push(job.attempt));
    const { id } = await a.queue.enqueue('test.jobs.stuck', { label: 'taken-over' });
    const runningA = a.runner.runOnce();
    await eventually(async () => (attempts.length === 1 ? true : undefined), 'the first run to start');
    // Its lease expires: process B re-queues and runs it.
    await dsA.query(`UPDATE jobs SET locked_at = now() - interval '2 hours' WHERE id = $1`, [id]);
    expect(await b.runner.requeueExpired()).toBe(1);
    expect(await b.runner.drain()).toBe(1);
    release();
    await runningA;
    expect(attempts).toEqual([1, 2]);
    const row = await jobRow(id);
    expect(row).toMatchObject({ status: 'done', attempts: 2, locked_by: b.runner.workerId });
    expect(a.outcomes).toEqual([]); // the stale run reports nothing
    expect(logger.about(id).some((l) => /lease was lost/.test(l.message))).toBe(true);
  });
});
