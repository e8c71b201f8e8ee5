import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { Role, UsersService } from '@boardroom/accounts';
import { JobRunner, LedgerChecks } from '@boardroom/core';
import { photoScene } from './fixtures/make-fixtures.js';
import { accountsClient, bearer, type Session } from './support/accounts-client.js';
import { createBrand } from './support/brands-client.js';
import { photosClient } from './support/photos-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Invites that qualify (GAME.md): +25 for the inviter when a newcomer's first photo earns, none for oneself. */
describe('invites that qualify, and RECRUITER (e2e)', () => {
  let app: TestApp;
  let dir: string;
  let seed = 500;
  let ip = 0;

  /** A client of its own: an address (through the trusted loopback proxy) and a device id. */
  const device = (deviceId: string) => ({ 'x-forwarded-for': `10.9.0.${++ip}`, 'x-device-id': deviceId });
  const sql = <T = Record<string, unknown>>(query: string, parameters: unknown[] = []) =>
    app.app.get(DataSource).query<T[]>(query, parameters);
  const signUp = async (handle: string, headers: Record<string, string>, inviteCode?: string) => {
    const { body } = await accountsClient(app).signUp(
      { email: `${handle}@example.com`, handle, ...(inviteCode ? { inviteCode } : {}) },
      headers,
    );
    expect(body.errors).toBeUndefined();
    return body.data!.signUp;
  };
  const inviteBy = async (session: Session) => {
    const { body } = await app.graphql<{ createInvite: { code: string } }>(
      `mutation { createInvite { code } }`,
      {},
      bearer(session.accessToken),
    );
    return body.data!.createInvite.code;
  };
  const publishFrom = async (session: Session, headers: Record<string, string>, brand: string) => {
    const file = path.join(dir, `scene-${++seed}.jpg`);
    await (await photoScene(800, 600, seed)).jpeg({ quality: 85 }).toFile(file);
    const upload = await photosClient(app).upload(session, brand, file, { headers });
    return photosClient(app).settled(session, upload.body.data!.uploadPhoto.id, 60_000);
  };
  const standing = async (handle: string) => {
    const [row] = await sql<{ invited: number; recruiter: number; bonus: number }>(
      `SELECT (SELECT count(*) FROM invites i WHERE i.inviter_id = u.id AND i.qualified_at IS NOT NULL)::int AS invited,
              (SELECT count(*) FROM user_awards a WHERE a.user_id = u.id AND a.code = 'RECRUITER')::int AS recruiter,
              (SELECT coalesce(sum(shares), 0) FROM share_ledger l
                WHERE l.user_id = u.id AND l.reason = 'INVITE_QUALIFIED')::int AS bonus
         FROM users u WHERE u.handle = $1`,
      [handle],
    );
    return row!;
  };
  const settle = () => app.app.get(JobRunner).drainConsumers();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-recruiter-fixtures-'));
    app = await startTestApp({
      TRUST_PROXY: 'loopback',
      SIGNUPS_PER_IP_PER_HOUR: '0',
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
  afterEach(async () => {
    const manager = app.app.get(DataSource).manager;
    for (const check of app.app.get(LedgerChecks).all()) expect(await check.differences(manager)).toEqual([]);
  });

  it('a self-invite (the inviter’s own device) pays nothing and is flagged', async () => {
    const ritaPhone = device('rita-phone');
    const rita = await signUp('rita', ritaPhone);
    const brand = await createBrand(app, rita, 'Recruit Rhubarb');
    const alt = await signUp('rita_alt', device('rita-phone'), await inviteBy(rita));
    expect((await publishFrom(alt, device('rita-phone'), brand)).sharesAwarded).toBe(10);
    await settle();
    expect(await standing('rita')).toEqual({ invited: 0, recruiter: 0, bonus: 0 });
    const [flag] = await sql<{ flag_reason: string }>(
      `SELECT i.flag_reason FROM invites i JOIN users u ON u.id = i.invitee_id WHERE u.handle = 'rita_alt'`,
    );
    expect(flag).toEqual({ flag_reason: 'SAME_DEVICE' });
    const events = await sql<{ meta: { reason: string } }>(`SELECT meta FROM events WHERE action = 'invite.flagged'`);
    expect(events.map((e) => e.meta.reason)).toEqual(['SAME_DEVICE']);
  }, 120_000);

  it('pays +25 per newcomer whose first photo earns, once, and grants RECRUITER at the fifth', async () => {
    const [rita] = await sql<{ id: string }>(`SELECT id FROM users WHERE handle = 'rita'`);
    const ritaSession = (await accountsClient(app).logIn('rita@example.com', 'correct horse battery')).body.data!.logIn;
    const brand = await createBrand(app, ritaSession, 'Recruit Raspberries');
    for (let i = 1; i <= 5; i++) {
      const headers = device(`guest-${i}-phone`);
      const guest = await signUp(`guest_${i}`, headers, await inviteBy(ritaSession));
      await publishFrom(guest, headers, brand);
      // A second earning photo does not pay the invite again.
      if (i === 1) await publishFrom(guest, headers, brand);
      await settle();
      expect(await standing('rita')).toEqual({ invited: i, recruiter: i === 5 ? 1 : 0, bonus: 25 * i });
    }
    const { body } = await app.graphql<{ user: { invitedCount: number; awards: { award: { code: string } }[] } }>(
      `{ user(handle: "rita") { invitedCount awards { award { code } } } }`,
    );
    expect(body.data!.user.invitedCount).toBe(5);
    expect(body.data!.user.awards.map((a) => a.award.code)).toContain('RECRUITER');
    const told = await sql<{ kind: string }>(
      `SELECT kind FROM notifications WHERE user_id = $1 AND kind = 'INVITE_QUALIFIED'`,
      [rita!.id],
    );
    expect(told).toHaveLength(5);
  }, 300_000);

  it('reverses the bonus of an invite whose invitee is later banned, once, and stops counting it', async () => {
    await app.app.get(UsersService).grantRole('rita@example.com', Role.MODERATOR);
    const rita = (await accountsClient(app).logIn('rita@example.com', 'correct horse battery')).body.data!.logIn;
    const sharesOfRita = async () => {
      const [row] = await sql<{ shares: number }>(
        `SELECT coalesce(sum(e.shares), 0)::int AS shares FROM employments e JOIN users u ON u.id = e.user_id
          WHERE u.handle = 'rita'`,
      );
      return row!.shares;
    };
    const before = await sharesOfRita();
    const banned = await app.graphql(
      `mutation { banUser(handle: "guest_1", reason: "A farmed account") { handle } }`,
      {},
      bearer(rita.accessToken),
    );
    expect(banned.body.errors).toBeUndefined();
    await settle();
    await settle();
    expect(await sharesOfRita()).toBe(before - 25);
    const reversals = await sql<{ shares: number; key: string }>(
      `SELECT r.shares, r.idempotency_key AS key FROM share_ledger r
         JOIN share_ledger paid ON paid.id = r.reverses
         JOIN invites i ON paid.idempotency_key = 'invite:' || i.id
         JOIN users u ON u.id = i.invitee_id
        WHERE u.handle = 'guest_1'`,
    );
    expect(reversals).toEqual([{ shares: -25, key: expect.stringMatching(/^reversal:/) }]);
    const { body } = await app.graphql<{ user: { invitedCount: number } }>(`{ user(handle: "rita") { invitedCount } }`);
    expect(body.data!.user.invitedCount).toBe(4);
    const revoked = await sql<{ reason: string }>(
      `SELECT meta->>'reason' AS reason FROM events WHERE action = 'invite.revoked'`,
    );
    expect(revoked).toEqual([{ reason: 'INVITEE_BANNED' }]);
  }, 120_000);
});
