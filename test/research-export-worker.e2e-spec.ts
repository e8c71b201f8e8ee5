import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Role, UsersService } from '@boardroom/accounts';
import { accountsClient, type Session } from './support/accounts-client.js';
import { readParquetWithArrow } from './support/arrow-parquet.js';
import { distEntry } from './support/build.js';
import { graphqlCalls } from './support/graphql-calls.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { unzip } from './support/unzip.js';

interface ExportJobView {
  id: string;
  status: string;
  rows: number | null;
  downloadUrl: string | null;
  error: string | null;
}

/**
 * A research export as deployed: the api queues it, the compiled worker (its own process) takes the job and
 * runs the export in a process of its own with the heap capped, and the researcher downloads the archive.
 */
describe('research export on the worker (e2e)', () => {
  let app: TestApp;
  let worker: ChildProcess;
  let workerLog = '';
  let researcher: Session;
  const { call, as } = graphqlCalls(() => app);

  beforeAll(async () => {
    app = await startTestApp({ JOBS_IN_API: 'false' });
    worker = spawn(process.execPath, [distEntry('worker')], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        WORKER_PORT: '0',
        DATA_DIR: app.dataDir,
        LOG_LEVEL: 'info',
        JOBS_POLL_INTERVAL_MS: '100',
        RESEARCH_EXPORT_HEAP_MB: '128',
        ...(app.config.database.url ? { DATABASE_URL: app.config.database.url } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (chunk: Buffer) => (workerLog += chunk.toString()));
    worker.stderr!.on('data', (chunk: Buffer) => (workerLog += chunk.toString()));
    const accounts = accountsClient(app);
    researcher = (await accounts.signUp({ email: 'wren.researcher@example.com', handle: 'wrenresearcher' })).body.data!
      .signUp;
    await app.app.get(UsersService).grantRole('wren.researcher@example.com', Role.RESEARCHER);
    for (const handle of ['ottoline', 'peregrine', 'rosalind']) {
      await accounts.signUp({ email: `${handle}@example.com`, handle });
    }
  }, 120_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      worker.kill('SIGTERM');
      await once(worker, 'exit');
    }
    await app?.close();
  });

  it('runs the export in its own capped process and serves the archive', async () => {
    const { data, errors } = await call<{ requestResearchExport: ExportJobView }>(
      researcher,
      `mutation($input: ResearchExportInput!) { requestResearchExport(input: $input) { id status } }`,
      {
        input: {
          from: new Date(Date.now() - 86_400_000).toISOString(),
          to: new Date(Date.now() + 60_000).toISOString(),
          format: 'PARQUET',
        },
      },
    );
    expect(errors).toBeUndefined();
    const id = data!.requestResearchExport.id;
    let job: ExportJobView;
    const deadline = Date.now() + 90_000;
    for (;;) {
      job = (
        await as<{ exportJob: ExportJobView }>(
          researcher,
          `query($id: ID!) { exportJob(id: $id) { id status rows downloadUrl error } }`,
          { id },
        )
      ).exportJob;
      if (job.status === 'DONE' || job.status === 'FAILED') break;
      if (Date.now() > deadline) throw new Error(`The export is still ${job.status}; the worker said:\n${workerLog}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(job).toMatchObject({ status: 'DONE', error: null });
    const files = await unzip(Buffer.from(await (await fetch(job.downloadUrl!)).arrayBuffer()));
    const events = await readParquetWithArrow(files.get('events.parquet')!);
    // Four sign-ups and the researcher's role grant at least.
    expect(events.numRows).toBeGreaterThanOrEqual(4);
    expect(job.rows).toBeGreaterThanOrEqual(events.numRows);
    expect(workerLog).toMatch(/rows in a process of its own, peak RSS \d+ MB \(heap capped at 128 MB\)/);
  }, 120_000);
});
