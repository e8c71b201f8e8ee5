import { randomBytes, randomUUID } from 'node:crypto';
import {
  Clock,
  EventConsumer,
  EventLog,
  FingerprintHasher,
  JobRegistry,
  inTransaction,
  loadConfig,
  type JobScheduler,
} from '@boardroom/core';
import { EventsRepository } from '../../../core/src/events/events.repository.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { DetectorRunner } from '../detector-runner.js';
import { FlagsRepository } from '../flags/flags.repository.js';
import { DuplicatePhotosDetector } from './duplicate-photos.detector.js';
import { PhotoHashBandsRepository } from './photo-hash-bands.repository.js';

class FixedClock extends Clock {
  now(): Date {
    return new Date('2026-12-02T10:00:00Z');
  }
}

/** The detector runner and the near-duplicate detector on a real database, over hand-made events. */
describe('the near-duplicate photos detector', () => {
  let database: TestDatabase;
  let runner: DetectorRunner;
  let detector: DuplicatePhotosDetector;
  let flags: FlagsRepository;
  let events: EventLog;

  const sql = <T = Record<string, unknown>>(query: string, parameters: unknown[] = []) =>
    database.dataSource.query<T[]>(query, parameters);
  const newUser = async () => {
    const handle = `u${randomUUID().slice(0, 8)}`;
    const [row] = await sql<{ id: string }>(
      `INSERT INTO users (email, handle, display_name, password_hash) VALUES ($1, $2, $2, 'x') RETURNING id`,
      [`${handle}@example.com`, handle],
    );
    return row!.id;
  };
  let brand: string;
  /** A published photo of `owner` with that hash, and its `photo.published` event. */
  const publish = async (owner: string, hash: bigint) => {
    const [photo] = await sql<{ id: string }>(
      `INSERT INTO photos (owner_id, brand_id, status, upload_event_id, original_key, original_format,
                           original_bytes, sha256, width, height, perceptual_hash, published_at)
       VALUES ($1, $2, 'PUBLISHED', 0, 'k', 'jpeg', 1, $3, 10, 10, $4::bigint, now()) RETURNING id`,
      [owner, brand, randomBytes(32).toString('hex'), BigInt.asIntN(64, hash).toString()],
    );
    await inTransaction(database.dataSource, (manager) =>
      events.record(manager, {
        action: 'photo.published',
        actorId: owner,
        brandId: brand,
        targetType: 'photo',
        targetId: photo!.id,
      }),
    );
    return photo!.id;
  };
  const flagged = async () =>
    (await flags.flagsOf(database.dataSource.manager, detector.code)).map((f) => `${f.subjectType}:${f.subjectId}`);
  const base = 0x1234_5678_9abc_def0n;
  /** `hash` with these bits flipped. */
  const flip = (hash: bigint, ...bits: number[]) => bits.reduce((h, bit) => h ^ (1n << BigInt(bit)), hash);

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadConfig({ FINGERPRINT_SECRET: 'x'.repeat(32) });
    const eventsRepository = new EventsRepository();
    events = new EventLog(eventsRepository, new FingerprintHasher(config));
    flags = new FlagsRepository();
    detector = new DuplicatePhotosDetector(new PhotoHashBandsRepository(), flags);
    runner = new DetectorRunner(
      database.dataSource,
      new EventConsumer(database.dataSource, eventsRepository),
      flags,
      new JobRegistry(),
      null as unknown as JobScheduler, // used only when a module starts, which this never does
      new FixedClock(),
      detector,
    );
    const [row] = await sql<{ id: string }>(
      `INSERT INTO brands (slug, name, folded_name) VALUES ('b', 'b', 'b') RETURNING id`,
    );
    brand = row!.id;
  });
  afterAll(() => database.close());
  beforeEach(async () => {
    await sql(`DELETE FROM flags`);
    await sql(`DELETE FROM flag_clusters`);
    await sql(`DELETE FROM photo_hash_bands`);
    await sql(`DELETE FROM detector_runs`);
    await sql(`DELETE FROM event_consumers`);
    await sql(`DELETE FROM photos`);
  });

  it('flags the photos and accounts of a picture uploaded by two accounts, with distances as evidence', async () => {
    const [alice, bob, carol] = [await newUser(), await newUser(), await newUser()];
    // Six bits apart, one in each band and two more: no band identical to the original.
    const original = await publish(alice, base);
    const copy = await publish(bob, flip(base, 1, 17, 33, 49, 50, 51));
    const unrelated = await publish(carol, ~base);

    const result = await runner.run(detector);

    expect(result).toMatchObject({ code: 'DUPLICATE_PHOTOS', restarted: true });
    expect((await flagged()).sort()).toEqual(
      [`ACCOUNT:${alice}`, `ACCOUNT:${bob}`, `PHOTO:${original}`, `PHOTO:${copy}`].sort(),
    );
    expect(await flagged()).not.toContain(`PHOTO:${unrelated}`);
    const photoFlag = (await flags.flagsOf(database.dataSource.manager, detector.code)).find(
      (f) => f.subjectId === copy,
    )!;
    expect(photoFlag.score).toBeCloseTo(0.5);
    expect(photoFlag.evidence).toMatchObject({ distinctUsers: 2, nearest: [{ photoId: original, distance: 6 }] });
    const [cluster] = await sql<{ kind: string; members: unknown[] }>(`SELECT kind, members FROM flag_clusters`);
    expect(cluster).toMatchObject({ kind: 'DUPLICATE_PHOTOS' });
    expect(cluster!.members).toHaveLength(2);
  });

  it('does not flag one account re-uploading its own picture, nor two accounts 7 bits apart', async () => {
    const [dave, erin] = [await newUser(), await newUser()];
    await publish(dave, base);
    await publish(dave, flip(base, 3));
    await publish(erin, flip(base, 1, 17, 33, 49, 50, 51, 52));

    await runner.run(detector);

    expect(await flagged()).toEqual([]);
    expect(await sql(`SELECT 1 FROM flag_clusters`)).toEqual([]);
  });

  it('joins copies that reach each other through a chain into one cluster, across batches and runs', async () => {
    const users = [await newUser(), await newUser(), await newUser()];
    await publish(users[0]!, base);
    await publish(users[1]!, flip(base, 0, 1, 2, 3));
    await runner.run(detector);
    // Eight bits from the first, four from the second: one group by the chain.
    await publish(users[2]!, flip(base, 0, 1, 2, 3, 20, 21, 22, 23));
    const second = await runner.run(detector);

    expect(second).toMatchObject({ restarted: false, events: 1 });
    const clusters = await sql<{ members: unknown[]; score: number }>(`SELECT members, score FROM flag_clusters`);
    expect(clusters).toHaveLength(1);
    expect(clusters[0]!.members).toHaveLength(3);
    expect(clusters[0]!.score).toBeCloseTo(2 / 3);
    expect((await flagged()).filter((f) => f.startsWith('ACCOUNT:'))).toHaveLength(3);
  });

  it('re-evaluates the whole log under a new version, keeping flags a moderator decided on', async () => {
    const [frank, gina] = [await newUser(), await newUser()];
    await publish(frank, base);
    await publish(gina, base);
    await runner.run(detector);
    await sql(`UPDATE flags SET state = 'CLEARED' WHERE subject_id = $1`, [frank]);
    expect(await runner.run(detector)).toMatchObject({ restarted: false, events: 0 });

    Object.assign(detector, { version: 'next' });
    const rerun = await runner.run(detector);

    expect(rerun.restarted).toBe(true);
    expect(rerun.events).toBeGreaterThanOrEqual(2);
    const all = await flags.flagsOf(database.dataSource.manager, detector.code);
    expect(all).toHaveLength(4);
    expect(all.every((f) => f.detectorVersion === 'next')).toBe(true);
    expect(all.find((f) => f.subjectId === frank)!.state).toBe('CLEARED');
    const [run] = await sql<{ version: string; last_run_at: Date | null }>(`SELECT * FROM detector_runs`);
    expect(run).toMatchObject({ version: 'next' });
    expect(run!.last_run_at).not.toBeNull();
  });
});
