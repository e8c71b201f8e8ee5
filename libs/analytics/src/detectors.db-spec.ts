import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import {
  Clock,
  EventConsumer,
  EventLog,
  FingerprintHasher,
  inTransaction,
  loadConfig,
  type JobRegistry,
  type JobScheduler,
  type NewEvent,
} from '@boardroom/core';
import { EventsRepository } from '../../core/src/events/events.repository.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { DETECTION_RULES } from './detection-rules.js';
import type { Detector } from './detector.js';
import { DetectorRunner } from './detector-runner.js';
import { FingerprintsRepository } from './fingerprints/fingerprints.repository.js';
import { SHARED_FINGERPRINTS, SharedFingerprintsDetector } from './fingerprints/shared-fingerprints.detector.js';
import { FlagsRepository } from './flags.repository.js';
import {
  NEAR_DUPLICATE_PHOTOS,
  NearDuplicatePhotosDetector,
} from './near-duplicates/near-duplicate-photos.detector.js';
import { AudienceRepository } from './captive-audience/audience.repository.js';
import { CAPTIVE_AUDIENCE, CaptiveAudienceDetector } from './captive-audience/captive-audience.detector.js';
import { LOCKSTEP_GROUPS, LockstepDetector } from './lockstep/lockstep.detector.js';
import { LockstepRepository } from './lockstep/lockstep.repository.js';
import { PhotoHashesRepository } from './near-duplicates/photo-hashes.repository.js';
import { YOUNG_ACCOUNTS, YoungAccountsDetector } from './young-accounts/young-accounts.detector.js';
import { YoungAccountsRepository } from './young-accounts/young-accounts.repository.js';

const NOW = new Date('2026-11-20T12:00:00Z');

class FixedClock extends Clock {
  now(): Date {
    return NOW;
  }
}

