/**
 * Award throughput (issue 6): `ShareLedger.apply` — lock, idempotency check, ledger entry, employment
 * projection, recent shares, and the title event or CEO seat when they apply — with BENCH_AWARD_CLIENTS
 * (8) concurrent clients, each award in its own transaction (`inTransaction`), against raw single-row
 * INSERTs of a similar row into a plain table by as many concurrent clients on the same server, and
 * against the floor of an award's work: its writes alone, raw, in a transaction of the same shape (see
 * `rawAwardWrites`).
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- awards
 *   BENCH_AWARDS=4000 BENCH_AWARD_USERS=500 BENCH_AWARD_BRANDS=50 BENCH_AWARD_ROUNDS=3 …
 *
 * Spread: every award picks a random (user, brand) among USERS × BRANDS, so most take a lock nobody
 * else holds; hot: every award goes to one (user, brand), so the lock serializes them and, past 1,000
 * shares, each also decides the brand's CEO seat.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
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

/**
 * CPU time per operation in the last `throughput` run: of this Node process, and of the server backends
 * of its connections (null when the server's processes cannot be read here, e.g. a remote server).
 * On a CPU-bound machine their sum, not the wall clock, is what an operation costs: it moves far less
 * with other sessions' load than the throughput does.
 */
let lastCpuMs = 0;
let lastBackendCpuMs: number | null = 0;

/** Clock ticks of /proc/<pid>/stat (utime + stime) per millisecond: USER_HZ is 100 on Linux. */
const TICKS_PER_MS = 0.1;

/** utime + stime of the server backends serving `applicationName`, by pid; null when /proc cannot tell. */
async function backendTicks(setup: pg.Client, applicationName: string): Promise<Map<number, number> | null> {
  const { rows } = await setup.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, [
    applicationName,
  ]);
  const ticks = new Map<number, number>();
  try {
    for (const { pid } of rows) {
      // The fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
      const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    }
  } catch {
    return null;
  }
  return ticks;
}

/** Runs `count` operations on `lanes` concurrent lanes; operations per second. */
async function throughput(
  count: number,
  lanes: number,
  backends: { setup: pg.Client; applicationName: string },
  op: (lane: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const before = await backendTicks(backends.setup, backends.applicationName);
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      while (next++ < count) await op(lane);
    }),
  );
  const { user, system } = process.cpuUsage(cpu);
  const rate = count / (Number(process.hrtime.bigint() - started) / 1e9);
  lastCpuMs = (user + system) / 1000 / count;
  const after = await backendTicks(backends.setup, backends.applicationName);
  lastBackendCpuMs =
    before && after
      ? [...after].reduce((sum, [pid, ticks]) => sum + ticks - (before.get(pid) ?? 0), 0) / TICKS_PER_MS / count
      : null;
  return rate;
}

