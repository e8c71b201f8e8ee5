/**
 * Research export benchmark (`npm run bench -- export`, needs BENCH_DATABASE_URL): a synthetic events log of
 * 1M and 10M events (BENCH_EXPORT_SIZES) written by raw SQL (the export is measured, not the world), then
 * the product's export (keyset batches, pseudonyms, CSV and Parquet writers, checksums) against
 * `COPY (the same SELECT) TO STDOUT` of the same rows, and the peak RSS of the export's own process (the
 * product's path, RESEARCH_EXPORT_HEAP_MB; 0 exports in the bench's process, whose peak is printed too).
 * Targets: export ≥ 0.3 of COPY's rows per second (ambition 0.5); peak RSS flat, under 300 MB.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { loadConfig } from '@boardroom/core';
import { EVENT_ROWS, ExportRunner, NOT_ERASED_ACTOR, ResearchProjects, type ExportFormat } from '@boardroom/research';
import { withContext } from '../apps/cli/src/cli-database.js';
import { CliModule } from '../apps/cli/src/cli.module.js';
import { benchServerUrl, withBenchDatabase } from './game-support.js';

const SIZES = (process.env.BENCH_EXPORT_SIZES ?? '1000000,10000000').split(',').map(Number);
const USERS = Number(process.env.BENCH_EXPORT_USERS ?? 50_000);
const BRANDS = 500;
const DAYS = 30;
const FORMATS: ExportFormat[] = ['CSV', 'PARQUET'];

/** Users, brands, employments, events and a sprinkle of flags, in bulk statements. */
async function writeWorld(url: string, events: number): Promise<{ from: Date; to: Date }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO users (email, handle, display_name, password_hash, created_at)
       SELECT 'bench' || g || '@example.com', 'bench_' || g, 'Bench ' || g, 'x', now() - (g % 365) * interval '1 day'
         FROM generate_series(1, $1) g`,
      [USERS],
    );
    await client.query(
      `INSERT INTO brands (slug, name, folded_name) SELECT 'brand-' || g, 'Brand ' || g, 'brand ' || g FROM generate_series(1, $1) g`,
      [BRANDS],
    );
    await client.query(`
      INSERT INTO employments (user_id, brand_id, shares, title, salary, since, shares_reached_at, recent_shares,
                               recent_as_of, recent_reached_at)
      SELECT u.id, b.id, 10 * (1 + u.n % 50), (ARRAY['INTERN','ASSOCIATE','MANAGER'])[1 + u.n % 3], 1, now(), now(), 10, now(), now()
        FROM (SELECT id, row_number() OVER () AS n FROM users) u
        JOIN (SELECT id, row_number() OVER () AS n FROM brands) b ON b.n = 1 + u.n % ${BRANDS}`);
    const to = new Date();
    const from = new Date(to.getTime() - DAYS * 86_400_000);
    // In slices of a million: one statement each, so the server's memory stays modest.
    for (let done = 0; done < events; done += 1_000_000) {
      const slice = Math.min(1_000_000, events - done);
      await client.query(
        `WITH u AS (SELECT array_agg(id) AS ids FROM users), b AS (SELECT array_agg(id) AS ids FROM brands)
         INSERT INTO events (occurred_at, actor_id, action, brand_id, target_type, target_id)
         SELECT $2::timestamptz + (random() * $3) * interval '1 second', u.ids[1 + ((g::bigint * 7919) % $4)::int],
                (ARRAY['photo.published','comment.posted','photo.published','follow.created'])[1 + g % 4],
                b.ids[1 + g % $5], 'photo', md5(g::text)::uuid::text
           FROM generate_series(1, $1) g, u, b`,
        [slice, from, DAYS * 86_400, USERS, BRANDS],
      );
    }
    await client.query(`
      INSERT INTO flags (subject_type, subject_id, detector, detector_version, score, evidence, created_at, updated_at)
      SELECT 'ACCOUNT', id::text, 'LOCKSTEP_GROUPS', 'bench', 0.9, '{}', now(), now() FROM users WHERE random() < 0.01`);
    await client.query(`
      INSERT INTO flags (subject_type, subject_id, detector, detector_version, score, evidence, created_at, updated_at)
      SELECT 'EVENT', id::text, 'YOUNG_ACCOUNTS', 'bench', 0.4, '{}', now(), now() FROM events WHERE id % 200 = 0`);
    await client.query(`ANALYZE`);
    return { from, to };
  } finally {
    await client.end();
  }
}

/** Seconds to COPY the export's event rows out of the server (the bytes counted, nothing kept). */
async function copySeconds(url: string, window: { from: Date; to: Date }): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = process.hrtime.bigint();
    const stream = client.query(
      copyTo(
        `COPY (${EVENT_ROWS} WHERE e.occurred_at >= '${window.from.toISOString()}' AND e.occurred_at < '${window.to.toISOString()}'
               AND ${NOT_ERASED_ACTOR} ORDER BY e.id) TO STDOUT (FORMAT csv)`,
      ),
    );
    let bytes = 0;
    for await (const chunk of stream) bytes += (chunk as Buffer).length;
    if (bytes === 0) throw new Error('COPY returned nothing');
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    await client.end();
  }
}

/** Samples the RSS while `work` runs; returns the peak in MB with the work's seconds. */
async function measured(work: () => Promise<unknown>): Promise<{ seconds: number; peakMb: number; baseMb: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = process.hrtime.bigint();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, peakMb: peak / 2 ** 20, baseMb: base / 2 ** 20 };
}

export async function benchExport(): Promise<void> {
  const server = benchServerUrl('export');
  if (!server) return;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-bench-export-'));
  const config = loadConfig({
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    RESEARCH_EXPORT_HEAP_MB: process.env.RESEARCH_EXPORT_HEAP_MB ?? '160',
  });
  console.log(
    `\nResearch export (${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, node ${process.version})`,
  );
  console.log(
    `events      format   export rows/s   COPY rows/s   ratio   export process peak RSS MB (heap cap ${config.research.exportHeapMb} MB)   bench process peak RSS MB (before)   seconds`,
  );
  try {
    for (const events of SIZES) {
      await withBenchDatabase(server, async (url) => {
        const window = await writeWorld(url, events);
        const copy = await copySeconds(url, window);
        await withContext(CliModule.forRoot(config, url), async (context) => {
          const runner = context.get(ExportRunner);
          const project = await context.get(ResearchProjects).open(context.get(DataSource).manager, null, 'bench');
          for (const format of FORMATS) {
            const outDir = await mkdtemp(path.join(dataDir, `${format}-`));
            let exportProcessMb: number | null = null;
            const run = await measured(async () => {
              ({ peakRssMb: exportProcessMb } = await runner.run({
                window: { ...window, brandIds: null },
                brandSlugs: null,
                format,
                project,
                exportId: 'bench',
                outDir,
              }));
            });
            await rm(outDir, { recursive: true, force: true });
            const ratio = copy / run.seconds;
            console.log(
              `${String(events).padStart(9)}   ${format.padEnd(7)}  ${Math.round(events / run.seconds)
                .toString()
                .padStart(13)}` +
                `   ${Math.round(events / copy)
                  .toString()
                  .padStart(11)}   ${ratio.toFixed(2).padStart(5)}` +
                `   ${(exportProcessMb === null ? '-' : String(Math.round(exportProcessMb))).padStart(12)}` +
                `   ${Math.round(run.peakMb).toString().padStart(11)} (${Math.round(run.baseMb)})` +
                `   ${run.seconds.toFixed(1).padStart(7)}`,
            );
          }
        });
      });
    }
    console.log('Targets: ratio ≥ 0.3 (ambition 0.5); peak RSS flat across sizes and under 300 MB.');
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
