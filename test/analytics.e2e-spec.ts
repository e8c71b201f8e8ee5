import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { DataSource } from 'typeorm';
import {
  BURSTS,
  CAPTIVE_AUDIENCE,
  INVITE_TRUST,
  LOCKSTEP_GROUPS,
  NEAR_DUPLICATE_PHOTOS,
  SHARED_FINGERPRINTS,
  YOUNG_ACCOUNTS,
} from '@boardroom/analytics';
import { JobQueue, JobRunner } from '@boardroom/core';
import { photoScene } from './fixtures/make-fixtures.js';
import { accountsClient } from './support/accounts-client.js';
import { createBrand } from './support/brands-client.js';
import { distEntry } from './support/build.js';
import { photosClient } from './support/photos-client.js';
import { runNode } from './support/run-process.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** The detectors on what the product itself wrote: real uploads, real perceptual hashes, the job and the CLI. */
describe('detectors (e2e)', () => {
  let app: TestApp;
  let dir: string;

  const sql = <T = Record<string, unknown>>(query: string, parameters: unknown[] = []) =>
    app.app.get(DataSource).query<T[]>(query, parameters);
  const newUser = async (handle: string) =>
    (await accountsClient(app).signUp({ email: `${handle}@example.com`, handle })).body.data!.signUp;

  /** The row id inside a GraphQL global id (base64 of `Photo:<uuid>`). */
  const rowId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-analytics-fixtures-'));
    app = await startTestApp({
      JOBS_IN_API: 'true',
      JOBS_POLL_INTERVAL_MS: '50',
      RATE_LIMIT_GRAPHQL: '100000/60',
      RATE_LIMIT_UPLOADS: '1000/60',
    });
  });
  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('flags the accounts publishing one picture, re-encoded, and not an account re-uploading its own', async () => {
    const photos = photosClient(app);
    const [ann, bob, cara] = [await newUser('ann'), await newUser('bob'), await newUser('cara')];
    const brand = await createBrand(app, ann, 'Stock Sodas');
    const stock = path.join(dir, 'stock.jpg');
    const reencoded = path.join(dir, 'stock-reencoded.jpg');
    const own = path.join(dir, 'own.jpg');
    await (await photoScene(800, 600, 11)).jpeg({ quality: 90 }).toFile(stock);
    // Another account's copy: decoded, resized and saved again at a lower quality.
    await sharp(await (await photoScene(800, 600, 11)).png().toBuffer())
      .resize(640, 480)
      .jpeg({ quality: 60 })
      .toFile(reencoded);
    await (await photoScene(800, 600, 12)).jpeg({ quality: 90 }).toFile(own);
    const annPhoto = await photos.publish(ann, brand, stock);
    const bobPhoto = await photos.publish(bob, brand, reencoded);
    await photos.publish(cara, brand, own);
    await photos.publish(cara, brand, own);

    // The hourly job, as the worker runs it. A run reads only settled events: on a shared server another
    // transaction still open holds the horizon back, and the next run (the next slot) reads them.
    const flaggedNow = () =>
      sql<{ subject_type: string; subject_id: string }>(
        `SELECT subject_type, subject_id FROM flags WHERE detector = $1 ORDER BY subject_type, subject_id`,
        [NEAR_DUPLICATE_PHOTOS],
      );
    const deadline = Date.now() + 20_000;
    let flagged = await flaggedNow();
    while (flagged.length < 4 && Date.now() < deadline) {
      await app.app.get(JobQueue).enqueue('analytics.detect', { slot: new Date().toISOString() });
      await app.app.get(JobRunner).drain();
      flagged = await flaggedNow();
    }
    const ids = await sql<{ id: string; handle: string }>(`SELECT id, handle FROM users`);
    const idOf = (handle: string) => ids.find((u) => u.handle === handle)!.id;
    expect(
      flagged
        .filter((f) => f.subject_type === 'ACCOUNT')
        .map((f) => f.subject_id)
        .sort(),
    ).toEqual([idOf('ann'), idOf('bob')].sort());
    expect(
      flagged
        .filter((f) => f.subject_type === 'PHOTO')
        .map((f) => f.subject_id)
        .sort(),
    ).toEqual([annPhoto.id, bobPhoto.id].map(rowId).sort());
    const runs = await sql<{ code: string }>(`SELECT code FROM detector_runs ORDER BY code`);
    expect(runs.map((r) => r.code)).toEqual([
      BURSTS,
      CAPTIVE_AUDIENCE,
      INVITE_TRUST,
      LOCKSTEP_GROUPS,
      NEAR_DUPLICATE_PHOTOS,
      SHARED_FINGERPRINTS,
      YOUNG_ACCOUNTS,
    ]);
  });

  it('runs from the CLI beside the running server, continuing where the job stopped', async () => {
    const cliEnv = {
      DATA_DIR: app.dataDir,
      ...(app.config.database.url ? { DATABASE_URL: app.config.database.url } : {}),
    };
    const result = await runNode(distEntry('cli'), ['detect', '--detector', 'near_duplicate_photos'], cliEnv);
    expect(result.stderr).toContain(NEAR_DUPLICATE_PHOTOS);
    expect(result.stdout).toMatch(/^NEAR_DUPLICATE_PHOTOS: continued, \d+ event\(s\); 0 stale flag\(s\) removed\.$/m);
    expect(result.code).toBe(0);

    const unknown = await runNode(distEntry('cli'), ['detect', '--detector', 'NOPE'], cliEnv);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('No detector "NOPE"');
  }, 120_000);
});
