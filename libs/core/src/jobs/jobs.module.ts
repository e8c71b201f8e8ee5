import { Global, Module } from '@nestjs/common';
import { ClockModule } from '../clock/clock.module.js';
import { JobQueue } from './job-queue.js';
import { JobRegistry } from './job-registry.js';
import { JobRunner } from './job-runner.js';
import { JobScheduler } from './job-scheduler.js';

/**
 * The job queue for every lib: enqueue with JobQueue, register handlers with
 * JobRegistry and schedules with JobScheduler in `onModuleInit`. Needs the
 * global DataSource (DatabaseModule) and AppConfig (AppConfigModule). The
 * runner does not start by itself: entry points call `app.get(JobRunner).start()`.
 * A metrics module may provide `JobObserver`; `JOB_RUNNER_OPTIONS` tunes the runner.
 */
@Global()
@Module({
  imports: [ClockModule],
  providers: [JobQueue, JobRegistry, JobScheduler, JobRunner],
  exports: [JobQueue, JobRegistry, JobScheduler, JobRunner],
})
export class JobsModule {}
