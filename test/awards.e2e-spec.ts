import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { AWARD_CRITERIA, AWARDS_CONSUMER, AwardsEngine } from '@boardroom/awards';
import { Clock, EventConsumer, JobRunner, LedgerChecks } from '@boardroom/core';
import { photoScene } from './fixtures/make-fixtures.js';
import { accountsClient, bearer, type Session } from './support/accounts-client.js';
import { createBrand } from './support/brands-client.js';
import { distEntry } from './support/build.js';
import { photosClient } from './support/photos-client.js';
import { runNode } from './support/run-process.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface AwardView {
  award: { code: string; sharesBonus: number; perBrand: boolean };
  brand: { slug: string } | null;
}

/** Awards as users meet them: evaluated from the events log, each granted once with its bonus. */
describe('awards (e2e)', () => {
  let app: TestApp;
  let dir: string;
  let photos: ReturnType<typeof photosClient>;
  let seed = 400;

  const sql = <T = Record<string, unknown>>(query: string, parameters: unknown[] = []) =>
    app.app.get(DataSource).query<T[]>(query, parameters);
  const newUser = async (handle: string) =>
    (await accountsClient(app).signUp({ email: `${handle}@example.com`, handle })).body.data!.signUp;
  const scene = async () => {
    const file = path.join(dir, `scene-${++seed}.jpg`);
    await (await photoScene(800, 600, seed)).jpeg({ quality: 85 }).toFile(file);
    return file;
  };
  const awardsOf = async (session: Session): Promise<AwardView[]> => {
    const { body } = await app.graphql<{ me: { awards: AwardView[] } }>(
      `{ me { awards { award { code sharesBonus perBrand } brand { slug } grantedAt } } }`,
      {},
      bearer(session.accessToken),
    );
    return body.data!.me.awards;
  };
  /** Lets the standing consumers catch up (they also poll by themselves). */
  const settle = () => app.app.get(JobRunner).drainConsumers();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-award-fixtures-'));
    app = await startTestApp({
      JOBS_IN_API: 'true',
      JOBS_POLL_INTERVAL_MS: '50',
      RATE_LIMIT_GRAPHQL: '100000/60',
      RATE_LIMIT_UPLOADS: '1000/60',
    });
    photos = photosClient(app);
  });
  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    const manager = app.app.get(DataSource).manager;
    for (const check of app.app.get(LedgerChecks).all()) expect(await check.differences(manager)).toEqual([]);
  });

  it('lists the award definitions of the rules', async () => {
    const { body } = await app.graphql<{
      awardDefinitions: { code: string; sharesBonus: number; perBrand: boolean }[];
    }>(`{ awardDefinitions { code name description sharesBonus perBrand } }`);
    expect(body.data!.awardDefinitions.map((a) => [a.code, a.sharesBonus, a.perBrand])).toEqual([
      ['FIRST_PHOTO', 5, false],
      ['BRAND_HOPPER', 10, false],
      ['STREAK_7', 10, false],
      ['RECRUITER', 15, false],
      ['PROMOTED_MANAGER', 5, true],
      ['CEO', 20, true],
      ['CRITIC', 5, false],
      ['FOUNDER', 10, true],
    ]);
  });

  it('grants FIRST_PHOTO on the first publish, once, with its bonus in the ledger and a notification', async () => {
    const alice = await newUser('alice');
    const brand = await createBrand(app, alice, 'Award Apples');
    await photos.publish(alice, brand, await scene());
    await settle();
    expect(await awardsOf(alice)).toEqual([
      { award: { code: 'FIRST_PHOTO', sharesBonus: 5, perBrand: false }, brand: null, grantedAt: expect.any(String) },
    ]);

    await photos.publish(alice, brand, await scene());
    await settle();
    expect((await awardsOf(alice)).map((a) => a.award.code)).toEqual(['FIRST_PHOTO']);
    const { body } = await app.graphql<{
      brand: { myEmployment: { shares: number; ledger: { edges: { node: { shares: number; reason: string } }[] } } };
    }>(
      `query($slug: String!) { brand(slug: $slug) { myEmployment { shares ledger { edges { node { shares reason } } } } } }`,
      { slug: brand },
      bearer(alice.accessToken),
    );
    expect(body.data!.brand.myEmployment.shares).toBe(25);
    expect(body.data!.brand.myEmployment.ledger.edges.map((e) => [e.node.reason, e.node.shares])).toEqual([
      ['PHOTO_PUBLISHED', 10],
      ['AWARD_BONUS', 5],
      ['PHOTO_PUBLISHED', 10],
    ]);
    const [notice] = await sql<{ message: string }>(
      `SELECT message FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.handle = 'alice' AND kind = 'AWARD_GRANTED'`,
    );
    expect(notice!.message).toBe(
      'You earned the award First day at work: Published a first photo. +5 shares in Award Apples.',
    );
  });

  it('grants STREAK_7 after photos on 7 consecutive UTC days (a moved clock), not after 6', async () => {
    const clock = app.app.get(Clock);
    const dan = await newUser('dan');
    const brand = await createBrand(app, dan, 'Streak Strawberries');
    const start = Date.UTC(2027, 0, 10, 12);
    const now = jest.spyOn(clock, 'now');
    try {
      for (let day = 0; day < 7; day++) {
        now.mockImplementation(() => new Date(start + day * 86_400_000));
        await photos.publish(dan, brand, await scene());
        await settle();
        const codes = (await awardsOf(dan)).map((a) => a.award.code);
        expect(codes.includes('STREAK_7')).toBe(day === 6);
      }
    } finally {
      now.mockRestore();
    }
  });

  it('grants each award once when the engine dies in the middle of a batch and runs again', async () => {
    const runner = app.app.get(JobRunner);
    await runner.stop();
    try {
      const erin = await newUser('erin');
      const brand = await createBrand(app, erin, 'Crash Cranberries');
      const upload = await photos.upload(erin, brand, await scene());
      await runner.drain(); // the publishing job, without the standing consumers
      expect((await photos.photo(erin, upload.body.data!.uploadPhoto.id))!.status).toBe('PUBLISHED');

      // A batch whose handler granted, then the process died before the position was saved.
      const engine = app.app.get(AwardsEngine);
      const crashed = app.app.get(EventConsumer).consumeBatch(AWARDS_CONSUMER, async (events, manager) => {
        await engine.evaluate(events, manager, AWARD_CRITERIA);
        throw new Error('the worker was killed');
      });
      await expect(crashed).rejects.toThrow('killed');
      expect(await awardsOf(erin)).toEqual([]);

      await runner.drainConsumers();
      await runner.drainConsumers();
      expect((await awardsOf(erin)).map((a) => a.award.code)).toEqual(['FIRST_PHOTO']);
      const entries = await sql<{ count: number }>(
        `SELECT count(*)::int AS count FROM share_ledger l JOIN users u ON u.id = l.user_id
          WHERE u.handle = 'erin' AND l.reason = 'AWARD_BONUS'`,
      );
      expect(entries).toEqual([{ count: 1 }]);
    } finally {
      runner.start();
    }
  });

  it('awards:backfill on a log that already has its grants grants nothing new', async () => {
    await settle();
    const before = await sql<{ count: number }>(`SELECT count(*)::int AS count FROM user_awards`);
    const replay = await app.app.get(AwardsEngine).backfill(AWARD_CRITERIA);
    expect(replay.granted).toBe(0);
    expect(replay.events).toBeGreaterThan(0);

    // The command itself, as an operator runs it beside the running server.
    const cliEnv = {
      DATA_DIR: app.dataDir,
      ...(app.config.database.url ? { DATABASE_URL: app.config.database.url } : {}),
    };
    const result = await runNode(distEntry('cli'), ['awards:backfill', '--award', 'first_photo'], cliEnv);
    expect(result.stderr).toContain('Replaying events');
    expect(result.stdout).toMatch(/^Replayed \d+ event\(s\) through FIRST_PHOTO: granted 0 award\(s\)\.$/m);
    expect(result.code).toBe(0);
    expect(await sql(`SELECT count(*)::int AS count FROM user_awards`)).toEqual(before);

    const unknown = await runNode(distEntry('cli'), ['awards:backfill', '--award', 'NOPE'], cliEnv);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('No award "NOPE"');
  }, 120_000);
});
