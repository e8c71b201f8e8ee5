import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { Clock, DomainError, JobQueue, type JobRegistry, type JobScheduler } from '@boardroom/core';
import { Role, type Viewer } from '@boardroom/accounts';
import type { BrandsService } from '@boardroom/brands';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { LOCKSTEP_GROUPS } from '../lockstep/lockstep.detector.js';
import { NEAR_DUPLICATE_PHOTOS } from '../near-duplicates/near-duplicate-photos.detector.js';
import { SHARED_FINGERPRINTS } from '../fingerprints/shared-fingerprints.detector.js';
import { YOUNG_ACCOUNTS } from '../young-accounts/young-accounts.detector.js';
import { gini } from './metric-functions.js';
import { BURSTS } from '../bursts/bursts.detector.js';
import { ReportRepository } from './report.repository.js';
import { ReportService } from './report.service.js';
import { reportRange, type AuthenticityReportRecord } from './report.types.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(NOW.getTime() - ms);

class FixedClock extends Clock {
  now(): Date {
    return NOW;
  }
}

/**
 * The report's queries on a small hand-made brand: ten employees of Acme, five of them a comment farm,
 * one young account whose photo's action is flagged, one copied photo, one account flagged and cleared.
 */
describe('authenticity report queries', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let service: ReportService;
  let acme: string;
  let other: string;
  const repository = new ReportRepository();
  const users: Record<string, string> = {};
  const photos: Record<string, string> = {};
  let keys = 0;
  let managerOfAcme: string;
  const brandsStub = {
    findBySlug: (slug: string) =>
      Promise.resolve(
        slug === 'acme'
          ? { id: acme, slug, name: 'Acme' }
          : slug === 'other'
            ? { id: other, slug, name: 'Other' }
            : null,
      ),
    canManage: (viewer: Viewer, brandId: string) =>
      Promise.resolve(viewer.roles.includes(Role.ADMIN) || (viewer.id === managerOfAcme && brandId === acme)),
  } as unknown as BrandsService;

  const sql = <T = Record<string, unknown>>(query: string, parameters: unknown[] = []) =>
    dataSource.query<T[]>(query, parameters);

  async function user(name: string, createdAt = ago(60 * DAY)): Promise<string> {
    const { id } = (
      await sql<{ id: string }>(
        `INSERT INTO users (email, handle, display_name, password_hash, created_at)
       VALUES ($1, $2, $2, 'x', $3) RETURNING id`,
        [`${name}@example.com`, name, createdAt],
      )
    )[0]!;
    users[name] = id;
    return id;
  }
  async function brand(slug: string): Promise<string> {
    const { id } = (
      await sql<{ id: string }>(`INSERT INTO brands (slug, name, folded_name) VALUES ($1, $1, $1) RETURNING id`, [slug])
    )[0]!;
    return id;
  }
  async function event(
    actor: string,
    brandId: string,
    at: Date,
    action = 'test.acted',
    target: { type: string; id: string } | null = null,
  ): Promise<string> {
    const { id } = (
      await sql<{ id: string }>(
        `INSERT INTO events (occurred_at, actor_id, action, brand_id, target_type, target_id)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [at, users[actor], action, brandId, target?.type ?? null, target?.id ?? null],
      )
    )[0]!;
    return String(id);
  }
  async function photo(name: string, owner: string, brandId: string, publishedAt: Date): Promise<string> {
    const { id } = (
      await sql<{ id: string }>(
        `INSERT INTO photos (owner_id, brand_id, upload_event_id, original_key, original_format, original_bytes, sha256,
                           width, height, status, published_at, created_at)
       VALUES ($1, $2, 0, 'k', 'jpeg', 1, $3, 10, 10, 'PUBLISHED', $4, $4) RETURNING id`,
        [users[owner], brandId, randomUUID().replaceAll('-', '').padEnd(64, '0'), publishedAt],
      )
    )[0]!;
    photos[name] = id;
    return id;
  }
  async function comment(author: string, photoName: string, at: Date): Promise<string> {
    const { id } = (
      await sql<{ id: string }>(
        `INSERT INTO comments (photo_id, author_id, body, created_at) VALUES ($1, $2, 'nice one', $3) RETURNING id`,
        [photos[photoName], users[author], at],
      )
    )[0]!;
    return id;
  }
  async function entry(
    name: string,
    brandId: string,
    shares: number,
    at: Date,
    source: { type: 'photo' | 'comment' | 'award'; id: string },
  ): Promise<void> {
    const reason = { photo: 'PHOTO_PUBLISHED', comment: 'COMMENT_POSTED', award: 'AWARD_BONUS' }[source.type];
    await sql(
      `INSERT INTO share_ledger (user_id, brand_id, shares, requested_shares, reason, source_type, source_id,
                                 idempotency_key, created_at)
       VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8)`,
      [users[name], brandId, shares, reason, source.type, source.id, `test:${++keys}`, at],
    );
  }
  async function employ(name: string, brandId: string, since: Date): Promise<void> {
    await sql(
      `INSERT INTO employments (user_id, brand_id, salary, since, shares_reached_at, recent_as_of, recent_reached_at)
       VALUES ($1, $2, 0, $3, $3, $3, $3)`,
      [users[name], brandId, since],
    );
  }
  async function cluster(kind: string, detector: string, members: string[], evidence: object): Promise<string> {
    const { id } = (
      await sql<{ id: string }>(
        `INSERT INTO flag_clusters (detector, detector_version, kind, members, score, evidence, created_at, updated_at)
       VALUES ($1, '1', $2, $3::text[], 0.5, $4, $5, $5) RETURNING id`,
        [detector, kind, members, JSON.stringify(evidence), ago(DAY)],
      )
    )[0]!;
    return id;
  }
  async function flag(
    subjectType: 'ACCOUNT' | 'PHOTO' | 'EVENT',
    subjectId: string,
    detector: string,
    options: { clusterId?: string; state?: 'OPEN' | 'CLEARED' } = {},
  ): Promise<void> {
    await sql(
      `INSERT INTO flags (subject_type, subject_id, detector, detector_version, score, evidence, cluster_id, state,
                          created_at, updated_at)
       VALUES ($1, $2, $3, '1', 0.5, '{}', $4, $5, $6, $6)`,
      [subjectType, subjectId, detector, options.clusterId ?? null, options.state ?? 'OPEN', ago(DAY)],
    );
  }

  const farm = ['farm1', 'farm2', 'farm3', 'farm4', 'farm5'];

  beforeAll(async () => {
    Logger.overrideLogger(['error', 'warn']);
    database = await createTestDatabase();
    dataSource = database.dataSource;
    service = new ReportService(
      dataSource,
      repository,
      brandsStub,
      new JobQueue(dataSource),
      undefined as unknown as JobRegistry,
      undefined as unknown as JobScheduler,
      new FixedClock(),
    );
    acme = await brand('acme');
    other = await brand('other');
    for (const name of ['ann', 'bob', ...farm, 'cleared', 'dup', 'outsider', 'boss']) await user(name);
    await user('young', ago(6 * DAY));
    managerOfAcme = users.boss!;

    // Ann and Bob: organic, old employees; Ann's photo crosses the ASSOCIATE threshold (40 → 50).
    await employ('ann', acme, ago(30 * DAY));
    await employ('bob', acme, ago(30 * DAY));
    await entry('ann', acme, 40, ago(20 * DAY), { type: 'award', id: 'old' });
    await photo('ann1', 'ann', acme, ago(2 * DAY));
    await entry('ann', acme, 10, ago(2 * DAY), { type: 'photo', id: photos.ann1! });
    await photo('bob1', 'bob', acme, ago(3 * DAY));
    await entry('bob', acme, 10, ago(3 * DAY), { type: 'photo', id: photos.bob1! });
    // Bob comments Ann's photo, Ann answers on Bob's within a day: one reciprocated exchange.
    await entry('bob', acme, 1, ago(2 * DAY - HOUR), {
      type: 'comment',
      id: await comment('bob', 'ann1', ago(2 * DAY - HOUR)),
    });
    await entry('ann', acme, 1, ago(DAY + HOUR), {
      type: 'comment',
      id: await comment('ann', 'bob1', ago(DAY + HOUR)),
    });

    // The farm: five new employees commenting Ann's photo, flagged in one lockstep group.
    const lockstep = await cluster(
      'LOCKSTEP',
      LOCKSTEP_GROUPS,
      farm.map((name) => users[name]!),
      {
        targets: ['photo:a', 'photo:b', 'photo:c'],
        accounts: 5,
        windowMinutes: 10,
        beneficiaries: [],
      },
    );
    for (const name of farm) {
      await employ(name, acme, ago(12 * HOUR));
      const at = ago(10 * HOUR);
      await entry(name, acme, 1, at, { type: 'comment', id: await comment(name, 'ann1', at) });
      await flag('ACCOUNT', users[name]!, LOCKSTEP_GROUPS, { clusterId: lockstep });
    }
    // Farm work for another brand is not Acme's.
    await photo('elsewhere', 'outsider', other, ago(DAY));
    await entry('farm1', other, 10, ago(DAY), { type: 'photo', id: photos.elsewhere! });

    // A young account: its photo's action is flagged (not the account), its comment is not.
    await employ('young', acme, ago(6 * DAY));
    await event('young', acme, ago(6 * DAY));
    await photo('young1', 'young', acme, ago(2 * DAY));
    const published = await event('young', acme, ago(2 * DAY), 'photo.published', {
      type: 'photo',
      id: photos.young1!,
    });
    await flag('EVENT', published, YOUNG_ACCOUNTS);
    await entry('young', acme, 10, ago(2 * DAY), { type: 'photo', id: photos.young1! });
    await entry('young', acme, 1, ago(2 * DAY), { type: 'comment', id: await comment('young', 'bob1', ago(2 * DAY)) });

    // Flagged once, cleared on appeal: authentic again, and its group is no longer suspicious.
    await employ('cleared', acme, ago(6 * DAY));
    await event('cleared', acme, ago(6 * DAY));
    const device = await cluster('SHARED_DEVICE', SHARED_FINGERPRINTS, [users.cleared!, users.outsider!], {
      accounts: 2,
    });
    await flag('ACCOUNT', users.cleared!, SHARED_FINGERPRINTS, { clusterId: device, state: 'CLEARED' });
    await flag('ACCOUNT', users.outsider!, SHARED_FINGERPRINTS, { clusterId: device, state: 'CLEARED' });
    await entry('cleared', acme, 1, ago(5 * DAY), {
      type: 'comment',
      id: await comment('cleared', 'bob1', ago(5 * DAY)),
    });

    // A copied photo: the photo is flagged, with the outsider's original in another brand.
    await employ('dup', acme, ago(3 * DAY));
    await event('dup', acme, ago(3 * DAY));
    await photo('dup1', 'dup', acme, ago(3 * DAY));
    const copies = await cluster('PHOTOS', NEAR_DUPLICATE_PHOTOS, [photos.dup1!, photos.elsewhere!], {
      distinctUsers: 2,
    });
    await flag('PHOTO', photos.dup1!, NEAR_DUPLICATE_PHOTOS, { clusterId: copies });
    await entry('dup', acme, 10, ago(3 * DAY), { type: 'photo', id: photos.dup1! });
    // The young account signed up with the dup account's invite, flagged as the same device.
    await sql(
      `INSERT INTO invites (inviter_id, code, invitee_id, accepted_at, flagged_at, flag_reason, created_at)
       VALUES ($1, 'abcdefgh', $2, $3, $3, 'SAME_DEVICE', $3)`,
      [users.dup, users.young, ago(6 * DAY)],
    );
    // Trust as INVITE_TRUST left it: Ann a seed, Bob half-way there; the others are outside the graph.
    await sql(
      `INSERT INTO account_trust (user_id, relative_trust, degree, tier, detector_version, computed_at)
       VALUES ($1, 1.7, 4, 'SEED', '1', $3), ($2, 0.4, 1, 'MEDIUM', '1', $3)`,
      [users.ann, users.bob, NOW],
    );
    // A group of outsiders only is not Acme's.
    await cluster('SHARED_NETWORK', SHARED_FINGERPRINTS, [users.outsider!], { accounts: 12 });
  });
  afterAll(() => database?.close());

  const range = () => reportRange(acme, 'LAST_7_DAYS', NOW);
  const metricOf = (report: AuthenticityReportRecord, key: string) => {
    const metric = report.metrics.find((m) => m.key === key);
    if (!metric) throw new Error(`No metric ${key}`);
    return metric;
  };

  it('splits the window’s earning shares by the detectors naming their account, photo or action', async () => {
    // In the window: Ann 11, Bob 11, the farm 5, young 11, cleared 1, dup 10 = 49.
    expect(await repository.engagement(dataSource.manager, range())).toEqual({
      totalShares: 49,
      flaggedShares: 25,
      flaggedSharesByDetector: { [LOCKSTEP_GROUPS]: 5, [YOUNG_ACCOUNTS]: 10, [NEAR_DUPLICATE_PHOTOS]: 10 },
      activeEmployees: 10,
    });
  });

  it('computes a report of every metric, stores it, and lists the brand’s open groups', async () => {
    const report = await service.compute(acme, 'LAST_7_DAYS');
    expect(report.score).toBeCloseTo(24 / 49);
    expect(report.activeEmployees).toBe(10);
    expect(report.from).toEqual(ago(7 * DAY));
    expect(report.to).toEqual(NOW);
    expect(metricOf(report, 'authentic_engagement_share').value).toBeCloseTo(24 / 49);
    expect(metricOf(report, 'lockstep_share').value).toBeCloseTo(5 / 49);
    expect(metricOf(report, 'young_account_share').value).toBeCloseTo(10 / 49);
    expect(metricOf(report, 'shared_fingerprint_share').value).toBe(0); // cleared
    expect(metricOf(report, 'duplicate_photo_rate').value).toBeCloseTo(1 / 4); // ann1, bob1, young1, dup1
    // Ann 1 (seed), Bob 0.4, young 0 (flagged self-invite): the median is Bob's.
    expect(metricOf(report, 'invite_tree_trust').value).toBeCloseTo(0.4);
    expect(metricOf(report, 'invite_tree_trust').explanation).toMatch(/SybilRank/);
    // Pairs: bob→ann and ann→bob answered; five farm→ann, young→bob, cleared→bob not.
    expect(metricOf(report, 'reciprocity_24h').value).toBeCloseTo(2 / 9);
    const earned = [11, 11, 1, 1, 1, 1, 1, 11, 1, 10];
    expect(metricOf(report, 'shares_gini').value).toBeCloseTo(gini(earned));
    expect(metricOf(report, 'shares_hhi').value).toBeCloseTo(earned.reduce((s, x) => s + (x / 49) ** 2, 0));
    expect(metricOf(report, 'top_1pct_share').value).toBeCloseTo(11 / 49);
    expect(metricOf(report, 'unexplained_burst_share')).toMatchObject({ value: 0 });
    expect(metricOf(report, 'unexplained_burst_share').explanation).toMatch(/burst detector is not there yet/);
    // Joined in the window a day or more ago: young (back 4 days later), cleared and dup (not back).
    expect(metricOf(report, 'retention_d1').value).toBeCloseTo(1 / 3);
    expect(metricOf(report, 'retention_d7')).toMatchObject({ value: 0 });
    expect(metricOf(report, 'retention_d7').explanation).toMatch(/No employee who joined in the window/);
    // Ann's photo took her from 40 to 50 shares: ASSOCIATE.
    expect(metricOf(report, 'incentive_driven_share').value).toBeCloseTo(10 / 49);
    for (const metric of report.metrics) {
      expect(metric.value).toBeGreaterThanOrEqual(0);
      expect(metric.value).toBeLessThanOrEqual(1);
      expect(metric.label.length).toBeGreaterThan(0);
      expect(metric.explanation).toMatch(/\.$/);
    }

    expect(report.clusters.map((c) => [c.kind, c.userIds])).toEqual(
      expect.arrayContaining([
        ['LOCKSTEP', farm.map((name) => users[name]!).sort()],
        ['PHOTOS', [users.dup!, users.outsider!].sort()],
      ]),
    );
    expect(report.clusters).toHaveLength(2);
    expect(report.clusters.find((c) => c.kind === 'LOCKSTEP')!.evidence).toBe(
      '5 accounts acted on the same 3 targets (photos, brands or proposals), each time within 10 minutes of one another.',
    );

    expect(await repository.find(dataSource.manager, acme, 'LAST_7_DAYS')).toEqual(report);
    expect(await repository.find(dataSource.manager, acme, 'LAST_30_DAYS')).toBeNull();
  });

  it('counts the share of bursts once the burst detector flags any', async () => {
    await flag('ACCOUNT', users.bob!, BURSTS);
    const report = await service.compute(acme, 'LAST_7_DAYS');
    expect(metricOf(report, 'unexplained_burst_share').value).toBeCloseTo(11 / 49);
    expect(report.score).toBeCloseTo(13 / 49);
    await sql(`DELETE FROM flags WHERE detector = $1`, [BURSTS]);
    expect((await service.compute(acme, 'LAST_7_DAYS')).score).toBeCloseTo(24 / 49);
  });

  it('counts the last earning slot of a daily cap as incentive-driven', async () => {
    const day = ago(20 * HOUR);
    for (let i = 0; i < 5; i++) {
      const id = await photo(`cap${i}`, 'bob', acme, new Date(day.getTime() + i * 60_000));
      await entry('bob', acme, 10, new Date(day.getTime() + i * 60_000), { type: 'photo', id });
    }
    // Bob: 11 → 61 shares, the 3rd photo (31 → 41) stays short of 45, the 4th (41 → 51) crosses 50, the 5th fills the cap.
    const shares = await repository.incentiveDrivenShares(dataSource.manager, range(), {
      titleThresholds: [50, 200, 500, 1000],
      nearFraction: 0.9,
      photoCap: 5,
      commentCap: 20,
    });
    expect(shares).toBe(10 + 10 + 10); // Ann's crossing, Bob's crossing and Bob's fifth photo
  });

  it('lists the brands with activity in a window', async () => {
    expect(await repository.activeBrandIds(dataSource.manager, ago(7 * DAY))).toEqual([acme]);
    expect(await repository.activeBrandIds(dataSource.manager, ago(DAY / 2))).toEqual([]);
  });

  describe('the query', () => {
    const viewer = (id: string, roles: Role[] = [Role.CONSUMER]): Viewer => ({ id, roles, sessionId: 's' });

    it('refuses unknown brands and other brands’ managers, and schedules a missing report once an hour', async () => {
      await expect(service.report(viewer(users.boss!), 'nope', 'LAST_7_DAYS')).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      const refused = await service.report(viewer(users.boss!), 'other', 'LAST_7_DAYS').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DomainError);
      expect(refused).toMatchObject({ code: 'FORBIDDEN' });
      await expect(service.report(viewer(users.ann!), 'acme', 'LAST_7_DAYS')).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });

      expect((await service.report(viewer(users.boss!), 'acme', 'LAST_7_DAYS'))?.score).toBeCloseTo(24 / 49);
      expect(await service.report(viewer(users.boss!), 'acme', 'LAST_90_DAYS')).toBeNull();
      expect(await service.report(viewer(users.ann!, [Role.ADMIN]), 'acme', 'LAST_90_DAYS')).toBeNull();
      const jobs = await sql<{ payload: unknown; unique_key: string }>(
        `SELECT payload, unique_key FROM jobs WHERE name = 'analytics.report'`,
      );
      expect(jobs).toEqual([
        {
          payload: { slot: '2026-11-20T12:00:00.000Z', brandId: acme, window: 'LAST_90_DAYS' },
          unique_key: `analytics.report:${acme}:LAST_90_DAYS:2026-11-20T12:00:00.000Z`,
        },
      ]);
    });

    it('computes a report again when the detectors ran after it, once per run', async () => {
      const detectedAt = new Date(NOW.getTime() + 60_000);
      await sql(`INSERT INTO detector_runs (code, version, last_run_at) VALUES ('TEST', '1', $1)`, [detectedAt]);
      for (let asked = 0; asked < 2; asked++) {
        expect((await service.report(viewer(users.boss!), 'acme', 'LAST_7_DAYS'))?.score).toBeCloseTo(24 / 49);
      }
      const jobs = await sql<{ unique_key: string }>(
        `SELECT unique_key FROM jobs WHERE name = 'analytics.report' AND unique_key LIKE '%detected%'`,
      );
      expect(jobs).toEqual([
        { unique_key: `analytics.report:${acme}:LAST_7_DAYS:detected:${detectedAt.toISOString()}` },
      ]);
    });
  });
});
