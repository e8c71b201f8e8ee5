import { jest } from '@jest/globals';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner.js';
import { JobRunner } from '@boardroom/core';
import type { TestApp } from './test-app.js';

/**
 * The SQL statements the api sends while `work` runs (one request, say): to prove a response costs a
 * fixed number of queries. The app's job runner (jobs, schedules, events consumers, detectors) is
 * stopped meanwhile and started again after, so no background statement falls inside the count;
 * telling them apart by their SQL proved fragile. Statements of `preparedRows` (the award's and the event
 * insert) go to the driver directly and are not counted: count reads with it, not writes.
 */
export async function statementsDuring(app: TestApp, work: () => Promise<unknown>): Promise<string[]> {
  const runner = app.app.get(JobRunner, { strict: false });
  const wasRunning = runner.isRunning;
  await runner.stop();
  const statements: string[] = [];
  const original = PostgresQueryRunner.prototype.query;
  const spy = jest.spyOn(PostgresQueryRunner.prototype, 'query').mockImplementation(function (
    this: PostgresQueryRunner,
    ...args: Parameters<PostgresQueryRunner['query']>
  ) {
    statements.push(args[0]);
    return original.apply(this, args);
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
    if (wasRunning) runner.start();
  }
  return statements;
}
