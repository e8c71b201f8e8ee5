import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '@boardroom/accounts';
import { DetectorRunner, ReportService } from '@boardroom/analytics';
import { Clock, LedgerChecks, SystemClock, loadConfig, type AppConfig } from '@boardroom/core';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { CliModule } from '../cli.module.js';
import { FastInsecurePasswordHasher } from './fast-insecure-password-hasher.js';
import { parseFraudMix } from './fraud-mix.js';
import { SimulationClock } from './simulation-clock.js';
import { writeWorldFiles, type WorldLabels } from './world-labels.js';
import { planWorld, type WorldPlan } from './world-plan.js';
import { WorldWriter, type WrittenWorld } from './world-writer.js';

const END = new Date('2026-11-30T12:00:00.000Z');
const DAY = 24 * 3_600_000;

describe('a simulated world in the database (30 users, 3 brands, 3 days, one overt farm)', () => {
  let database: TestDatabase;
  let dir: string;
  let context: INestApplicationContext;
  let plan: WorldPlan;
  let world: WrittenWorld;
  let labels: WorldLabels;
  let config: AppConfig;
  const query = <T>(sql: string, parameters: unknown[] = []) => database.dataSource.query<T[]>(sql, parameters);

  // Writes a whole world through the services (about a minute on a loaded CI machine).
  beforeAll(async () => {
    database = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-simulation-'));
    config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DATA_DIR: dir,
    });
    context = await NestFactory.createApplicationContext(CliModule.forSimulation(config, database.url, END), {
      logger: false,
    });
    plan = planWorld({ users: 30, brands: 3, days: 3, fraud: parseFraudMix('overt:1'), seed: 5, end: END });
    world = await context.get(WorldWriter).write(plan, () => {});
    const files = await writeWorldFiles(path.join(dir, 'out'), plan, world);
    labels = JSON.parse(await readFile(files.labels, 'utf8')) as WorldLabels;
  }, 240_000);
  afterAll(async () => {
    await context?.close();
    await database?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('wrote every account, and published every photo at its simulated time', async () => {
    expect(world.refused).toEqual({});
    const [users] = await query<{ count: number }>(`SELECT count(*)::int AS count FROM users`);
    expect(users!.count).toBe(plan.accounts.length);
    const photos = await query<{ id: string; status: string; published_at: Date }>(
      `SELECT id, status, published_at FROM photos`,
    );
    expect(photos).toHaveLength(plan.photos.length);
    const planned = new Map(plan.photos.map((p) => [world.photoIds[p.key], p.at.getTime()]));
    for (const photo of photos) {
      expect(photo.status).toBe('PUBLISHED');
      expect(photo.published_at.getTime()).toBe(planned.get(photo.id));
    }
    const [comments] = await query<{ count: number }>(`SELECT count(*)::int AS count FROM comments`);
    expect(comments!.count).toBeGreaterThan(20);
  });

  it('dates events, accounts and ledger entries on the simulated clock, spanning the days', async () => {
    const start = END.getTime() - 3 * DAY;
    const [events] = await query<{ first: Date; last: Date; count: number }>(
      `SELECT min(occurred_at) AS first, max(occurred_at) AS last, count(*)::int AS count FROM events`,
    );
    expect(events!.first.getTime()).toBeGreaterThanOrEqual(start);
    expect(events!.last.getTime()).toBeLessThanOrEqual(END.getTime());
    expect(events!.last.getTime() - events!.first.getTime()).toBeGreaterThan(2 * DAY);
    const [users] = await query<{ first: Date; last: Date }>(
      `SELECT min(created_at) AS first, max(created_at) AS last FROM users`,
    );
    expect(users!.first.getTime()).toBeGreaterThanOrEqual(start);
    expect(users!.last.getTime()).toBeLessThan(END.getTime());
    for (const [table, column] of [
      ['invites', 'accepted_at'],
      ['follows', 'created_at'],
      ['comments', 'created_at'],
    ]) {
      const [dated] = await query<{ first: Date; last: Date }>(
        `SELECT min(${column}) AS first, max(${column}) AS last FROM ${table}`,
      );
      expect(dated!.first.getTime()).toBeGreaterThanOrEqual(start);
      expect(dated!.last.getTime()).toBeLessThan(END.getTime());
    }
    const [ledger] = await query<{ first: Date; last: Date }>(
      `SELECT min(created_at) AS first, max(created_at) AS last FROM share_ledger`,
    );
    expect(ledger!.first.getTime()).toBeGreaterThanOrEqual(start);
    expect(ledger!.last.getTime()).toBeLessThanOrEqual(END.getTime());
    expect(context.get(Clock).now()).toEqual(END);
  });

  it('keeps every projection equal to its ledger (check-ledger)', async () => {
    const manager = context.get(DataSource).manager;
    for (const check of context.get(LedgerChecks).all()) expect(await check.differences(manager)).toEqual([]);
  });

  it('lists the farm in the labels file, and nothing of the labels in the tables', async () => {
    const farm = labels.fraudGroups.find((g) => g.groupId === 'overt-1')!;
    expect(farm.kind).toBe('overt');
    expect(farm.userIds.length).toBeGreaterThanOrEqual(20);
    const handles = await query<{ handle: string }>(`SELECT handle FROM users WHERE id = ANY($1::uuid[])`, [
      farm.userIds,
    ]);
    expect(handles).toHaveLength(farm.userIds.length);
    expect(labels.accounts.filter((a) => a.group === 'organic')).toHaveLength(30);
    expect(labels.parameters).toMatchObject({ users: 30, fraud: 'overt:1', seed: 5, end: END.toISOString() });
    // The farm's comments hit the beneficiary's photos within minutes.
    const bursts = await query<{ photo_id: string; spread: number; n: number }>(
      `SELECT photo_id, extract(epoch FROM max(created_at) - min(created_at))::float8 AS spread, count(*)::int AS n
         FROM comments WHERE author_id = ANY($1::uuid[]) GROUP BY photo_id`,
      [farm.userIds],
    );
    expect(bursts.length).toBeGreaterThan(0);
    for (const burst of bursts) expect(burst.spread).toBeLessThan(600);
    const columns = await query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name ~ 'label|fraud'`,
    );
    expect(columns).toEqual([]);
  });

  it('gives the brand the farm pumped a report that names the farm, with a lower score', async () => {
    await context.get(DetectorRunner).runAll();
    const farm = new Set(labels.fraudGroups.find((g) => g.groupId === 'overt-1')!.userIds);
    // The farm's brand: where its members commented.
    const [farmBrand] = await query<{ brand_id: string }>(
      `SELECT p.brand_id FROM comments c JOIN photos p ON p.id = c.photo_id
        WHERE c.author_id = ANY($1::uuid[]) GROUP BY p.brand_id ORDER BY count(*) DESC LIMIT 1`,
      [[...farm]],
    );
    const report = await context.get(ReportService).compute(farmBrand!.brand_id, 'LAST_7_DAYS');
    const named = report.clusters.filter((cluster) => cluster.userIds.filter((id) => farm.has(id)).length >= 5);
    expect(named.length).toBeGreaterThan(0);
    // Most of the farm is in one named group, and the group is mostly farm.
    const [largest] = named.sort((a, b) => b.userIds.length - a.userIds.length);
    const members = largest!.userIds.filter((id) => farm.has(id)).length;
    expect(members / farm.size).toBeGreaterThan(0.5);
    expect(members / largest!.userIds.length).toBeGreaterThan(0.9);
    expect(largest!.evidence).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/);
    expect(report.score).toBeLessThan(0.9);
  });

  it('declares the planned campaign through the product, as labelled', async () => {
    expect(world.refused.declareCampaign).toBeUndefined();
    const declared = await query<{ slug: string; starts_at: Date; ends_at: Date }>(
      `SELECT b.slug, c.starts_at, c.ends_at FROM campaigns c JOIN brands b ON b.id = c.brand_id`,
    );
    expect(
      declared.map((c) => ({ brandSlug: c.slug, start: c.starts_at.toISOString(), end: c.ends_at.toISOString() })),
    ).toEqual(labels.campaigns);
  });

  it('hashes passwords with the fast hasher, a valid argon2id string its log-in would upgrade', async () => {
    const [user] = await query<{ password_hash: string }>(`SELECT password_hash FROM users LIMIT 1`);
    expect(user!.password_hash).toMatch(/^\$argon2id\$v=19\$m=8,t=1,p=1\$/);
  });

  it('switches the simulated clock and the fast hasher on in the simulation context only', async () => {
    expect(context.get(Clock)).toBeInstanceOf(SimulationClock);
    expect(context.get(PasswordHasher, { strict: false })).toBeInstanceOf(FastInsecurePasswordHasher);
    const operator = await NestFactory.createApplicationContext(CliModule.forRoot(config, database.url), {
      logger: false,
    });
    try {
      expect(operator.get(Clock)).toBeInstanceOf(SystemClock);
      const hasher = operator.get(PasswordHasher, { strict: false });
      expect(hasher).not.toBeInstanceOf(FastInsecurePasswordHasher);
      expect(await hasher.hash('a long enough password')).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    } finally {
      await operator.close();
    }
  });

  it('refuses to write a second world into a database that has one', async () => {
    await expect(context.get(WorldWriter).write(plan, () => {})).rejects.toThrow(/already has \d+ user/);
  });
});
