import { DataSource, type EntityManager } from 'typeorm';
import { EventLog, fromGlobalId, inTransaction } from '@boardroom/core';
import { InvitesService, type InviteRecord } from '@boardroom/accounts';
import { accountsClient, bearer, type Session } from './support/accounts-client.js';
import { statementsDuring } from './support/count-statements.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const PASSWORD = 'correct horse battery';
const WINDOW = { sameNetworkWindowHours: 24 };

interface InviteView {
  code: string;
  url: string;
  createdAt: string;
  qualifiedAt: string | null;
  acceptedBy: { handle: string } | null;
}

/** Invites as clients see them, and the self-invite checks the game calls. */
describe('invites (e2e)', () => {
  let app: TestApp;
  let client: ReturnType<typeof accountsClient>;
  let invites: InvitesService;
  let dataSource: DataSource;
  let ipCounter = 0;

  /** A client's headers: its own address (through the trusted loopback proxy) and, if given, a device id. */
  const from = (ip: string, deviceId?: string): Record<string, string> => ({
    'x-forwarded-for': ip,
    ...(deviceId ? { 'x-device-id': deviceId } : {}),
  });
  const freshIp = () => `10.0.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

  const signUp = async (
    handle: string,
    headers: Record<string, string>,
    extra: { email?: string; inviteCode?: string } = {},
  ) => {
    const { body } = await client.signUp(
      {
        handle,
        email: extra.email ?? `${handle}@example.com`,
        ...(extra.inviteCode !== undefined && { inviteCode: extra.inviteCode }),
      },
      headers,
    );
    expect(body.errors).toBeUndefined();
    return body.data!.signUp;
  };
  const as = async <T>(
    session: Session | null,
    query: string,
    variables: Record<string, unknown> = {},
    headers = {},
  ) => {
    const { body } = await app.graphql<T>(query, variables, {
      ...headers,
      ...(session ? bearer(session.accessToken) : {}),
    });
    expect(body.errors).toBeUndefined();
    return body.data!;
  };
  const createInvite = (session: Session, headers: Record<string, string> = {}) =>
    app.graphql<{ createInvite: InviteView }>(
      `mutation { createInvite { code url createdAt qualifiedAt acceptedBy { handle } } }`,
      {},
      { ...headers, ...bearer(session.accessToken) },
    );
  const newInvite = async (session: Session, headers: Record<string, string> = {}) => {
    const { body } = await createInvite(session, headers);
    expect(body.errors).toBeUndefined();
    return body.data!.createInvite;
  };
  const myInvites = async (session: Session) =>
    (
      await as<{ me: { invites: InviteView[]; invitedCount: number } }>(
        session,
        `{ me { invitedCount invites { code url createdAt qualifiedAt acceptedBy { handle } } } }`,
      )
    ).me;
  const userId = (session: Session) => fromGlobalId(session.user.id).localId;
  const userExists = async (handle: string) =>
    (
      await as<{ user: { handle: string } | null }>(null, `query($h: String!) { user(handle: $h) { handle } }`, {
        h: handle,
      })
    ).user !== null;
  const inviteOf = (invitee: Session): Promise<InviteRecord | null> =>
    inTransaction(dataSource, (manager) => invites.acceptedInviteOf(manager, userId(invitee)));
  const reasonFor = async (invitee: Session, window = WINDOW) => {
    const invite = await inviteOf(invitee);
    return inTransaction(dataSource, (manager) => invites.selfInviteReason(manager, invite!, window));
  };
  /** An inviter and, when `inviteeHeaders` are given, someone who signs up with the inviter's new code. */
  const pair = async (
    name: string,
    inviter: Record<string, string>,
    invitee: Record<string, string>,
    emails: { inviter?: string; invitee?: string } = {},
  ) => {
    const host = await signUp(`${name}_host`, inviter, { email: emails.inviter });
    const { code } = await newInvite(host, inviter);
    const guest = await signUp(`${name}_guest`, invitee, { email: emails.invitee, inviteCode: code });
    return { host, guest, code };
  };

  beforeAll(async () => {
    app = await startTestApp({
      TRUST_PROXY: 'loopback',
      SIGNUPS_PER_IP_PER_HOUR: '0',
      PUBLIC_URL: 'https://boardroom.example',
    });
    client = accountsClient(app);
    invites = app.app.get(InvitesService);
    dataSource = app.app.get(DataSource);
  });
  afterAll(() => app?.close());

  it('creates an invite with a code and a link, lists it, and shows who signed up with it', async () => {
    const ip = freshIp();
    const ann = await signUp('ann', from(ip));
    const invite = await newInvite(ann, from(ip));
    expect(invite.code).toMatch(/^[a-z2-9]{12}$/);
    expect(invite.url).toBe(`https://boardroom.example/join?invite=${invite.code}`);
    expect(invite.acceptedBy).toBeNull();
    expect(invite.qualifiedAt).toBeNull();
    const second = await newInvite(ann, from(ip));
    expect(second.code).not.toBe(invite.code);
    expect((await myInvites(ann)).invites.map((i) => i.code)).toEqual([second.code, invite.code]);

    // Codes are accepted in any case and with stray spaces, as people paste them.
    await signUp('ben', from(freshIp()), { inviteCode: ` ${invite.code.toUpperCase()} ` });
    const mine = await myInvites(ann);
    expect(mine.invites.find((i) => i.code === invite.code)?.acceptedBy).toEqual({ handle: 'ben' });
    expect(mine.invites.find((i) => i.code === second.code)?.acceptedBy).toBeNull();
    expect(mine.invitedCount).toBe(0);

    const [created] = await dataSource.query<{ actor_id: string; network_fingerprint: string | null }[]>(
      `SELECT actor_id, network_fingerprint FROM events WHERE action = 'invite.created' AND actor_id = $1 LIMIT 1`,
      [userId(ann)],
    );
    expect(created?.network_fingerprint).toEqual(expect.any(String));
    const [accepted] = await dataSource.query<{ actor_id: string; meta: Record<string, unknown> }[]>(
      `SELECT actor_id, meta FROM events WHERE action = 'invite.accepted' AND meta->>'inviterId' = $1`,
      [userId(ann)],
    );
    const benInvite = await inviteOf((await client.logIn('ben@example.com', PASSWORD)).body.data!.logIn);
    expect(accepted).toEqual({
      actor_id: benInvite!.inviteeId,
      meta: { inviterId: userId(ann), inviteId: benInvite!.id },
    });
  });

  it('refuses an unknown or used code on input.inviteCode and creates no user', async () => {
    const { code } = await pair('cal', from(freshIp()), from(freshIp()));

    const unknown = await client.signUp(
      { email: 'dee@example.com', handle: 'dee', inviteCode: 'nosuchcode22' },
      from(freshIp()),
    );
    expect(unknown.body.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.inviteCode', message: 'unknown invite code' }],
    });
    expect(unknown.body.errors?.[0]?.message).toMatch(/does not exist/);

    const used = await client.signUp({ email: 'dee@example.com', handle: 'dee', inviteCode: code }, from(freshIp()));
    expect(used.body.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.inviteCode', message: 'already used' }],
    });
    expect(used.body.errors?.[0]?.message).toMatch(/already been used/);
    expect(await userExists('dee')).toBe(false);

    // An empty code is no code.
    await signUp('dee', from(freshIp()), { inviteCode: '' });
    expect(await inviteOf((await client.logIn('dee@example.com', PASSWORD)).body.data!.logIn)).toBeNull();
  });

  it('leaves the code open when the sign-up fails for another reason', async () => {
    const host = await signUp('eve', from(freshIp()));
    const { code } = await newInvite(host);
    const taken = await client.signUp(
      { email: 'eve@example.com', handle: 'eve_two', inviteCode: code },
      from(freshIp()),
    );
    expect(taken.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'EMAIL_TAKEN' });
    expect((await myInvites(host)).invites[0]?.acceptedBy).toBeNull();
    await signUp('eve_two', from(freshIp()), { inviteCode: code });
    expect((await myInvites(host)).invites[0]?.acceptedBy).toEqual({ handle: 'eve_two' });
  });

  it('gives a code to one of two racing sign-ups', async () => {
    const host = await signUp('fay', from(freshIp()));
    const { code } = await newInvite(host);
    const results = await Promise.all(
      ['fay_a', 'fay_b'].map((handle) =>
        client.signUp({ email: `${handle}@example.com`, handle, inviteCode: code }, from(freshIp())),
      ),
    );
    expect(results.filter((r) => r.body.errors === undefined)).toHaveLength(1);
    const loser = results.find((r) => r.body.errors !== undefined)!;
    expect(loser.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((await userExists('fay_a')) !== (await userExists('fay_b'))).toBe(true);
  });

  it("shows a user's invites to the user and admins only", async () => {
    const gus = await signUp('gus', from(freshIp()));
    await newInvite(gus);
    const hal = await signUp('hal', from(freshIp()));
    const query = `query($h: String!) { user(handle: $h) { invitedCount invites { code } } }`;
    expect((await as<{ user: { invites: unknown } }>(hal, query, { h: 'gus' })).user).toEqual({
      invitedCount: 0,
      invites: null,
    });
    expect((await as<{ user: { invites: unknown } }>(null, query, { h: 'gus' })).user).toEqual({
      invitedCount: 0,
      invites: null,
    });
    expect((await as<{ user: { invites: unknown[] } }>(gus, query, { h: 'gus' })).user.invites).toHaveLength(1);
    expect((await as<{ user: { invites: unknown[] } }>(hal, query, { h: 'hal' })).user.invites).toEqual([]);
    const anonymous = await app.graphql(`mutation { createInvite { code } }`);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('keeps at most 20 unused invites, also when 25 are asked for at once', async () => {
    const ida = await signUp('ida', from(freshIp()));
    const results = await Promise.all(Array.from({ length: 25 }, () => createInvite(ida)));
    const refused = results.filter((r) => r.body.errors !== undefined);
    expect(refused).toHaveLength(5);
    expect(refused[0]?.body.errors?.[0]?.extensions).toEqual({
      code: 'CONFLICT',
      reason: 'OPEN_INVITES_LIMIT',
      limit: 20,
    });
    expect(refused[0]?.body.errors?.[0]?.message).toMatch(/20 unused invites/);
    expect((await myInvites(ida)).invites).toHaveLength(20);
    expect((await createInvite(ida)).body.errors?.[0]?.extensions?.reason).toBe('OPEN_INVITES_LIMIT');

    // A used invite is no longer open: it frees a place.
    const { code } = (await myInvites(ida)).invites[0]!;
    await signUp('ida_guest', from(freshIp()), { inviteCode: code });
    await newInvite(ida);
    expect((await createInvite(ida)).body.errors?.[0]?.extensions?.reason).toBe('OPEN_INVITES_LIMIT');
    expect((await myInvites(ida)).invites).toHaveLength(21);
  });

  it('counts qualified invites; qualifying and flagging happen once and exclude each other', async () => {
    const { host, guest } = await pair('jon', from(freshIp(), 'jon-phone'), from(freshIp(), 'kim-phone'));
    const other = await signUp('jon_other', from(freshIp()), { inviteCode: (await newInvite(host)).code });
    const invite = (await inviteOf(guest))!;
    const otherInvite = (await inviteOf(other))!;
    expect(invite.inviterId).toBe(userId(host));
    expect(await inviteOf(host)).toBeNull();
    expect((await myInvites(host)).invitedCount).toBe(0);

    const at = new Date();
    const settle = <T>(work: (manager: EntityManager) => Promise<T>) => inTransaction(dataSource, work);
    // The brand of the invitee's first earning photo, where the qualification is recorded.
    const [{ id: brandId }] = await dataSource.query<[{ id: string }]>(
      `INSERT INTO brands (slug, name, folded_name) VALUES ('jon-brand', 'Jon Brand', 'jon brand') RETURNING id`,
    );
    expect(await settle((m) => invites.markQualified(m, invite.id, at, brandId))).toBe(true);
    expect(await settle((m) => invites.markQualified(m, invite.id, at, brandId))).toBe(false);
    expect(await settle((m) => invites.markFlagged(m, invite.id, 'SAME_DEVICE', at))).toBe(false);
    const mine = await myInvites(host);
    expect(mine.invitedCount).toBe(1);
    expect(mine.invites.find((i) => i.acceptedBy?.handle === 'jon_guest')?.qualifiedAt).toBe(at.toISOString());

    expect(await settle((m) => invites.markFlagged(m, otherInvite.id, 'SAME_NETWORK', at))).toBe(true);
    expect(await settle((m) => invites.markFlagged(m, otherInvite.id, 'SAME_EMAIL', at))).toBe(false);
    expect(await settle((m) => invites.markQualified(m, otherInvite.id, at, brandId))).toBe(false);
    expect((await myInvites(host)).invitedCount).toBe(1);
    const flagged = await dataSource.query<{ target_id: string; meta: Record<string, unknown> }[]>(
      `SELECT target_id, meta FROM events WHERE action = 'invite.flagged' AND target_id = $1`,
      [otherInvite.id],
    );
    expect(flagged).toEqual([
      {
        target_id: otherInvite.id,
        meta: { reason: 'SAME_NETWORK', inviteId: otherInvite.id, inviterId: userId(host), inviteeId: userId(other) },
      },
    ]);
    expect(
      (await as<{ user: { invitedCount: number } }>(null, `{ user(handle: "jon_host") { invitedCount } }`)).user
        .invitedCount,
    ).toBe(1);

    // An open invite cannot be settled.
    const { code } = await newInvite(host);
    const [{ id: openId }] = await dataSource.query<[{ id: string }]>(`SELECT id FROM invites WHERE code = $1`, [code]);
    expect(await settle((m) => invites.markQualified(m, openId, at, brandId))).toBe(false);
    expect(await settle((m) => invites.markFlagged(m, openId, 'SAME_DEVICE', at))).toBe(false);
  });

  it('batches acceptedBy and invitedCount over a list of users', async () => {
    const small = await pair('lou', from(freshIp()), from(freshIp()));
    const big = await signUp('max', from(freshIp()));
    for (const handle of ['max_a', 'max_b', 'max_c'])
      await signUp(handle, from(freshIp()), { inviteCode: (await newInvite(big)).code });
    const query = `{ me { invitedCount invites { acceptedBy { handle invitedCount } } } }`;
    const count = (session: Session) => statementsDuring(app, () => as(session, query));
    expect((await count(big)).length).toBe((await count(small.host)).length);
  });

  describe('self-invite checks', () => {
    it('finds the same device at any time', async () => {
      const { guest } = await pair('nia', from(freshIp(), 'shared-device'), from(freshIp(), 'shared-device'));
      expect(await reasonFor(guest)).toBe('SAME_DEVICE');
    });

    it('finds a device the invitee uses later, logging in', async () => {
      const { guest } = await pair('oli', from(freshIp(), 'oli-laptop'), from(freshIp(), 'pat-phone'));
      expect(await reasonFor(guest)).toBeNull();
      expect(
        (await client.logIn('oli_guest@example.com', PASSWORD, from(freshIp(), 'oli-laptop'))).body.errors,
      ).toBeUndefined();
      expect(await reasonFor(guest)).toBe('SAME_DEVICE');
    });

    it('finds the same network within the window around the sign-up', async () => {
      const ip = freshIp();
      const { guest } = await pair('quy', from(ip, 'quy-phone'), from(ip, 'ray-phone'));
      expect(await reasonFor(guest)).toBe('SAME_NETWORK');
    });

    it('ignores a shared network outside the window', async () => {
      const shared = freshIp();
      const { host, guest } = await pair('sam', from(freshIp(), 'sam-phone'), from(freshIp(), 'tia-phone'));
      const { acceptedAt } = (await inviteOf(guest))!;
      const hours = (h: number) => new Date(acceptedAt!.getTime() + h * 3600_000);
      const event = (session: Session, occurredAt: Date) =>
        inTransaction(dataSource, (manager) =>
          app.app
            .get(EventLog)
            .record(manager, { action: 'test.seen', actorId: userId(session), networkFingerprint: shared, occurredAt }),
        );
      // The inviter on that network 30 h before the sign-up, the invitee 1 h after it: too far apart.
      await event(host, hours(-30));
      await event(guest, hours(1));
      expect(await reasonFor(guest)).toBeNull();
      // With a longer window (the game's rule decides), the same events match.
      expect(await reasonFor(guest, { sameNetworkWindowHours: 48 })).toBe('SAME_NETWORK');
      // The invitee on it 25 h after signing up, the inviter 23 h after: the invitee is outside.
      const later = await pair('uma', from(freshIp(), 'uma-phone'), from(freshIp(), 'vic-phone'));
      const at = (await inviteOf(later.guest))!.acceptedAt!;
      await event(later.host, new Date(at.getTime() + 23 * 3600_000));
      await event(later.guest, new Date(at.getTime() + 25 * 3600_000));
      expect(await reasonFor(later.guest)).toBeNull();
      // Both within it: found.
      await event(later.guest, new Date(at.getTime() + 23.5 * 3600_000));
      expect(await reasonFor(later.guest)).toBe('SAME_NETWORK');
    });

    it('finds the same email without dots and +tags', async () => {
      const { guest } = await pair('wes', from(freshIp(), 'wes-phone'), from(freshIp(), 'xia-phone'), {
        inviter: 'alice+x@example.com',
        invitee: 'a.lice@Example.com',
      });
      expect(await reasonFor(guest)).toBe('SAME_EMAIL');
    });

    it('finds nothing for a genuinely different newcomer', async () => {
      const { guest } = await pair('yan', from(freshIp(), 'yan-phone'), from(freshIp(), 'zoe-phone'));
      expect(await reasonFor(guest)).toBeNull();
    });
  });
});
