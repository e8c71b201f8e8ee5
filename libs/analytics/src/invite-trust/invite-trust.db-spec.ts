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
import { EventsRepository } from '../../../core/src/events/events.repository.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { DetectorRunner } from '../detector-runner.js';
import { FlagsRepository } from '../flags.repository.js';
import { INVITE_TRUST, InviteTrustDetector } from './invite-trust.detector.js';
import { InviteTrustRepository } from './invite-trust.repository.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

/** The hourly job's clock: each run an hour after the one before. */
class HourlyClock extends Clock {
  private at = NOW;
  now(): Date {
    return this.at;
  }
  nextHour(): void {
    this.at = new Date(this.at.getTime() + DAY / 24);
  }
}

/**
 * A small world: an honest community (old, followed accounts active in two brands, joined by invites
 * and returned follows), an honest invite subtree hanging from it, a ring that invited itself and
 * comments on itself, and a lone pair. Only the ring is a low-trust invite group.
 */
describe('InviteTrustDetector (SybilRank over invites and returned interactions)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let log: EventLog;
  let runner: DetectorRunner;
  let clock: HourlyClock;
  const flags = new FlagsRepository();
  const brands: string[] = [];
  const honest: string[] = [];
  const subtree: string[] = [];
  const ring: string[] = [];
  const pair: string[] = [];

  const record = (event: NewEvent): Promise<string> => inTransaction(dataSource, (m) => log.record(m, event));

  async function user(createdAt: Date): Promise<string> {
    const handle = `u${randomUUID().slice(0, 8)}`;
    const [{ id }] = await dataSource.query(
      `INSERT INTO users (email, handle, display_name, password_hash, created_at)
       VALUES ($1, $2, $2, 'x', $3) RETURNING id`,
      [`${handle}@example.com`, handle, createdAt],
    );
    return id as string;
  }
  const invite = (inviterId: string, inviteeId: string) =>
    record({ action: 'invite.accepted', actorId: inviteeId, meta: { inviterId }, occurredAt: daysAgo(9) });
  async function follow(followerId: string, followeeId: string): Promise<void> {
    await dataSource.query(`INSERT INTO follows (follower_id, followee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      followerId,
      followeeId,
    ]);
    await record({ action: 'user.followed', actorId: followerId, targetType: 'user', targetId: followeeId });
  }
  const comment = (actorId: string, photoOwnerId: string, brandId = brands[0]!) =>
    record({ action: 'comment.posted', actorId, brandId, meta: { photoOwnerId }, occurredAt: daysAgo(2) });
  /** Earning activity in both brands on two days: what makes an old, followed account a seed. */
  async function active(userId: string): Promise<void> {
    for (const [brandId, days] of [
      [brands[0]!, 5],
      [brands[1]!, 4],
    ] as const) {
      await record({ action: 'photo.published', actorId: userId, brandId, occurredAt: daysAgo(days) });
    }
  }

  const tiers = async (ids: readonly string[]) =>
    (
      await dataSource.query<{ tier: string }[]>(
        `SELECT tier FROM account_trust WHERE user_id = ANY($1::uuid[]) ORDER BY user_id`,
        [ids],
      )
    ).map((row) => row.tier);

  beforeAll(async () => {
    Logger.overrideLogger(['error', 'warn']);
    database = await createTestDatabase();
    dataSource = database.dataSource;
    const events = new EventsRepository();
    clock = new HourlyClock();
    log = new EventLog(events, new FingerprintHasher(loadConfig({ FINGERPRINT_SECRET: 'x'.repeat(32) })), clock);
    runner = new DetectorRunner(
      dataSource,
      [new InviteTrustDetector(new InviteTrustRepository(), flags)],
      new EventConsumer(dataSource, events),
      flags,
      undefined as unknown as JobRegistry,
      undefined as unknown as JobScheduler,
      clock,
    );
    for (const slug of ['acme', 'zeta']) {
      const [{ id }] = await dataSource.query(
        `INSERT INTO brands (slug, name, folded_name) VALUES ($1, $1, $1) RETURNING id`,
        [slug],
      );
      brands.push(id as string);
    }
    // 24 honest accounts: each follows the next three back and forth (returned follows), some invited.
    for (let i = 0; i < 24; i++) honest.push(await user(daysAgo(20)));
    for (let i = 0; i < 24; i++) {
      for (const hop of [1, 5, 11]) {
        await follow(honest[i]!, honest[(i + hop) % 24]!);
        await follow(honest[(i + hop) % 24]!, honest[i]!);
      }
      if (i % 3 === 0) await active(honest[i]!);
    }
    for (let i = 1; i < 6; i++) await invite(honest[0]!, honest[i]!);
    // An honest invite subtree of 6 under honest[3], two levels deep: new, never followed, so no seeds,
    // but vouched for. (A chain much deeper than ⌈log₂ n⌉ would come out low: SybilRank's known limit.)
    for (let i = 0; i < 6; i++) subtree.push(await user(daysAgo(8)));
    for (const [inviter, invitee] of [
      [honest[3]!, 0],
      [honest[3]!, 1],
      [subtree[0]!, 2],
      [subtree[0]!, 3],
      [subtree[1]!, 4],
      [subtree[1]!, 5],
    ] as const)
      await invite(inviter, subtree[invitee]!);
    // The ring: 7 accounts inviting each other, commenting on each other's photos, and on honest ones (unreturned).
    for (let i = 0; i < 7; i++) ring.push(await user(daysAgo(9)));
    for (let i = 1; i < 7; i++) await invite(ring[i % 2 === 0 ? 0 : i - 1]!, ring[i]!);
    for (let i = 0; i < 7; i++) {
      await comment(ring[i]!, ring[(i + 2) % 7]!);
      await comment(ring[(i + 2) % 7]!, ring[i]!);
      await comment(ring[i]!, honest[i]!);
    }
    // A lone invite pair with no one else: too small a group to say anything, but its invite was flagged
    // as a self-invite (the same device), which the detector passes on as a weak account flag.
    pair.push(await user(daysAgo(9)), await user(daysAgo(9)));
    await invite(pair[0]!, pair[1]!);
    await dataSource.query(
      `INSERT INTO invites (inviter_id, code, invitee_id, accepted_at, flagged_at, flag_reason, created_at)
       VALUES ($1, 'selfinvt', $2, $3, $3, 'SAME_DEVICE', $3)`,
      [pair[0], pair[1], daysAgo(9)],
    );
  }, 120_000);
  afterAll(() => database?.close());

  it('gives the honest community and its subtree trust, and the ring none, and flags the ring as one group', async () => {
    await runner.run(INVITE_TRUST);

    const honestTiers = await tiers(honest);
    expect(honestTiers.filter((tier) => tier === 'SEED')).toHaveLength(8);
    expect(honestTiers.every((tier) => tier !== 'LOW')).toBe(true);
    expect((await tiers(subtree)).every((tier) => tier !== 'LOW')).toBe(true);
    expect(await tiers(ring)).toEqual(Array(7).fill('LOW'));
    expect(await tiers(pair)).toEqual(['LOW', 'LOW']);

    const all = await flags.flagsOf(dataSource.manager, INVITE_TRUST);
    expect(all.filter((flag) => flag.clusterId === null)).toMatchObject([
      { subjectId: pair[1], score: 0.4, evidence: { selfInvite: 'SAME_DEVICE' } },
    ]);
    const raised = all.filter((flag) => flag.clusterId !== null);
    expect(raised.map((flag) => flag.subjectId).sort()).toEqual([...ring].sort());
    expect(new Set(raised.map((flag) => flag.clusterId)).size).toBe(1);
    expect(raised[0]!.score).toBeCloseTo(0.58, 5);
    expect(raised[0]!.evidence).toMatchObject({ accounts: 7, inviteEdges: 6, edgesLeavingGroup: 0, selfInvites: 0 });
    const [cluster] = await flags.clustersOf(dataSource.manager, INVITE_TRUST);
    expect(cluster!.members).toEqual([...ring].sort());
  });

  it('concludes the same on a second run, and withdraws the flags of a group that is no longer one', async () => {
    clock.nextHour();
    await runner.run(INVITE_TRUST);
    expect(await flags.flagsOf(dataSource.manager, INVITE_TRUST)).toHaveLength(8);
    expect(await flags.clustersOf(dataSource.manager, INVITE_TRUST)).toHaveLength(1);

    // Banned: the ring's hub leaves the graph, and the rest of it falls apart into groups under five.
    await dataSource.query(`UPDATE users SET banned_at = now() WHERE id = $1`, [ring[0]]);
    clock.nextHour();
    await runner.run(INVITE_TRUST);
    expect((await flags.flagsOf(dataSource.manager, INVITE_TRUST)).map((flag) => flag.subjectId)).toEqual([pair[1]]);
    expect(await flags.clustersOf(dataSource.manager, INVITE_TRUST)).toEqual([]);
    expect(await tiers([ring[0]!])).toEqual([]);
  });
});
