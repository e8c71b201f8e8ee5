/**
 * Leaderboard at scale (issue 6): on the boards of bench/game-seed.ts (1M employments over 100k brands,
 * 200k users; the biggest brand has 80k employees), `EmploymentsRepository.leaderboard` (a top-20 page,
 * 21 rows as the service asks, and deep pages after a cursor) and `EmploymentsRepository.ranks` (one
 * employment, or the 20 of a page in one statement), one call at a time, BENCH_BOARD_CALLS (2000) random
 * calls per case, p50 and p99 through TypeORM as the api calls them, beside the same SQL on a bare `pg`
 * client. Target: p99 < 10 ms. Ends with EXPLAIN ANALYZE of the slowest case and of the worst rank.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- leaderboard
 *   npm run bench -- leaderboard leaderboard-http     # both on one seeded database
 */
import pg from 'pg';
import type { EntityManager } from 'typeorm';
import { createDataSource } from '@boardroom/core';
import { EmploymentsRepository, type BoardPageStart } from '../libs/game/src/employments/employments.repository.js';
import type { EmploymentRecord } from '../libs/game/src/ledger/ledger.types.js';
import {
  EMPLOYMENT_COLUMNS,
  toEmployment,
  type EmploymentRow,
} from '../libs/game/src/ledger/share-ledger.repository.js';
import { seedBoards, type SeededBoards } from './game-seed.js';
import { benchLeaderboardHttp } from './leaderboard-http.js';
import {
  benchServerUrl,
  elapsedMs,
  fmt,
  machineLine,
  printTable,
  quantile,
  serverVersion,
  withBenchDatabase,
  type ResultRow,
} from './game-support.js';

const CALLS = Number(process.env.BENCH_BOARD_CALLS ?? 2000);
const WARM_UP = 200;
/** Each case stops early after this long (a slow case still reports the calls it made). */
const CASE_SECONDS = Number(process.env.BENCH_BOARD_CASE_SECONDS ?? 15);
const TARGET_P99_MS = 10;

type Sample = EmploymentRecord & { reachedKey: string };

interface Case {
  what: string;
  call: (manager: EntityManager, i: number) => Promise<unknown>;
}

/** A manager whose queries go straight to a bare pg client: the repository's exact SQL without TypeORM. */
function bareManager(client: pg.Client): EntityManager {
  const queryRunner = {
    query: async (sql: string, parameters: unknown[]) => ({ records: (await client.query(sql, parameters)).rows }),
  };
  return { queryRunner } as unknown as EntityManager;
}

/** A manager that only records the SQL it is given (for EXPLAIN). */
function recordingManager(seen: { sql: string; parameters: unknown[] }[]): EntityManager {
  const queryRunner = {
    query: async (sql: string, parameters: unknown[]) => {
      seen.push({ sql, parameters });
      return { records: [{}] };
    },
  };
  return { queryRunner } as unknown as EntityManager;
}

async function sampleEmployments(client: pg.Client, where: string, parameters: unknown[]): Promise<Sample[]> {
  const { rows } = await client.query<EmploymentRow & { reached_key: string }>(
    `SELECT ${EMPLOYMENT_COLUMNS}, shares_reached_at::text AS reached_key FROM employments ${where}`,
    parameters,
  );
  return rows.map((row) => ({ ...toEmployment(row), reachedKey: row.reached_key }));
}

const startAfter = (row: Sample): BoardPageStart => [row.shares, row.reachedKey, row.userId];
const at = <T>(items: readonly T[], i: number): T => items[i % items.length]!;

