/**
 * Every job name and its payload, filled in by the libs that own the jobs
 * through declaration merging, so that `enqueue` and `register` check the
 * payload against the name:
 *
 * ```ts
 * declare module '@boardroom/core' {
 *   interface JobPayloads {
 *     'payroll.weekly': { week: string };
 *   }
 * }
 * ```
 *
 * Payloads are stored as jsonb: keep them to plain JSON values (no Date, no
 * bigint, no undefined-only fields).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging
export interface JobPayloads {}

export type JobName = Extract<keyof JobPayloads, string>;

/** What a handler learns about the job it runs besides the payload. */
export interface JobInfo<N extends JobName = JobName> {
  id: string;
  name: N;
  /** 1 on the first run; counts runs cut short by a crashed worker too. */
  attempt: number;
  /** Runs allowed in all: `attempt === maxAttempts` is the last chance to fail gracefully. */
  maxAttempts: number;
}

/**
 * A handler must be idempotent: delivery is at least once (a worker can die
 * after the work committed and before the job is marked done). It opens its own
 * transaction(s) when it needs them; the runner does not wrap it in one.
 */
export type JobHandler<N extends JobName = JobName> = (payload: JobPayloads[N], job: JobInfo<N>) => Promise<void>;

export type JobOutcome = 'done' | 'retry' | 'failed';

/**
 * Hook for metrics: the metrics module provides an implementation with
 * `{ provide: JobObserver, useClass: … }`. An abstract class rather than an
 * interface so that it is its own injection token.
 */
export abstract class JobObserver {
  abstract onJobFinished(name: string, outcome: JobOutcome, seconds: number): void;
}
