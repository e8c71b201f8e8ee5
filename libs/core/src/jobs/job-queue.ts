/**
 * A small job queue of our own in the `jobs` table, instead of pg-boss:
 * - its schema stays under our hand-written migrations;
 * - a job can be enqueued inside the caller's transaction (`manager`), so it
 *   exists exactly when the change that asked for it committed;
 * - scheduled slots come from our injectable `Clock` (see JobScheduler);
 * - no second connection pool, which matters on embedded PGlite.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { JobName, JobPayloads } from './job-types.js';

export interface EnqueueOptions {
  /** Insert within this transaction: the job commits or rolls back with it. */
  manager?: EntityManager;
  /** Not before this time (default: now, by the database's clock). */
  runAt?: Date;
  /**
   * At most one job ever with this key (the row is kept after it finishes):
   * a second enqueue returns the first job's id with `created: false`.
   */
  uniqueKey?: string;
  /** Runs in all, including the first (the table's default is 5). */
  maxAttempts?: number;
}

export interface EnqueueResult {
  id: string;
  created: boolean;
}

@Injectable()
export class JobQueue {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: EnqueueOptions = {},
  ): Promise<EnqueueResult> {
    if (options.maxAttempts !== undefined && !(Number.isInteger(options.maxAttempts) && options.maxAttempts > 0)) {
      throw new RangeError(`maxAttempts must be a positive integer, got ${options.maxAttempts}`);
    }
    const runner = options.manager ?? this.dataSource.manager;
    // Only the columns given, so the table's defaults stay the one source of defaults.
    const columns = ['name', 'payload'];
    const values: unknown[] = [name, JSON.stringify(payload ?? {})];
    const casts = ['', '::jsonb'];
    if (options.runAt) {
      columns.push('run_at');
      values.push(options.runAt.toISOString());
      casts.push('::timestamptz');
    }
    if (options.uniqueKey !== undefined) {
      columns.push('unique_key');
      values.push(options.uniqueKey);
      casts.push('');
    }
    if (options.maxAttempts !== undefined) {
      columns.push('max_attempts');
      values.push(options.maxAttempts);
      casts.push('::int');
    }
    const placeholders = values.map((_, i) => `$${i + 1}${casts[i]}`).join(', ');
    const insert = `INSERT INTO jobs (${columns.join(', ')}) VALUES (${placeholders})`;

    if (options.uniqueKey === undefined) {
      const [row]: { id: string }[] = await runner.query(`${insert} RETURNING id`, values);
      if (!row) throw new Error(`Enqueueing job "${name}" returned no row`);
      return { id: String(row.id), created: true };
    }

    // ON CONFLICT waits for a competing uncommitted insert of the same key and
    // then does nothing; the SELECT (a new snapshot under READ COMMITTED) then
    // sees that row. Loop in case the row vanished in between (pruned).
    for (let round = 0; round < 3; round++) {
      const [inserted]: { id: string }[] = await runner.query(
        `${insert} ON CONFLICT (unique_key) DO NOTHING RETURNING id`,
        values,
      );
      if (inserted) return { id: String(inserted.id), created: true };
      const [existing]: { id: string }[] = await runner.query(`SELECT id FROM jobs WHERE unique_key = $1`, [
        options.uniqueKey,
      ]);
      if (existing) return { id: String(existing.id), created: false };
    }
    throw new Error(
      `Job with unique key ${options.uniqueKey} conflicts but cannot be seen (a REPEATABLE READ or SERIALIZABLE caller transaction?)`,
    );
  }
}