export async function measureBoards(seed: SeededBoards): Promise<void> {
  const dataSource = createDataSource({ url: seed.url, poolSize: 2, applicationName: 'bench-board' });
  await dataSource.initialize();
  const client = new pg.Client({ connectionString: seed.url });
  await client.connect();
  const repository = new EmploymentsRepository();
  const product = dataSource.manager;
  const bare = bareManager(client);
  try {
    const biggest = seed.biggest[0]!;
    const { rows: brandRows } = await client.query<{ id: string }>(`SELECT id FROM brands ORDER BY random() LIMIT $1`, [
      CALLS,
    ]);
    const anyBrand = brandRows.map((row) => row.id);
    const anyEmployment = await sampleEmployments(client, `ORDER BY random() LIMIT $1`, [CALLS]);
    const inBiggest = await sampleEmployments(client, `WHERE brand_id = $1 ORDER BY random() LIMIT $2`, [
      biggest.id,
      CALLS,
    ]);
    const [last] = await sampleEmployments(
      client,
      `WHERE brand_id = $1 ORDER BY shares, shares_reached_at DESC, user_id DESC LIMIT 1`,
      [biggest.id],
    );
    const cases: Case[] = [
      { what: 'top 20, random brand', call: (m, i) => repository.leaderboard(m, at(anyBrand, i), null, 21) },
      {
        what: "top 20, a random employee's brand",
        call: (m, i) => repository.leaderboard(m, at(anyEmployment, i).brandId, null, 21),
      },
      {
        what: `top 20, biggest brand (${fmt(biggest.employees)})`,
        call: (m) => repository.leaderboard(m, biggest.id, null, 21),
      },
      {
        what: 'page of 20 after a random cursor, biggest',
        call: (m, i) => repository.leaderboard(m, biggest.id, startAfter(at(inBiggest, i)), 21),
      },
      { what: 'rank, random employment', call: (m, i) => repository.ranks(m, [at(anyEmployment, i).id]) },
      { what: 'rank, random employee of biggest', call: (m, i) => repository.ranks(m, [at(inBiggest, i).id]) },
      {
        what: 'ranks of 20 random employees of biggest, batched',
        call: (m, i) =>
          repository.ranks(
            m,
            Array.from({ length: 20 }, (_, j) => at(inBiggest, i * 20 + j).id),
          ),
      },
      { what: 'rank, last employee of biggest', call: (m) => repository.ranks(m, [last!.id]) },
    ];

    const rows: ResultRow[] = [];
    let worst = { p99: 0, index: 0 };
    for (const [index, c] of cases.entries()) {
      const warmUntil = Date.now() + 2000;
      for (let i = 0; i < WARM_UP && Date.now() < warmUntil; i++) {
        await c.call(product, i);
        await c.call(bare, i);
      }
      const times = { product: [] as number[], bare: [] as number[] };
      const until = Date.now() + CASE_SECONDS * 2000;
      for (let i = 0; i < CALLS && Date.now() < until; i++) {
        // Taking turns at going first, so neither always meets the cache the other just warmed.
        if (i % 2 === 0) times.product.push(await elapsedMs(() => c.call(product, i)));
        times.bare.push(await elapsedMs(() => c.call(bare, i)));
        if (i % 2 === 1) times.product.push(await elapsedMs(() => c.call(product, i)));
      }
      const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
      const p = sorted(times.product);
      const b = sorted(times.bare);
      const p99 = quantile(p, 0.99);
      if (p99 > worst.p99) worst = { p99, index };
      rows.push({
        what: times.product.length < CALLS ? `${c.what} (${times.product.length} calls)` : c.what,
        product: `${quantile(p, 0.5).toFixed(2)} / ${p99.toFixed(2)}`,
        raw: `${quantile(b, 0.5).toFixed(2)} / ${quantile(b, 0.99).toFixed(2)}`,
        ratio: (quantile(b, 0.99) / p99).toFixed(2),
        target: `p99 < ${TARGET_P99_MS}${p99 < TARGET_P99_MS ? '' : ' (missed)'}`,
      });
    }
    printTable(
      `leaderboard at scale: ${fmt(CALLS)} calls per case, one at a time; ms p50 / p99; ratio = bare p99 / product p99`,
      rows,
      { product: 'product (TypeORM)', raw: 'same SQL, bare pg' },
    );

    // Where the time goes: the plans of the slowest case and of the worst rank.
    for (const index of new Set([worst.index, cases.length - 1])) {
      const seen: { sql: string; parameters: unknown[] }[] = [];
      await cases[index]!.call(recordingManager(seen), 0);
      for (const { sql, parameters } of seen) {
        const { rows: plan } = await client.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN (ANALYZE, BUFFERS) ${sql}`,
          parameters,
        );
        console.log(`\nEXPLAIN ANALYZE, ${cases[index]!.what}:`);
        for (const line of plan) console.log(`  ${line['QUERY PLAN']}`);
      }
    }
  } finally {
    await client.end();
    await dataSource.destroy();
  }
}

export async function benchLeaderboards(which: { sql: boolean; http: boolean }): Promise<void> {
  if (!which.sql && !which.http) return;
  const serverUrl = benchServerUrl('leaderboard at scale');
  if (!serverUrl) return;
  console.log(`\nleaderboards: ${machineLine()}; ${await serverVersion(serverUrl)}`);
  await withBenchDatabase(serverUrl, async (url) => {
    const seed = await seedBoards(url);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client
      .query<{ size: string }>(`SELECT pg_size_pretty(pg_total_relation_size('employments')) AS size`)
      .finally(() => client.end());
    console.log(
      `seeded ${fmt(seed.sizes.users)} users, ${fmt(seed.sizes.brands)} brands, ${fmt(seed.sizes.employments)} employments ` +
        `(employments with indexes: ${rows[0]!.size}) in ${seed.seconds.toFixed(0)} s; biggest brands: ` +
        seed.biggest
          .slice(0, 5)
          .map((b) => fmt(b.employees))
          .join(', '),
    );
    if (which.sql) await measureBoards(seed);
    if (which.http) await benchLeaderboardHttp(seed);
  });
}