describe('detectors over the events log', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let log: EventLog;
  let consumer: EventConsumer;
  const flags = new FlagsRepository();
  const clock = new FixedClock();
  let brandId: string;

  beforeAll(async () => {
    Logger.overrideLogger(['error', 'warn']);
    database = await createTestDatabase();
    dataSource = database.dataSource;
    const events = new EventsRepository();
    log = new EventLog(events, new FingerprintHasher(loadConfig({ FINGERPRINT_SECRET: 'x'.repeat(32) })), clock);
    consumer = new EventConsumer(dataSource, events);
    [{ id: brandId }] = await dataSource.query(
      `INSERT INTO brands (slug, name, folded_name) VALUES ('acme', 'Acme', 'acme') RETURNING id`,
    );
  });
  afterAll(() => database?.close());

  /** A runner of `detectors`; the job registry and scheduler are only used when a Nest app starts it. */
  const runnerOf = (...detectors: Detector[]): DetectorRunner =>
    new DetectorRunner(
      dataSource,
      detectors,
      consumer,
      flags,
      undefined as unknown as JobRegistry,
      undefined as unknown as JobScheduler,
      clock,
    );
  const nearDuplicates = (): NearDuplicatePhotosDetector =>
    new NearDuplicatePhotosDetector(new PhotoHashesRepository(), flags);
  const youngAccounts = (): YoungAccountsDetector => new YoungAccountsDetector(new YoungAccountsRepository(), flags);
  const lockstep = (): LockstepDetector => new LockstepDetector(new LockstepRepository(), flags);
  const captiveAudience = (): CaptiveAudienceDetector => new CaptiveAudienceDetector(new AudienceRepository(), flags);
  const fingerprints = (): SharedFingerprintsDetector =>
    new SharedFingerprintsDetector(new FingerprintsRepository(), flags);

  async function user(createdAt = new Date()): Promise<string> {
    const handle = `u${randomUUID().slice(0, 8)}`;
    const [{ id }] = await dataSource.query(
      `INSERT INTO users (email, handle, display_name, password_hash, created_at)
       VALUES ($1, $2, $2, 'x', $3) RETURNING id`,
      [`${handle}@example.com`, handle, createdAt],
    );
    return id as string;
  }

  const record = (event: NewEvent): Promise<string> => inTransaction(dataSource, (m) => log.record(m, event));

  /** A published photo of `ownerId` with the perceptual hash `hash`, and its `photo.published` event. */
  async function publish(ownerId: string, hash: bigint): Promise<string> {
    const uploadEventId = await record({ action: 'test.uploaded', actorId: ownerId });
    const [{ id }] = await dataSource.query(
      `INSERT INTO photos (owner_id, brand_id, upload_event_id, original_key, original_format, original_bytes, sha256,
                           width, height, perceptual_hash, status, published_at)
       VALUES ($1, $2, $3, 'k', 'jpeg', 1, $4, 10, 10, $5, 'PUBLISHED', now()) RETURNING id`,
      [ownerId, brandId, uploadEventId, randomUUID().replaceAll('-', '').padEnd(64, '0'), hash.toString()],
    );
    await record({ action: 'photo.published', actorId: ownerId, brandId, targetType: 'photo', targetId: id });
    return id as string;
  }

  /** `hash` with the given bits flipped. */
  const flip = (hash: bigint, ...bits: number[]): bigint =>
    bits.reduce((h, bit) => BigInt.asIntN(64, h ^ (1n << BigInt(bit))), hash);

  describe('near-duplicate photos across accounts', () => {
    const base = BigInt.asIntN(64, 0x8f3a_5c21_d4e6_7b09n);

    it('clusters the same picture from two accounts, at distance 6 across every band, and flags photos and accounts', async () => {
      const [ann, bob] = [await user(), await user()];
      // Bits 0, 1, 16, 17, 32, 48: two bands 2 bits apart, so only the one-bit probes find it.
      const annPhoto = await publish(ann, base);
      const bobPhoto = await publish(bob, flip(base, 0, 1, 16, 17, 32, 48));
      const [result] = await runnerOf(nearDuplicates()).runAll();
      expect(result).toMatchObject({ detector: NEAR_DUPLICATE_PHOTOS, reevaluated: true });

      const raised = await flags.flagsOf(dataSource.manager, NEAR_DUPLICATE_PHOTOS);
      expect(raised.map((f) => [f.subjectType, f.subjectId]).sort()).toEqual(
        [
          ['ACCOUNT', ann],
          ['ACCOUNT', bob],
          ['PHOTO', annPhoto],
          ['PHOTO', bobPhoto],
        ].sort(),
      );
      const [cluster] = await flags.clustersOf(dataSource.manager, NEAR_DUPLICATE_PHOTOS);
      expect(cluster!.members).toEqual([annPhoto, bobPhoto].sort());
      expect(cluster!.evidence).toMatchObject({ distinctUsers: 2, links: [{ distance: 6 }] });
      expect(raised.every((f) => f.clusterId === cluster!.id && f.score === 0.25)).toBe(true);
    });

    it('leaves alone one account re-uploading its own photo, and a picture 8 bits away', async () => {
      const other = BigInt.asIntN(64, 0x1234_5678_9abc_def0n);
      const [carl, dora] = [await user(), await user()];
      await publish(carl, other);
      await publish(carl, flip(other, 3));
      // Each band 2 bits apart: distance 8, over the duplicate distance.
      await publish(dora, flip(other, 0, 1, 16, 17, 32, 33, 48, 49));
      await runnerOf(nearDuplicates()).runAll();
      const subjects = (await flags.flagsOf(dataSource.manager, NEAR_DUPLICATE_PHOTOS)).map((f) => f.subjectId);
      expect(subjects).not.toContain(carl);
      expect(subjects).not.toContain(dora);
    });

    it('grows the cluster as more accounts publish the picture, upserting the flags it raised', async () => {
      const before = await flags.flagsOf(dataSource.manager, NEAR_DUPLICATE_PHOTOS);
      const eve = await user();
      const evePhoto = await publish(eve, flip(base, 63));
      const [result] = await runnerOf(nearDuplicates()).runAll();
      expect(result).toMatchObject({ reevaluated: false, events: 2 });
      const after = await flags.flagsOf(dataSource.manager, NEAR_DUPLICATE_PHOTOS);
      expect(after).toHaveLength(before.length + 2);
      const clusters = await flags.clustersOf(dataSource.manager, NEAR_DUPLICATE_PHOTOS);
      expect(clusters).toHaveLength(1);
      expect(clusters[0]!.members).toContain(evePhoto);
      expect(after.filter((f) => f.clusterId === clusters[0]!.id).every((f) => f.score === 0.5)).toBe(true);
    });

    it('re-reads the log in a new version: the same flags updated, and what it no longer concludes removed', async () => {
      class NextVersion extends NearDuplicatePhotosDetector {
        override readonly version = `${DETECTION_RULES.nearDuplicates.version}-next`;
      }
      const before = await flags.flagsOf(dataSource.manager, NEAR_DUPLICATE_PHOTOS);
      const next = new NextVersion(new PhotoHashesRepository(), flags);
      const [again] = await runnerOf(next).runAll();
      expect(again).toMatchObject({ reevaluated: true, staleFlagsDeleted: 0 });
      const after = await flags.flagsOf(dataSource.manager, NEAR_DUPLICATE_PHOTOS);
      expect(after.map((f) => f.id)).toEqual(before.map((f) => f.id));
      expect(after.every((f) => f.detectorVersion === next.version)).toBe(true);

      // The rules change to need more accounts than the cluster has: the next version concludes nothing.
      class Stricter extends NearDuplicatePhotosDetector {
        override readonly version = 'stricter';
        protected override readonly rules = { ...DETECTION_RULES.nearDuplicates, minDistinctUsers: 4 };
      }
      const [stricter] = await runnerOf(new Stricter(new PhotoHashesRepository(), flags)).runAll();
      expect(stricter!.staleFlagsDeleted).toBe(before.length);
      expect(await flags.flagsOf(dataSource.manager, NEAR_DUPLICATE_PHOTOS)).toEqual([]);
      expect(await flags.clustersOf(dataSource.manager, NEAR_DUPLICATE_PHOTOS)).toEqual([]);
    });
  });

  describe('shared fingerprints', () => {
    it('flags the accounts of one device, not one account on two devices', async () => {
      const [fay, gus, hal] = [await user(), await user(), await user()];
      await record({ action: 'comment.posted', actorId: fay, deviceFingerprint: 'phone-1' });
      await record({ action: 'comment.posted', actorId: gus, deviceFingerprint: 'phone-1' });
      await record({ action: 'comment.posted', actorId: hal, deviceFingerprint: 'phone-2' });
      await record({ action: 'comment.posted', actorId: hal, deviceFingerprint: 'phone-3' });
      await runnerOf(fingerprints()).runAll();
      const raised = await flags.flagsOf(dataSource.manager, SHARED_FINGERPRINTS);
      expect(raised.map((f) => f.subjectId).sort()).toEqual([fay, gus].sort());
      expect(raised[0]!.evidence).toMatchObject({ fingerprintKind: 'device', accounts: 2 });
      expect(JSON.stringify(raised)).not.toContain('phone-1');
    });

    it('flags a network with 10 accounts within the hour, not 9, nor 10 spread over hours', async () => {
      const at = (minutes: number): Date => new Date(NOW.getTime() + minutes * 60_000);
      const nine = await Promise.all(Array.from({ length: 9 }, () => user()));
      for (const [i, id] of nine.entries()) {
        await record({ action: 'comment.posted', actorId: id, networkFingerprint: 'cafe', occurredAt: at(i) });
      }
      const late = await user();
      // The tenth account comes two hours later: the nine are no longer "at once".
      await record({ action: 'comment.posted', actorId: late, networkFingerprint: 'cafe', occurredAt: at(120) });
      await runnerOf(fingerprints()).runAll();
      const afterNine = (await flags.flagsOf(dataSource.manager, SHARED_FINGERPRINTS)).map((f) => f.subjectId);
      expect(afterNine).not.toContain(late);
      expect(afterNine.filter((id) => nine.includes(id))).toEqual([]);

      const farm = await Promise.all(Array.from({ length: 10 }, () => user()));
      for (const [i, id] of farm.entries()) {
        await record({ action: 'comment.posted', actorId: id, networkFingerprint: 'farm', occurredAt: at(i * 5) });
      }
      await runnerOf(fingerprints()).runAll();
      const raised = (await flags.flagsOf(dataSource.manager, SHARED_FINGERPRINTS)).map((f) => f.subjectId);
      expect(farm.every((id) => raised.includes(id))).toBe(true);
      expect(raised.filter((id) => nine.includes(id))).toEqual([]);
    });
  });

  describe('young accounts', () => {
    const daysBefore = (days: number): Date => new Date(NOW.getTime() - days * 24 * 60 * 60 * 1000);
    const comment = (actorId: string, brand: string): Promise<string> =>
      record({
        action: 'comment.posted',
        actorId,
        brandId: brand,
        targetType: 'comment',
        targetId: randomUUID(),
        occurredAt: NOW,
      });

    it('flags the earning actions of a days-old account no one follows, active in one brand', async () => {
      const fresh = await user(daysBefore(2));
      const eventId = await comment(fresh, brandId);
      await runnerOf(youngAccounts()).runAll();
      // The earlier tests' accounts are young too (and so flagged): this account's flags only.
      const raised = (await flags.flagsOf(dataSource.manager, YOUNG_ACCOUNTS)).filter((f) =>
        [fresh, eventId].includes(f.subjectId),
      );
      expect(raised.map((f) => [f.subjectType, f.subjectId]).sort()).toEqual(
        [
          ['ACCOUNT', fresh],
          ['EVENT', eventId],
        ].sort(),
      );
      expect(raised[0]!.evidence).toMatchObject({ accountAgeHours: 48, followers: 0, brands: 1 });
    });

    it('leaves alone an 8-day-old account, a followed one, and the action of one active in two brands', async () => {
      const before = (await flags.flagsOf(dataSource.manager, YOUNG_ACCOUNTS)).length;
      const [{ id: otherBrand }] = await dataSource.query(
        `INSERT INTO brands (slug, name, folded_name) VALUES ('other', 'Other', 'other') RETURNING id`,
      );
      const older = await user(daysBefore(8));
      const followed = await user(daysBefore(2));
      const follower = await user(daysBefore(30));
      await dataSource.query(`INSERT INTO follows (follower_id, followee_id, created_at) VALUES ($1, $2, $3)`, [
        follower,
        followed,
        daysBefore(1),
      ]);
      const explorer = await user(daysBefore(2));
      await record({ action: 'photo.published', actorId: explorer, brandId: otherBrand, occurredAt: daysBefore(1) });
      await comment(older, brandId);
      await comment(followed, brandId);
      const secondBrand = await comment(explorer, brandId);
      // Not an earning action: a young account following someone is not engagement.
      await record({ action: 'user.followed', actorId: await user(daysBefore(1)), brandId, occurredAt: NOW });
      await runnerOf(youngAccounts()).runAll();
      const raised = await flags.flagsOf(dataSource.manager, YOUNG_ACCOUNTS);
      const subjects = raised.map((f) => f.subjectId);
      expect(subjects).not.toContain(older);
      expect(subjects).not.toContain(followed);
      expect(subjects).not.toContain(secondBrand);
      // The explorer's first action, in one brand still, is the only new flag (with its account).
      expect(raised).toHaveLength(before + 2);
    });
  });

  describe('lockstep groups', () => {
    const at = (minutes: number): Date => new Date(NOW.getTime() + minutes * 60_000);
    /** Each of `users` comments on each photo, a minute apart, starting at `start` minutes (per photo). */
    async function commentTogether(users: string[], photoIds: string[], starts: number[]): Promise<void> {
      for (const [p, photoId] of photoIds.entries()) {
        for (const [u, actorId] of users.entries()) {
          await record({
            action: 'comment.posted',
            actorId,
            brandId,
            targetType: 'comment',
            targetId: randomUUID(),
            meta: { photoId },
            occurredAt: at(starts[p]! + u),
          });
        }
      }
    }

    it('does not take 4 accounts on 3 photos, nor 5 accounts on 3 photos when one is hours apart, as a group', async () => {
      const four = await Promise.all(Array.from({ length: 4 }, () => user()));
      await commentTogether(four, [randomUUID(), randomUUID(), randomUUID()], [0, 30, 60]);
      const five = await Promise.all(Array.from({ length: 5 }, () => user()));
      // On the third photo the fourth and fifth come 3 hours after the others.
      const photos = [randomUUID(), randomUUID(), randomUUID()];
      await commentTogether(five, photos.slice(0, 2), [0, 30]);
      await commentTogether(five.slice(0, 3), photos.slice(2), [60]);
      await commentTogether(five.slice(3), photos.slice(2), [240]);
      await runnerOf(lockstep()).runAll();
      expect(await flags.flagsOf(dataSource.manager, LOCKSTEP_GROUPS)).toEqual([]);
    });

    it('flags 5 accounts that commented on the same 3 photos within minutes, as one cluster', async () => {
      const five = await Promise.all(Array.from({ length: 5 }, () => user()));
      const photos = [randomUUID(), randomUUID(), randomUUID()];
      await commentTogether(five, photos, [0, 120, 600]);
      await runnerOf(lockstep()).runAll();
      const raised = await flags.flagsOf(dataSource.manager, LOCKSTEP_GROUPS);
      expect(raised.map((f) => f.subjectId).sort()).toEqual([...five].sort());
      const [cluster] = await flags.clustersOf(dataSource.manager, LOCKSTEP_GROUPS);
      expect(cluster).toMatchObject({ kind: 'LOCKSTEP', members: [...five].sort(), score: 0.5 });
      expect(cluster!.evidence).toMatchObject({ targets: photos.map((id) => `photo:${id}`).sort(), accounts: 5 });
    });

    it('scores a group higher the more targets the same members repeat on, and its beneficiary not', async () => {
      const owner = await user();
      const photos = [
        await publish(owner, 0x41n),
        await publish(owner, 0x4242n),
        await publish(owner, 0x434343n),
        await publish(owner, 0x44444444n),
        ...Array.from({ length: 2 }, () => randomUUID()),
      ];
      const five = await Promise.all(Array.from({ length: 5 }, () => user()));
      // Twice: the same five on three photos, then on three more, hours later.
      await commentTogether(five, photos.slice(0, 3), [9000, 9060, 9120]);
      await commentTogether(five, photos.slice(3), [12000, 12060, 12120]);
      await runnerOf(lockstep()).runAll();
      const raised = await flags.flagsOf(dataSource.manager, LOCKSTEP_GROUPS);
      // 5 accounts: 0.5; three targets beyond the third leave 0.8³ of the doubt: 1 − 0.5 · 0.512.
      for (const member of five) expect(raised.find((f) => f.subjectId === member)!.score).toBeCloseTo(0.744, 6);
      expect(raised.find((f) => f.subjectId === owner)).toMatchObject({ score: 0.5, evidence: { beneficiary: true } });
    });

    it('takes a crowd of 15 on the same 2 photos as a group, and not one of 14', async () => {
      const fifteen = await Promise.all(Array.from({ length: 15 }, () => user()));
      await commentTogether(fifteen, [randomUUID(), randomUUID()], [2000, 2060]);
      const fourteen = await Promise.all(Array.from({ length: 14 }, () => user()));
      await commentTogether(fourteen, [randomUUID(), randomUUID()], [3000, 3060]);
      await runnerOf(lockstep()).runAll();
      const raised = await flags.flagsOf(dataSource.manager, LOCKSTEP_GROUPS);
      expect(raised.filter((flag) => fourteen.includes(flag.subjectId))).toEqual([]);
      const clusters = await flags.clustersOf(dataSource.manager, LOCKSTEP_GROUPS);
      const crowd = clusters.filter((cluster) => cluster.members.includes(fifteen[0]!));
      expect(crowd).toHaveLength(1);
      expect(crowd[0]!.members).toEqual([...fifteen].sort());
      expect(crowd[0]!.score).toBe(1);
    });

    it('flags the owner of most of a group’s photos as its beneficiary, not the owner of one of them', async () => {
      const [owner, bystander] = [await user(), await user()];
      const photos = [await publish(owner, 0x11n), await publish(owner, 0x2222n), await publish(bystander, 0x333333n)];
      const five = await Promise.all(Array.from({ length: 5 }, () => user()));
      await commentTogether(five, photos, [5000, 5120, 5600]);
      await runnerOf(lockstep()).runAll();
      const raised = await flags.flagsOf(dataSource.manager, LOCKSTEP_GROUPS);
      const ownerFlag = raised.find((flag) => flag.subjectId === owner);
      expect(ownerFlag).toMatchObject({ subjectType: 'ACCOUNT', score: 0.5, evidence: { beneficiary: true } });
      expect(raised.some((flag) => flag.subjectId === bystander)).toBe(false);
      const cluster = (await flags.clustersOf(dataSource.manager, LOCKSTEP_GROUPS)).find((c) =>
        c.members.includes(owner),
      );
      expect(cluster!.members).toEqual([...five, owner].sort());
      expect(cluster!.evidence).toMatchObject({ beneficiaries: [owner] });
    });
  });

  describe('captive audiences', () => {
    /** `authorId` comments on `photoId` of `ownerId`: the row and its event. */
    async function comment(authorId: string, ownerId: string, photoId: string): Promise<void> {
      const [{ id }] = await dataSource.query(
        `INSERT INTO comments (photo_id, author_id, body) VALUES ($1, $2, 'nice') RETURNING id`,
        [photoId, authorId],
      );
      await record({
        action: 'comment.posted',
        actorId: authorId,
        brandId,
        targetType: 'comment',
        targetId: id,
        meta: { photoId, photoOwnerId: ownerId },
      });
    }
    /** Distinct photos: the detector reads no hashes, but the table wants one. */
    const hashes = (n: number) =>
      Array.from({ length: n }, () => BigInt.asIntN(64, BigInt(`0x${randomUUID().replaceAll('-', '').slice(0, 16)}`)));

    it('flags an owner whose commenters are mostly the same 5 accounts on most photos, and those accounts', async () => {
      const owner = await user();
      const photos = [];
      for (const hash of hashes(4)) photos.push(await publish(owner, hash));
      const devotees = await Promise.all(Array.from({ length: 5 }, () => user()));
      for (const devotee of devotees) for (const photo of photos.slice(0, 2)) await comment(devotee, owner, photo);
      const [passer, associate, crowded] = [await user(), await user(), await user()];
      for (const commenter of [passer, associate, crowded]) await comment(commenter, owner, photos[3]!);
      // The associate shares a device with a devotee; the crowded one only a network 21 accounts use.
      const seen = (kind: string, fingerprint: string, userId: string) =>
        dataSource.query(
          `INSERT INTO fingerprint_accounts (kind, fingerprint, user_id, first_seen_at, last_seen_at)
           VALUES ($1, $2, $3, now(), now())`,
          [kind, fingerprint, userId],
        );
      await seen('device', 'farm-phone', devotees[0]!);
      await seen('device', 'farm-phone', associate);
      await seen('network', 'campus', devotees[1]!);
      await seen('network', 'campus', crowded);
      for (let n = 0; n < 19; n++) await seen('network', 'campus', await user());
      await runnerOf(captiveAudience()).runAll();
      const raised = await flags.flagsOf(dataSource.manager, CAPTIVE_AUDIENCE);
      expect(raised.map((f) => f.subjectId).sort()).toEqual([owner, associate, ...devotees].sort());
      expect(raised.find((f) => f.subjectId === owner)).toMatchObject({
        score: 5 / 6,
        evidence: { role: 'beneficiary', devotees: 5, commenters: 8, associates: 1 },
      });
      expect(raised.find((f) => f.subjectId === associate)!.evidence).toMatchObject({ role: 'associate' });
    });

    it('leaves alone an owner whose 5 regulars are fewer than half of a wide audience, and one with 2 photos', async () => {
      const owner = await user();
      const photos = [];
      for (const hash of hashes(3)) photos.push(await publish(owner, hash));
      const regulars = await Promise.all(Array.from({ length: 5 }, () => user()));
      for (const regular of regulars) for (const photo of photos.slice(0, 2)) await comment(regular, owner, photo);
      for (let n = 0; n < 6; n++) await comment(await user(), owner, photos[2]!);
      const small = await user();
      const two = [];
      for (const hash of hashes(2)) two.push(await publish(small, hash));
      for (const regular of regulars) for (const photo of two) await comment(regular, small, photo);
      await runnerOf(captiveAudience()).runAll();
      const raised = await flags.flagsOf(dataSource.manager, CAPTIVE_AUDIENCE);
      expect(raised.filter((f) => [owner, small, ...regulars].includes(f.subjectId))).toEqual([]);
    });
  });
});
