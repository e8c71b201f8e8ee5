import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { AppConfig, loadConfig } from '../config/app-config.js';
import { JobQueue } from './job-queue.js';
import { JobRegistry } from './job-registry.js';
import { JOB_RUNNER_OPTIONS, JobRunner } from './job-runner.js';
import { JobScheduler } from './job-scheduler.js';
import { JobObserver } from './job-types.js';
import { JobsModule } from './jobs.module.js';

/** Stands in for DatabaseModule and AppConfigModule: the globals JobsModule expects. */
@Global()
@Module({
  providers: [
    { provide: DataSource, useValue: { query: async () => [] } },
    { provide: AppConfig, useValue: loadConfig({}) },
  ],
  exports: [DataSource, AppConfig],
})
class FakeGlobals {}

describe('JobsModule', () => {
  it('wires queue, registry, scheduler, runner and a system clock; the runner is not started', async () => {
    const app = await Test.createTestingModule({ imports: [FakeGlobals, JobsModule] }).compile();
    try {
      for (const token of [JobQueue, JobRegistry, JobScheduler, JobRunner])
        expect(app.get(token)).toBeInstanceOf(token);
      expect(app.get(Clock).now()).toBeInstanceOf(Date);
      expect(app.get(JobRunner).workerId).toMatch(/^.+:\d+:[0-9a-f]{6}$/);
    } finally {
      await app.close();
    }
  });

  it('uses an observer and runner options when provided', async () => {
    const finished: string[] = [];
    @Global()
    @Module({
      providers: [
        { provide: JobObserver, useValue: { onJobFinished: (name: string) => void finished.push(name) } },
        { provide: JOB_RUNNER_OPTIONS, useValue: { workerId: 'test-worker' } },
      ],
      exports: [JobObserver, JOB_RUNNER_OPTIONS],
    })
    class Extras {}
    const app = await Test.createTestingModule({ imports: [FakeGlobals, Extras, JobsModule] }).compile();
    try {
      const runner = app.get(JobRunner);
      expect(runner.workerId).toBe('test-worker');
      // The observer is the one provided (called on every outcome; a private path, reached here directly).
      (runner as unknown as { observe(n: string, o: string, s: number): void }).observe('x', 'done', 1);
      expect(finished).toEqual(['x']);
    } finally {
      await app.close();
    }
  });
});
