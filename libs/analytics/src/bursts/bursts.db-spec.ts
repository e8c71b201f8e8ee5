import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { Clock, EventConsumer, type JobRegistry, type JobScheduler } from '@boardroom/core';
import { EventsRepository } from '../../../core/src/events/events.repository.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { DetectorRunner } from '../detector-runner.js';
import { FlagsRepository } from '../flags.repository.js';
import { BURSTS, BurstsDetector } from './bursts.detector.js';
import { BurstsRepository } from './bursts.repository.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const HOUR = 60 * 60 * 1000;
const hoursAgo = (hours: number): Date => new Date(NOW.getTime() - hours * HOUR);

class FixedClock extends Clock {
  now(): Date {
    return NOW;
  }
}

describe('the bursts detector', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const flags = new FlagsRepository();
  let runner: DetectorRunner;
  let managerId: string;

  beforeAll(async () => {
    Logger.overrideLogger(['error', 'warn']);
    database = await createTestDatabase();
    dataSource = database.dataSource;
    const events = new EventsRepository();
    runner = new DetectorRunner(
      dataSource,
      [new BurstsDetector(new BurstsRepository(), flags)],
      new EventConsumer(dataSource, events),
      flags,
      undefined as unknown as JobRegistry,
      undefined as unknown as JobScheduler,
      new FixedClock(),
    );
    [{ id: managerId }] = await dataSource.query(
      `INSERT INTO users (email, handle, display_name, password_hash) VALUES ('m@example.com', 'mgr', 'Mgr', 'x')
       RETURNING id`,
    );
  });
  afterAll(() => database?.close());

  async function brand(slug: string): Promise<string> {
    const [{ id }] = await dataSource.query(
      `INSERT INTO brands (slug, name, folded_name) VALUES ($1, $1, $1) RETURNING id`,
      [slug],
    );
    return id as string;
  }

  /** Two comments an hour by two regulars, for `days` days up to `until` hours ago. */
  async function flat(brandId: string, days: number, until = 0): Promise<string[]> {
    const regulars = [randomUUID(), randomUUID()];
    await dataSource.query(
      `INSERT INTO events (occurred_at, actor_id, action, brand_id)
       SELECT $1::timestamptz - h * interval '1 hour' + interval '10 minutes', r, 'comment.posted', $2
         FROM generate_series($3::int, $4::int) AS h, unnest($5::uuid[]) AS r`,
      [NOW, brandId, until + 1, days * 24, regulars],
    );
    return regulars;
  }

  /** One event each of `actors` in the hour starting `hoursBack` hours ago. */
  async function hourOf(brandId: string, hoursBack: number, actors: readonly string[]): Promise<void> {
    await dataSource.query(
      `INSERT INTO events (occurred_at, actor_id, action, brand_id)
       SELECT $1::timestamptz + (i * interval '1 minute'), a, 'photo.published', $2
         FROM unnest($3::uuid[]) WITH ORDINALITY AS x(a, i)`,
      [hoursAgo(hoursBack), brandId, actors],
    );
  }

  const actors = (n: number): string[] => Array.from({ length: n }, () => randomUUID());

  it('flags an hour of 40 events over a flat baseline, explains one inside a declared campaign, and leaves near misses', async () => {
    const [pumped, campaigning, steady, young] = [
      await brand('pumped'),
      await brand('campaigning'),
      await brand('steady'),
      await brand('young'),
    ];
    const shared = actors(20);
    const regulars = await flat(pumped, 15, 2);
    for (const id of [campaigning, steady]) await flat(id, 15, 2);
    await flat(young, 3, 2);
    // Two bought hours in the pumped brand (40 events over its usual 2), with 20 accounts in both.
    await hourOf(pumped, 10, [...shared, ...actors(20)]);
    await hourOf(pumped, 5, [...shared, ...actors(20)]);
    await hourOf(campaigning, 10, actors(40));
    await dataSource.query(
      `INSERT INTO campaigns (brand_id, name, starts_at, ends_at, created_by) VALUES ($1, 'Winter launch', $2, $3, $4)`,
      [campaigning, hoursAgo(24), hoursAgo(0), managerId],
    );
    // Near misses: 10 in an hour of a steady brand (8 + its 2; z ≈ 5.4), and 42 in a brand of 3 days.
    await hourOf(steady, 10, actors(8));
    await hourOf(young, 10, actors(40));

    const result = await runner.run(BURSTS);
    expect(result).toMatchObject({ reevaluated: true });

    const clusters = await flags.clustersOf(dataSource.manager, BURSTS);
    const byBrand = (id: string) => clusters.filter((c) => c.evidence.brandId === id);
    expect(byBrand(steady)).toEqual([]);
    expect(byBrand(young)).toEqual([]);
    expect(byBrand(pumped)).toHaveLength(2);
    for (const cluster of byBrand(pumped)) {
      expect(cluster).toMatchObject({ kind: 'BURST', score: 0.54 });
      expect(cluster.members).toHaveLength(42);
      expect(cluster.evidence).toMatchObject({
        count: 42,
        baselineMedian: 2,
        baselineMad: 0,
        explained: false,
        campaignId: null,
      });
      expect(cluster.evidence.z).toBeCloseTo(26.98, 1);
    }
    const [explained] = byBrand(campaigning);
    expect(explained).toMatchObject({ score: 0.05 });
    expect(explained!.evidence).toMatchObject({ explained: true, count: 42 });
    expect(typeof explained!.evidence.campaignId).toBe('string');

    const raised = await flags.flagsOf(dataSource.manager, BURSTS);
    const eventFlags = raised.filter((f) => f.subjectType === 'EVENT');
    expect(eventFlags).toHaveLength(126);
    expect(eventFlags.filter((f) => f.score === 0.05)).toHaveLength(42);
    // Only the accounts in both unexplained bursts (the regulars, active every hour, are too).
    const accountFlags = raised.filter((f) => f.subjectType === 'ACCOUNT');
    expect(accountFlags.map((f) => f.subjectId).sort()).toEqual([...shared, ...regulars].sort());
    expect(accountFlags.every((f) => f.score === 0.5)).toBe(true);
  });

  it('counts only new events on the next run, and a campaign declared afterwards explains its bursts', async () => {
    const [{ id: pumped }] = await dataSource.query(`SELECT id FROM brands WHERE slug = 'pumped'`);
    const [{ id: campaignId }] = await dataSource.query(
      `INSERT INTO campaigns (brand_id, name, starts_at, ends_at, created_by) VALUES ($1, 'Late', $2, $3, $4)
       RETURNING id`,
      [pumped, hoursAgo(6), hoursAgo(4), managerId],
    );
    await dataSource.query(
      `INSERT INTO events (action, actor_id, brand_id, target_type, target_id, meta)
       VALUES ('campaign.declared', $1, $2, 'campaign', $3, $4)`,
      [managerId, pumped, campaignId, { campaignId, startsAt: hoursAgo(6), endsAt: hoursAgo(4) }],
    );
    const result = await runner.run(BURSTS);
    expect(result).toMatchObject({ reevaluated: false, events: 1 });
    const clusters = (await flags.clustersOf(dataSource.manager, BURSTS)).filter((c) => c.evidence.brandId === pumped);
    expect(clusters.map((c) => c.evidence.explained).sort()).toEqual([false, true]);
    expect(clusters.find((c) => c.evidence.explained)!.evidence).toMatchObject({ count: 42, campaignId });
    // One unexplained burst left: no account is flagged any more.
    const raised = await flags.flagsOf(dataSource.manager, BURSTS);
    expect(raised.filter((f) => f.subjectType === 'ACCOUNT')).toEqual([]);
  });
});
