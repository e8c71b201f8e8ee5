import { jest } from '@jest/globals';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner.js';

/**
 * The SQL statements the api sends while `work` runs (one request, say), without the job runner's
 * polling of `jobs` and the events consumers' batches that go on meanwhile: to prove a response costs a
 * fixed number of queries. The authenticity detectors' hourly job counts as background too (its batches are
 * an events consumer's; its version check and stale-flag sweep touch only its own tables).
 */
export async function statementsDuring(work: () => Promise<unknown>): Promise<string[]> {
  const statements: { sql: string; runner: PostgresQueryRunner }[] = [];
  const original = PostgresQueryRunner.prototype.query;
  const spy = jest.spyOn(PostgresQueryRunner.prototype, 'query').mockImplementation(function (
    this: PostgresQueryRunner,
    ...args: Parameters<PostgresQueryRunner['query']>
  ) {
    statements.push({ sql: args[0], runner: this });
    return original.apply(this, args);
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  // An events consumer's batch is a transaction of its own (its own query runner): all of it goes.
  const background = new Set(
    statements
      .filter(({ sql }) => /event_consumers|'event-consumer'|\bdetector_runs\b|\bflags\b|\bflag_clusters\b/.test(sql))
      .map(({ runner }) => runner),
  );
  return statements.filter(({ sql, runner }) => !background.has(runner) && !/\bjobs\b/.test(sql)).map(({ sql }) => sql);
}
