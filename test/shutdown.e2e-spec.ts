import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { JobQueue, JobRegistry } from '@boardroom/core';
import { ProbeModule } from './support/probe.module.js';
import { startTestApp, type TestApp } from './support/test-app.js';

declare module '@boardroom/core' {
  interface JobPayloads {
    'test.shutdown-slow': { ms: number };
  }
}

/** A job that takes a while, recording when it starts and finishes. */
@Injectable()
class SlowJob implements OnModuleInit {
  static started = false;
  static finished = false;
  constructor(private readonly registry: JobRegistry) {}
  onModuleInit(): void {
    this.registry.register('test.shutdown-slow', async ({ ms }) => {
      SlowJob.started = true;
      await new Promise((resolve) => setTimeout(resolve, ms));
      SlowJob.finished = true;
    });
  }
}
@Module({ providers: [SlowJob] })
class SlowJobModule {}

describe('graceful shutdown (e2e)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(
      { JOBS_IN_API: 'true', JOBS_POLL_INTERVAL_MS: '50' },
      { extraModules: [ProbeModule, SlowJobModule] },
    );
  });
  afterAll(() => app?.close());

  it('finishes the request and the job in flight before closing, then refuses new connections', async () => {
    await app.app.get(JobQueue).enqueue('test.shutdown-slow', { ms: 300 });
    for (let i = 0; i < 100 && !SlowJob.started; i++) await new Promise((r) => setTimeout(r, 20));
    expect(SlowJob.started).toBe(true);

    // The request outlasts the job, so closing must wait for it too.
    let answeredAt = 0;
    const inFlight = app.graphql<{ probeSlow: number }>(`{ probeSlow(ms: 1500) }`).then((response) => {
      answeredAt = Date.now();
      return response;
    });
    await new Promise((r) => setTimeout(r, 100));
    await app.close();
    const closedAt = Date.now();

    expect(SlowJob.finished).toBe(true);
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.body.data).toEqual({ probeSlow: 1500 });
    expect(answeredAt).toBeGreaterThan(0);
    expect(answeredAt).toBeLessThanOrEqual(closedAt);
    await expect(fetch(`${app.url}/health`)).rejects.toThrow();
  });
});
