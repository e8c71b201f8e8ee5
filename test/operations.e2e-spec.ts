import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import pg from 'pg';
import { EmbeddedPostgres, JobQueue, JobRegistry, loadConfig, renderSchema } from '@boardroom/core';
import { startApi } from '../apps/api/src/bootstrap.js';
import { distEntry, ROOT } from './support/build.js';
import { runNode } from './support/run-process.js';
import { startTestApp, type TestApp } from './support/test-app.js';

declare module '@boardroom/core' {
  interface JobPayloads {
    'test.operations-noop': { note: string };
  }
}

/** A job handler, so that the job metrics have something to count. */
@Injectable()
class NoopJob implements OnModuleInit {
  static runs = 0;
  constructor(private readonly registry: JobRegistry) {}
  onModuleInit(): void {
    this.registry.register('test.operations-noop', async () => {
      NoopJob.runs++;
    });
  }
}
@Module({ providers: [NoopJob] })
class NoopJobModule {}

describe('operations (e2e)', () => {
  let app: TestApp;
  /** What a CLI process needs to reach the same database as the app. */
  let cliEnv: Record<string, string>;

  beforeAll(async () => {
    app = await startTestApp({ JOBS_IN_API: 'true', JOBS_POLL_INTERVAL_MS: '50' }, { extraModules: [NoopJobModule] });
    cliEnv = { DATA_DIR: app.dataDir, ...(app.config.database.url ? { DATABASE_URL: app.config.database.url } : {}) };
  });
  afterAll(() => app?.close());

  it('answers liveness', async () => {
    const response = await fetch(`${app.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is ready when the database and storage answer', async () => {
    const response = await fetch(`${app.url}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: { database: { ok: true }, storage: { ok: true } },
    });
  });

  it('gives every response a request id, keeping a well-formed one from the caller', async () => {
    const generated = await fetch(`${app.url}/health`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await fetch(`${app.url}/health`, { headers: { 'x-request-id': 'trace-42' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-42');
    const refused = await fetch(`${app.url}/health`, { headers: { 'x-request-id': 'x'.repeat(200) } });
    expect(refused.headers.get('x-request-id')).not.toBe('x'.repeat(200));
  });

  it('exposes Prometheus metrics for requests, GraphQL operations and jobs', async () => {
    await app.graphql(`query Ping { __typename }`);
    const queue = app.app.get(JobQueue);
    await queue.enqueue('test.operations-noop', { note: 'metrics' });
    // The job is counted once the runner has marked it done, a moment after its handler ran.
    const jobLine = /job_duration_seconds_count\{job="test.operations-noop",outcome="done"\} 1/;
    let text = '';
    for (let i = 0; i < 100 && !jobLine.test(text); i++) {
      await new Promise((r) => setTimeout(r, 50));
      const response = await fetch(`${app.url}/metrics`);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      text = await response.text();
    }
    expect(NoopJob.runs).toBe(1);
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} \d+/);
    expect(text).toMatch(/graphql_operation_duration_seconds_count\{operation="Ping",type="query",outcome="ok"\} 1/);
    expect(text).toMatch(jobLine);
  });

  it('serves the schema committed in schema.graphql (run `npm run schema` after changing it)', async () => {
    const committed = await readFile(path.join(ROOT, 'schema.graphql'), 'utf8');
    expect(renderSchema(app.app.get(GraphQLSchemaHost).schema)).toBe(committed);
  });

  it('lets the CLI reach the database while the server runs', async () => {
    const result = await runNode(distEntry('cli'), ['migrate:status'], cliEnv);
    expect(result.stderr).toContain(app.config.database.url ? 'DATABASE_URL' : 'served by the running api');
    expect(result.stdout).toContain('The database is up to date.');
    expect(result.code).toBe(0);
  });

  it('stops with a message naming the variable when the configuration is invalid', async () => {
    const result = await runNode(distEntry('api'), [], { ...cliEnv, PORT: 'eighty', DATABASE_POOL_SIZE: '0' });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/PORT: /);
    expect(result.stderr).toMatch(/DATABASE_POOL_SIZE: /);
  });

  const embeddedOnly = process.env.TEST_DATABASE_URL ? it.skip : it;
  embeddedOnly('refuses a second process on the same embedded data folder', async () => {
    const second = loadConfig({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      DATA_DIR: app.dataDir,
    });
    await expect(startApi(second)).rejects.toThrow(/in use by another process/);
  });

  embeddedOnly('releases the embedded database when the api fails to start', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-e2e-busy-'));
    try {
      const port = new URL(app.url).port;
      const busy = loadConfig({
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: port,
        LOG_LEVEL: 'silent',
        DATA_DIR: dataDir,
      });
      await expect(startApi(busy)).rejects.toThrow(/EADDRINUSE/);
      expect(await EmbeddedPostgres.runningUrl(dataDir)).toBeNull();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  // Last: it takes the database away.
  it('says it is not ready when the database is gone', async () => {
    const url = app.config.database.url;
    if (url) {
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
      await admin.end();
    } else {
      await app.database.close();
    }
    const response = await fetch(`${app.url}/health/ready`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as {
      status: string;
      checks: { database: { ok: boolean; error: string }; storage: { ok: boolean } };
    };
    expect(body.status).toBe('not ready');
    expect(body.checks.database.ok).toBe(false);
    expect(body.checks.database.error).toBeTruthy();
    expect(body.checks.storage.ok).toBe(true);
  });
});
