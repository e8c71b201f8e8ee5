/**
 * Award throughput (issue 6): `ShareLedger.apply` — lock, idempotency check, ledger entry, employment
 * projection, recent shares, and the title event or CEO seat when they apply — with BENCH_AWARD_CLIENTS
 * (8) concurrent clients, each award in its own transaction (`inTransaction`), against raw single-row
 * INSERTs of a similar row into a plain table by as many concurrent clients on the same server.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- awards
 *   BENCH_AWARDS=4000 BENCH_AWARD_USERS=500 BENCH_AWARD_BRANDS=50 BENCH_AWARD_ROUNDS=3 …
 *
 * Spread: every award picks a random (user, brand) among USERS × BRANDS, so most take a lock nobody
 * else holds; hot: every award goes to one (user, brand), so the lock serializes them and, past 1,000
 * shares, each also decides the brand's CEO seat.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, inTransaction } from '@boardroom/core';
import type { ShareLedger } from '../libs/game/src/ledger/share-ledger.service.js';
import {
  benchServerUrl,
  fmt,
  machineLine,
  printTable,
  serverVersion,
  withBenchDatabase,
  type ResultRow,
} from './game-support.js';
import { shareLedgerOn } from '../test/support/game-ledger.js';

const AWARDS = Number(process.env.BENCH_AWARDS ?? 4000);
const HOT_AWARDS = Number(process.env.BENCH_HOT_AWARDS ?? 1000);
const CLIENTS = Number(process.env.BENCH_AWARD_CLIENTS ?? 8);
const USERS = Number(process.env.BENCH_AWARD_USERS ?? 500);
const BRANDS = Number(process.env.BENCH_AWARD_BRANDS ?? 50);
const ROUNDS = Number(process.env.BENCH_AWARD_ROUNDS ?? 3);
const TARGET = 0.3;

/** CPU time of this Node process per operation in the last `throughput` run (the database's is not in it). */
let lastCpuMs = 0;

