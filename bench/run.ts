/**
 * Foundation benchmarks: the events log and the job queue against the raw SQL
 * they are built on, on the embedded database and (with BENCH_DATABASE_URL, a
 * database the user may create databases in) on a PostgreSQL server.
 *
 *   npm run bench                          # embedded PGlite, then photo ingest (bench/ingest.ts)
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench
 *   npm run bench -- ingest                # photo ingest only
 *   npm run bench -- awards                # game core (BENCH_DATABASE_URL): award throughput (bench/game-awards.ts)
 *   npm run bench -- leaderboard           # game core: leaderboard and rank at 1M employments (bench/leaderboard.ts)
 *   npm run bench -- leaderboard-http      # game core: the api's leaderboard over HTTP (bench/leaderboard-http.ts)
 *   npm run bench -- game                  # the three game-core benchmarks, one seeded database for both boards
 *   npm run bench -- authenticity          # the detectors against simulated worlds with planted fraud (bench/authenticity.ts)
 *   npm run bench -- export                # research export vs COPY, peak RSS at 1M and 10M events (BENCH_DATABASE_URL; bench/export.ts)
 *
 * Never part of `npm test`. Record results in docs/benchmarks.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {
  EmbeddedPostgres,
  EventConsumer,
  EventLog,
  FingerprintHasher,
  JobQueue,
  JobRegistry,
  JobRunner,
  JobScheduler,
  SystemClock,
  createDataSource,
  inTransaction,
  loadConfig,
  migrateUp,
} from '@boardroom/core';
import { EventsRepository } from '../libs/core/src/events/events.repository.js';
import { benchIngest } from './ingest.js';
import { benchAwards } from './game-awards.js';
import { benchLeaderboards } from './leaderboard.js';
import { benchAuthenticity } from './authenticity.js';
import { benchExport } from './export.js';

declare module '@boardroom/core' {
  interface JobPayloads {
    'bench.noop': { n: number };
  }
}

const EVENTS = Number(process.env.BENCH_EVENTS ?? 2000);
const JOBS = Number(process.env.BENCH_JOBS ?? 500);

interface Row {
  what: string;
  product: number;
  raw: number;
  unit: string;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function bench(url: string): Promise<Row[]> {
  await migrateUp(url);
  const config = loadConfig({ FINGERPRINT_SECRET: 'b'.repeat(32), JOBS_CONCURRENCY: '1' });
  const dataSource = createDataSource({ url, poolSize: 4, applicationName: 'bench' });
  await dataSource.initialize();
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  const rows: Row[] = [];
  try {
    // 1. Appending events, one transaction each (as features do).
    const log = new EventLog(new EventsRepository(), new FingerprintHasher(config), new SystemClock());
    const product = await timed(async () => {
      for (let i = 0; i < EVENTS; i++) {
        await inTransaction(dataSource, (m) =>
          log.record(m, {
            action: 'bench.appended',
            targetType: 'bench',
            targetId: String(i),
            networkFingerprint: '198.51.100.7',
            meta: { i },
          }),
        );
      }
    });
    const rawAppend = await timed(async () => {
      for (let i = 0; i < EVENTS; i++) {
        await raw.query('BEGIN');
        await raw.query(
          `INSERT INTO events (action, target_type, target_id, meta) VALUES ('bench.raw', 'bench', $1, $2)`,
          [String(i), JSON.stringify({ i })],
        );
        await raw.query('COMMIT');
      }
    });
    rows.push({
      what: `append ${EVENTS} events, a transaction each`,
      product: EVENTS / product,
      raw: EVENTS / rawAppend,
      unit: 'events/s',
    });

    // 2. Reading the log by position, in batches of 500.
    const consumer = new EventConsumer(dataSource, new EventsRepository());
    let seen = 0;
    const consume = await timed(() =>
      consumer.consumeAll('bench', async (events) => void (seen += events.length), 500),
    );
    const total = seen;
    const rawRead = await timed(() => raw.query(`SELECT * FROM events ORDER BY xid, id`));
    rows.push({
      what: `read ${total} events by position`,
      product: total / consume,
      raw: total / rawRead,
      unit: 'events/s',
    });

    // 3. Jobs: enqueue, claim, run a no-op, complete.
    const registry = new JobRegistry();
    registry.register('bench.noop', async () => undefined);
    const queue = new JobQueue(dataSource);
    const runner = new JobRunner(dataSource, config, registry, new JobScheduler(queue, new SystemClock()));
    const jobs = await timed(async () => {
      for (let n = 0; n < JOBS; n++) await queue.enqueue('bench.noop', { n });
      await runner.drain();
    });
    const rawJobs = await timed(async () => {
      for (let n = 0; n < JOBS; n++)
        await raw.query(`INSERT INTO jobs (name, payload) VALUES ('bench.raw', $1)`, [JSON.stringify({ n })]);
      for (;;) {
        const { rows: claimed } = await raw.query<{ id: string }>(
          `UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_at = now()
            WHERE id = (SELECT id FROM jobs WHERE status = 'queued' AND name = 'bench.raw' ORDER BY run_at, id FOR UPDATE SKIP LOCKED LIMIT 1)
            RETURNING id`,
        );
        if (claimed.length === 0) break;
        await raw.query(`UPDATE jobs SET status = 'done', finished_at = now() WHERE id = $1`, [claimed[0]!.id]);
      }
    });
    rows.push({
      what: `enqueue and run ${JOBS} no-op jobs`,
      product: JOBS / jobs,
      raw: JOBS / rawJobs,
      unit: 'jobs/s',
    });
  } finally {
    await raw.end();
    await dataSource.destroy();
  }
  return rows;
}

function print(target: string, rows: Row[]): void {
  console.log(`\n${target}`);
  console.log(`${'benchmark'.padEnd(44)} ${'product'.padStart(10)} ${'raw SQL'.padStart(10)}  ratio`);
  for (const row of rows) {
    console.log(
      `${row.what.padEnd(44)} ${row.product.toFixed(0).padStart(10)} ${row.raw.toFixed(0).padStart(10)}  ${(row.product / row.raw).toFixed(2)} (${row.unit})`,
    );
  }
}

async function main(): Promise<void> {
  console.log(
    `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString()}`,
  );
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-bench-'));
  const embedded = await EmbeddedPostgres.start(dataDir);
  try {
    print('embedded PGlite (socket server)', await bench(embedded.url));
  } finally {
    await embedded.stop();
    await rm(dataDir, { recursive: true, force: true });
  }

  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (serverUrl) {
    const name = `boardroom_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    try {
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      print(`PostgreSQL server (${new URL(serverUrl).host})`, await bench(url.toString()));
    } finally {
      await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
      await admin.end();
    }
  }
}

const GAME = ['awards', 'leaderboard', 'leaderboard-http', 'game'];
const selected = process.argv.slice(2);
if (selected.length === 1 && selected[0] === 'authenticity') {
  await benchAuthenticity();
} else if (selected.length === 1 && selected[0] === 'export') {
  await benchExport();
} else if (selected.length > 0 && selected.every((name) => GAME.includes(name))) {
  const all = selected.includes('game');
  if (all || selected.includes('awards')) await benchAwards();
  await benchLeaderboards({
    sql: all || selected.includes('leaderboard'),
    http: all || selected.includes('leaderboard-http'),
  });
} else {
  if (process.argv[2] !== 'ingest') await main();
  await benchIngest();
}
