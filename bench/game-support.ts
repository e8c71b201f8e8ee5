/**
 * Shared by the game-core benchmarks (awards, leaderboard, leaderboard-http): a throwaway database on
 * the BENCH_DATABASE_URL server, latency percentiles and the
 * result table every one of them prints.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { migrateUp } from '@boardroom/core';

/** The server the game benchmarks need, or null (they then say so and skip). */
export function benchServerUrl(what: string): string | null {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    console.log(
      `\n${what}: skipped, BENCH_DATABASE_URL is not set (a PostgreSQL server and a user that may create databases, ` +
        `e.g. postgres://postgres@127.0.0.1:5432/postgres)`,
    );
  }
  return url ?? null;
}

/** A fresh, migrated `boardroom_bench_*` database on the server for the length of `work`, dropped after. */
export async function withBenchDatabase<T>(serverUrl: string, work: (url: string) => Promise<T>): Promise<T> {
  const name = `boardroom_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    try {
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      await migrateUp(url.toString());
      return await work(url.toString());
    } finally {
      await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}

export async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string; fsync: string; sc: string; sb: string }>(
      `SELECT current_setting('server_version') AS v, current_setting('fsync') AS fsync,
              current_setting('synchronous_commit') AS sc, current_setting('shared_buffers') AS sb`,
    );
    const row = rows[0]!;
    return `PostgreSQL ${row.v} (fsync ${row.fsync}, synchronous_commit ${row.sc}, shared_buffers ${row.sb})`;
  } finally {
    await client.end();
  }
}

export function machineLine(): string {
  return `Node ${process.version}, ${os.availableParallelism()} × ${os.cpus()[0]?.model ?? 'cpu'}, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}, ${new Date().toISOString()}`;
}

/** The q-quantile (0..1) of the samples, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Milliseconds `work` takes, by the monotonic clock. */
export async function elapsedMs(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export interface ResultRow {
  what: string;
  product: string;
  raw: string;
  ratio: string;
  target: string;
}

/** The table each game benchmark ends with: what, product figure, raw or bare figure, ratio, target. */
export function printTable(title: string, rows: ResultRow[], headers = { product: 'product', raw: 'raw/bare' }): void {
  const columns: [keyof ResultRow, string][] = [
    ['what', 'what'],
    ['product', headers.product],
    ['raw', headers.raw],
    ['ratio', 'ratio'],
    ['target', 'target'],
  ];
  const widths = columns.map(([key, label]) => Math.max(label.length, ...rows.map((row) => row[key].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(`\n${title}`);
  console.log(line(columns.map(([, label]) => label)));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(columns.map(([key]) => row[key])));
}

export const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '—';