/** Runs `count` operations on `lanes` concurrent lanes; operations per second. */
async function throughput(count: number, lanes: number, op: (lane: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      while (next++ < count) await op(lane);
    }),
  );
  const { user, system } = process.cpuUsage(cpu);
  lastCpuMs = (user + system) / 1000 / count;
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function seed(client: pg.Client): Promise<{ users: string[]; brands: string[] }> {
  const users = await client.query<{ id: string }>(
    `INSERT INTO users (email, handle, display_name, password_hash)
     SELECT 'award' || i || '@bench.test', 'award_' || i, 'Award ' || i, 'x' FROM generate_series(1, $1) i
     RETURNING id`,
    [USERS],
  );
  const brands = await client.query<{ id: string }>(
    `INSERT INTO brands (slug, name, folded_name) SELECT 'award-' || i, 'Award ' || i, 'award ' || i
       FROM generate_series(1, $1) i RETURNING id`,
    [BRANDS],
  );
  // The raw side: a plain table with a row like a ledger entry (identity key, unique idempotency key).
  await client.query(`
    CREATE TABLE bench_raw_awards (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id uuid NOT NULL, brand_id uuid NOT NULL, shares integer NOT NULL, requested_shares integer NOT NULL,
      reason text NOT NULL, source_type text NOT NULL, source_id text NOT NULL,
      idempotency_key text NOT NULL UNIQUE, created_at timestamptz NOT NULL)`);
  return { users: users.rows.map((r) => r.id), brands: brands.rows.map((r) => r.id) };
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

function award(dataSource: DataSource, ledger: ShareLedger, userId: string, brandId: string) {
  const photoId = randomUUID();
  return inTransaction(dataSource, (manager) =>
    ledger.apply(manager, {
      userId,
      brandId,
      shares: 10,
      reason: 'PHOTO_PUBLISHED',
      sourceType: 'photo',
      sourceId: photoId,
      idempotencyKey: `photo:${photoId}`,
      at: new Date(),
    }),
  );
}

function rawInsert(pool: pg.Pool, userId: string, brandId: string) {
  const photoId = randomUUID();
  return pool.query(
    `INSERT INTO bench_raw_awards (user_id, brand_id, shares, requested_shares, reason, source_type, source_id,
                                   idempotency_key, created_at)
     VALUES ($1, $2, 10, 10, 'PHOTO_PUBLISHED', 'photo', $3, $4, $5)`,
    [userId, brandId, photoId, `photo:${photoId}`, new Date()],
  );
}

async function measure(url: string): Promise<ResultRow[]> {
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  const { users, brands } = await seed(setup);
  const dataSource = createDataSource({ url, poolSize: CLIENTS, applicationName: 'bench-awards' });
  await dataSource.initialize();
  const pool = new pg.Pool({ connectionString: url, max: CLIENTS, application_name: 'bench-raw' });
  const { ledger } = shareLedgerOn(dataSource);
  try {
    const spreadAward = () => award(dataSource, ledger, pick(users), pick(brands));
    const spreadRaw = () => rawInsert(pool, pick(users), pick(brands));
    // Warm-up: connections opened, statements and caches warm on both sides.
    await throughput(200, CLIENTS, spreadAward);
    await throughput(200, CLIENTS, spreadRaw);

    const rounds: { awards: number; inserts: number }[] = [];
    const cpu = { awards: 0, inserts: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which runs first, so neither always meets a freshly checkpointed or busier server.
      let awards = 0;
      if (round % 2 === 0) {
        awards = await throughput(AWARDS, CLIENTS, spreadAward);
        cpu.awards += lastCpuMs / ROUNDS;
      }
      const inserts = await throughput(AWARDS, CLIENTS, spreadRaw);
      cpu.inserts += lastCpuMs / ROUNDS;
      if (round % 2 === 1) {
        awards = await throughput(AWARDS, CLIENTS, spreadAward);
        cpu.awards += lastCpuMs / ROUNDS;
      }
      rounds.push({ awards, inserts });
      console.log(
        `  round ${round + 1}: ${fmt(awards)} awards/s, ${fmt(inserts)} inserts/s, ratio ${(awards / inserts).toFixed(2)}`,
      );
    }
    console.log(
      `  Node CPU per operation: award ${cpu.awards.toFixed(2)} ms, raw insert ${cpu.inserts.toFixed(2)} ms ` +
        `(${(cpu.awards * (AWARDS / 1000)).toFixed(1)} s of CPU per round of awards)`,
    );
    const mean = (f: (r: { awards: number; inserts: number }) => number) =>
      rounds.reduce((sum, r) => sum + f(r), 0) / rounds.length;

    const hotUser = users[0]!;
    const hotBrand = brands[0]!;
    const hotAwards = await throughput(HOT_AWARDS, CLIENTS, () => award(dataSource, ledger, hotUser, hotBrand));
    const hotInserts = await throughput(HOT_AWARDS, CLIENTS, () => rawInsert(pool, hotUser, hotBrand));

    const { rows: check } = await setup.query<{ entries: number; employments: number; title: string; shares: number }>(
      `SELECT (SELECT count(*)::int FROM share_ledger) AS entries, (SELECT count(*)::int FROM employments) AS employments,
              e.title, e.shares FROM employments e WHERE e.user_id = $1 AND e.brand_id = $2`,
      [hotUser, hotBrand],
    );
    console.log(
      `  ledger: ${fmt(check[0]!.entries)} entries over ${fmt(check[0]!.employments)} employments; ` +
        `hot employment: ${fmt(check[0]!.shares)} shares, ${check[0]!.title}`,
    );

    const awards = mean((r) => r.awards);
    const inserts = mean((r) => r.inserts);
    return [
      {
        what: `spread: ${fmt(AWARDS)} awards over ${USERS}×${BRANDS} (user, brand), ${CLIENTS} clients (mean of ${ROUNDS})`,
        product: `${fmt(awards)} awards/s`,
        raw: `${fmt(inserts)} inserts/s`,
        ratio: (awards / inserts).toFixed(2),
        target: `≥ ${TARGET}${awards / inserts >= TARGET ? '' : ' (missed)'}`,
      },
      {
        what: `hot: ${fmt(HOT_AWARDS)} awards to one (user, brand), ${CLIENTS} clients`,
        product: `${fmt(hotAwards)} awards/s`,
        raw: `${fmt(hotInserts)} inserts/s`,
        ratio: (hotAwards / hotInserts).toFixed(2),
        target: '— (serialized by design)',
      },
    ];
  } finally {
    await pool.end();
    await dataSource.destroy();
    await setup.end();
  }
}

export async function benchAwards(): Promise<void> {
  const serverUrl = benchServerUrl('award throughput');
  if (!serverUrl) return;
  console.log(`\naward throughput: ${machineLine()}; ${await serverVersion(serverUrl)}`);
  const rows = await withBenchDatabase(serverUrl, measure);
  printTable('award throughput: ShareLedger.apply in inTransaction vs raw single-row INSERT (autocommit)', rows);
}