async function seed(client: pg.Client): Promise<{ users: string[]; brands: string[]; floorBrands: string[] }> {
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
  // Brands of the floor's own, so that its writes leave the awards' employments as they are.
  const floorBrands = await client.query<{ id: string }>(
    `INSERT INTO brands (slug, name, folded_name) SELECT 'floor-' || i, 'Floor ' || i, 'floor ' || i
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
  const ids = (result: pg.QueryResult<{ id: string }>) => result.rows.map((r) => r.id);
  return { users: ids(users), brands: ids(brands), floorBrands: ids(floorBrands) };
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

const RAW_INSERT = `INSERT INTO bench_raw_awards (user_id, brand_id, shares, requested_shares, reason, source_type,
                                                  source_id, idempotency_key, created_at)
                    VALUES ($1, $2, 10, 10, 'PHOTO_PUBLISHED', 'photo', $3, $4, $5)`;

function rawValues(userId: string, brandId: string): unknown[] {
  const photoId = randomUUID();
  return [userId, brandId, photoId, `photo:${photoId}`, new Date()];
}

function rawInsert(pool: pg.Pool, userId: string, brandId: string) {
  return pool.query(RAW_INSERT, rawValues(userId, brandId));
}

/**
 * The writes of an award and nothing else, in one statement: the ledger entry, the employment upsert (with
 * its triggers: the share counts, the ban flag) and, for a first entry, the `employment.started` event.
 */
const AWARD_WRITES = `
  WITH entry AS (
    INSERT INTO share_ledger (user_id, brand_id, shares, requested_shares, reason, source_type, source_id,
                              idempotency_key, created_at)
    VALUES ($1, $2, 10, 10, 'PHOTO_PUBLISHED', 'photo', $3, $4, $5) RETURNING id
  ), employment AS (
    INSERT INTO employments (user_id, brand_id, shares, title, salary, since, shares_reached_at, recent_shares,
                             recent_as_of, recent_reached_at)
    VALUES ($1, $2, 10, 'INTERN', 18200, $5, $5, 10, $5, $5)
    ON CONFLICT (user_id, brand_id) DO UPDATE
      SET shares = employments.shares + 10, salary = employments.salary + 200, shares_reached_at = $5,
          recent_shares = employments.recent_shares + 10, recent_as_of = $5, recent_reached_at = $5
    RETURNING id, xmax = 0 AS created
  )
  INSERT INTO events (action, actor_id, brand_id, target_type, target_id, meta, occurred_at)
  SELECT 'employment.started', $1, $2, 'employment', employment.id, jsonb_build_object('entryId', entry.id::text), $5
    FROM entry, employment WHERE employment.created`;

/**
 * The floor of an award: its transaction's shape (BEGIN, one statement, COMMIT, as `ShareLedger.apply` in
 * `inTransaction` sends) and its writes (AWARD_WRITES), with nothing locked, read or decided. No award can
 * beat it on this server; its ratio to the autocommit insert is what an award's writes and round trips cost.
 */
async function rawAwardWrites(pool: pg.Pool, userId: string, brandId: string) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query({ name: 'bench_raw_award_writes', text: AWARD_WRITES, values: rawValues(userId, brandId) });
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

async function measure(url: string): Promise<ResultRow[]> {
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  const { users, brands, floorBrands } = await seed(setup);
  const dataSource = createDataSource({ url, poolSize: CLIENTS, applicationName: 'bench-awards' });
  await dataSource.initialize();
  const pool = new pg.Pool({ connectionString: url, max: CLIENTS, application_name: 'bench-raw' });
  const { ledger } = shareLedgerOn(dataSource);
  try {
    const awardBackends = { setup, applicationName: 'bench-awards' };
    const rawBackends = { setup, applicationName: 'bench-raw' };
    const spreadAward = () => award(dataSource, ledger, pick(users), pick(brands));
    const spreadRaw = () => rawInsert(pool, pick(users), pick(brands));
    // Warm-up: connections opened, statements and caches warm on both sides.
    await throughput(200, CLIENTS, awardBackends, spreadAward);
    await throughput(200, CLIENTS, rawBackends, spreadRaw);

    const floor = () => rawAwardWrites(pool, pick(users), pick(floorBrands));
    await throughput(200, CLIENTS, rawBackends, floor);

    const rounds: { awards: number; inserts: number; floors: number }[] = [];
    const cpu = { awards: 0, inserts: 0, awardBackends: 0 as number | null, insertBackends: 0 as number | null };
    const addBackendCpu = (sum: number | null) =>
      sum === null || lastBackendCpuMs === null ? null : sum + lastBackendCpuMs / ROUNDS;
    const runAwards = async () => {
      const rate = await throughput(AWARDS, CLIENTS, awardBackends, spreadAward);
      cpu.awards += lastCpuMs / ROUNDS;
      cpu.awardBackends = addBackendCpu(cpu.awardBackends);
      return rate;
    };
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which runs first, so neither always meets a freshly checkpointed or busier server.
      let awards = 0;
      if (round % 2 === 0) awards = await runAwards();
      const inserts = await throughput(AWARDS, CLIENTS, rawBackends, spreadRaw);
      cpu.inserts += lastCpuMs / ROUNDS;
      cpu.insertBackends = addBackendCpu(cpu.insertBackends);
      if (round % 2 === 1) awards = await runAwards();
      const floors = await throughput(AWARDS, CLIENTS, rawBackends, floor);
      rounds.push({ awards, inserts, floors });
      console.log(
        `  round ${round + 1}: ${fmt(awards)} awards/s, ${fmt(inserts)} inserts/s, ratio ${(awards / inserts).toFixed(2)}; ` +
          `${fmt(floors)} raw award-write transactions/s, ${(floors / inserts).toFixed(2)} of the inserts`,
      );
    }
    console.log(
      `  Node CPU per operation: award ${cpu.awards.toFixed(2)} ms, raw insert ${cpu.inserts.toFixed(2)} ms ` +
        `(${(cpu.awards * (AWARDS / 1000)).toFixed(1)} s of CPU per round of awards)`,
    );
    if (cpu.awardBackends !== null && cpu.insertBackends !== null) {
      const awardTotal = cpu.awards + cpu.awardBackends;
      const insertTotal = cpu.inserts + cpu.insertBackends;
      console.log(
        `  server backends' CPU per operation: award ${cpu.awardBackends.toFixed(2)} ms, raw insert ` +
          `${cpu.insertBackends.toFixed(2)} ms; Node + backends: ${awardTotal.toFixed(2)} ms against ` +
          `${insertTotal.toFixed(2)} ms, a CPU-bound ratio of ${(insertTotal / awardTotal).toFixed(2)}`,
      );
    }
    const mean = (f: (r: { awards: number; inserts: number; floors: number }) => number) =>
      rounds.reduce((sum, r) => sum + f(r), 0) / rounds.length;

    const hotUser = users[0]!;
    const hotBrand = brands[0]!;
    const hotAwards = await throughput(HOT_AWARDS, CLIENTS, awardBackends, () =>
      award(dataSource, ledger, hotUser, hotBrand),
    );
    const hotInserts = await throughput(HOT_AWARDS, CLIENTS, rawBackends, () => rawInsert(pool, hotUser, hotBrand));

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
    const floors = mean((r) => r.floors);
    return [
      {
        what: `spread: ${fmt(AWARDS)} awards over ${USERS}×${BRANDS} (user, brand), ${CLIENTS} clients (mean of ${ROUNDS})`,
        product: `${fmt(awards)} awards/s`,
        raw: `${fmt(inserts)} inserts/s`,
        ratio: (awards / inserts).toFixed(2),
        target: `≥ ${TARGET}${awards / inserts >= TARGET ? '' : ' (missed)'}`,
      },
      {
        what: `the floor: an award's writes alone, raw (BEGIN, entry + employment + event, COMMIT)`,
        product: `${fmt(awards)} awards/s`,
        raw: `${fmt(floors)} transactions/s`,
        ratio: (awards / floors).toFixed(2),
        target: `— (the floor: ${(floors / inserts).toFixed(2)} of the inserts)`,
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
