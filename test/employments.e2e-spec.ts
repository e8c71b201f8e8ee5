import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { JobRegistry, LedgerChecks, fromGlobalId, inTransaction } from '@boardroom/core';
import { Payroll, ShareLedger } from '@boardroom/game';
import { sceneFiles } from './fixtures/make-fixtures.js';
import { accountsClient, bearer, type Session } from './support/accounts-client.js';
import { createBrand } from './support/brands-client.js';
import { statementsDuring } from './support/count-statements.js';
import { photosClient } from './support/photos-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const EMPLOYMENT = `id shares recentShares salary title rank since user { handle } brand { slug }`;

interface EmploymentView {
  id: string;
  shares: number;
  recentShares: number;
  salary: number;
  title: string;
  rank: number;
  user: { handle: string };
}

/** The game as clients see it: employments, titles and salary, the CEO seat, leaderboards, ledgers and wallets. */
describe('employments, the seat, ledgers and wallets (e2e)', () => {
  let app: TestApp;
  let dir: string;
  let scenes: string[];
  let alice: Session;
  let bob: Session;
  let photos: ReturnType<typeof photosClient>;

  const as = <T>(session: Session | null, query: string, variables: Record<string, unknown> = {}) =>
    app.graphql<T>(query, variables, session ? bearer(session.accessToken) : {}).then(({ body }) => {
      expect(body.errors).toBeUndefined();
      return body.data!;
    });
  const myEmployment = async (session: Session, slug: string) =>
    (
      await as<{ brand: { myEmployment: EmploymentView | null } }>(
        session,
        `query($slug: String!) { brand(slug: $slug) { myEmployment { ${EMPLOYMENT} } } }`,
        { slug },
      )
    ).brand.myEmployment;
  const notifications = async (session: Session) =>
    (
      await as<{
        me: {
          notifications: {
            edges: { node: { id: string; kind: string; message: string; brand: { slug: string } | null } }[];
          };
        };
      }>(session, `{ me { notifications(first: 50) { edges { node { id kind message readAt brand { slug } } } } } }`)
    ).me.notifications.edges.map((edge) => edge.node);
  /** Shares from outside the photo pipeline (an award's bonus), through the real ledger. */
  const grant = async (session: Session, slug: string, shares: number) => {
    const [{ id: brandId }] = await app.app
      .get(DataSource)
      .query<[{ id: string }]>(`SELECT id FROM brands WHERE slug = $1`, [slug]);
    const userId = fromGlobalId(session.user.id).localId;
    await inTransaction(app.app.get(DataSource), (manager) =>
      app.app.get(ShareLedger).apply(manager, {
        userId,
        brandId,
        shares,
        reason: 'AWARD_BONUS',
        sourceType: 'award',
        sourceId: randomUUID(),
        idempotencyKey: `award:TEST_${randomUUID()}:${userId}:${brandId}`,
        at: new Date(),
      }),
    );
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-employment-fixtures-'));
    scenes = await sceneFiles(dir, [201, 202, 203, 204, 205, 206, 207]);
    app = await startTestApp({
      JOBS_IN_API: 'true',
      JOBS_POLL_INTERVAL_MS: '50',
      RATE_LIMIT_GRAPHQL: '100000/60',
      RATE_LIMIT_UPLOADS: '1000/60',
      // The game core alone: award bonuses (FIRST_PHOTO, …) would add to every number here.
      EVENT_CONSUMERS_PAUSED: 'awards,invites',
    });
    photos = photosClient(app);
    alice = (await accountsClient(app).signUp({ email: 'alice@example.com', handle: 'alice' })).body.data!.signUp;
    bob = (await accountsClient(app).signUp({ email: 'bob@example.com', handle: 'bob' })).body.data!.signUp;
  });

  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  afterEach(async () => {
    const manager = app.app.get(DataSource).manager;
    for (const check of app.app.get(LedgerChecks).all()) expect(await check.differences(manager)).toEqual([]);
  });

  let brand: string;
  let alicePhotos: string[];

  it('uploads move a user from INTERN to ASSOCIATE, the salary with them, and tell the user', async () => {
    brand = await createBrand(app, alice, 'Seat Sodas');
    expect(await myEmployment(alice, brand)).toBeNull();
    alicePhotos = [];
    for (const scene of scenes.slice(0, 4)) alicePhotos.push((await photos.publish(alice, brand, scene)).id);
    expect(await myEmployment(alice, brand)).toMatchObject({
      shares: 40,
      recentShares: 40,
      title: 'INTERN',
      salary: 18_000 + 20 * 40,
      rank: 1,
      user: { handle: 'alice' },
    });
    alicePhotos.push((await photos.publish(alice, brand, scenes[4]!)).id);
    expect(await myEmployment(alice, brand)).toMatchObject({ shares: 50, title: 'ASSOCIATE', salary: 33_000 });

    // The publishing job delivered again (at least once delivery): nothing is awarded twice.
    const processPhoto = app.app.get(JobRegistry).handlerFor('photo.process')!;
    await processPhoto(
      { photoId: fromGlobalId(alicePhotos[4]!).localId },
      { id: '0', name: 'photo.process', attempt: 2, maxAttempts: 5 },
    );
    expect(await myEmployment(alice, brand)).toMatchObject({ shares: 50 });
    expect((await photos.photo(alice, alicePhotos[4]!))!.sharesAwarded).toBe(10);
    expect(await notifications(alice)).toEqual([
      expect.objectContaining({
        kind: 'TITLE_CHANGED',
        message: 'You are now Associate at Seat Sodas, with 50 shares.',
        brand: { slug: brand },
      }),
    ]);
  });

  it('deleting a photo reverses its shares and can demote; the ledger shows both entries', async () => {
    await as(alice, `mutation($id: ID!) { deletePhoto(id: $id) }`, { id: alicePhotos[4] });
    expect(await myEmployment(alice, brand)).toMatchObject({ shares: 40, title: 'INTERN', salary: 18_800 });
    const { brand: page } = await as<{
      brand: { myEmployment: { ledger: { edges: { node: Record<string, unknown> }[] } } };
    }>(
      alice,
      `query($slug: String!) { brand(slug: $slug) { myEmployment { ledger(first: 3) { edges { node {
          shares reason photo { id } reverses { shares reason photo { id } } } } } } } }`,
      { slug: brand },
    );
    expect(page.myEmployment.ledger.edges.map((edge) => edge.node)).toEqual([
      // The deleted photo is no longer visible, even to its owner; the entries stay.
      {
        shares: -10,
        reason: 'REVERSAL',
        photo: null,
        reverses: { shares: 10, reason: 'PHOTO_PUBLISHED', photo: null },
      },
      { shares: 10, reason: 'PHOTO_PUBLISHED', photo: null, reverses: null },
      { shares: 10, reason: 'PHOTO_PUBLISHED', photo: { id: alicePhotos[3] }, reverses: null },
    ]);
    expect((await notifications(alice)).map((n) => n.kind)).toEqual(['TITLE_CHANGED', 'TITLE_CHANGED']);
  });

  it('a second user overtakes the CEO with more recent shares; the first is told, and ties keep the incumbent', async () => {
    await grant(alice, brand, 960); // 1,000: eligible, and the seat is vacant
    const seat = () =>
      as<{ brand: { ceo: EmploymentView | null; employeeCount: number } }>(
        null,
        `query($slug: String!) { brand(slug: $slug) { employeeCount ceo { ${EMPLOYMENT} } } }`,
        { slug: brand },
      ).then((data) => data.brand);
    expect((await seat()).ceo).toMatchObject({ user: { handle: 'alice' }, title: 'CEO', salary: 250_000 + 20 * 1000 });

    await grant(bob, brand, 1000); // tied on recent shares: the incumbent keeps the seat
    expect(await seat()).toMatchObject({ employeeCount: 2, ceo: { user: { handle: 'alice' } } });

    await photos.publish(bob, brand, scenes[5]!); // 1,010 recent: bob takes it
    expect((await seat()).ceo).toMatchObject({ user: { handle: 'bob' }, shares: 1010, recentShares: 1010 });
    expect(await myEmployment(alice, brand)).toMatchObject({ title: 'VICE_PRESIDENT', salary: 150_000 + 20 * 1000 });
    const told = await notifications(alice);
    expect(told[0]).toMatchObject({
      kind: 'CEO_LOST',
      message: 'You are no longer the CEO of Seat Sodas: @bob has more recent shares (1010 to your 1000).',
    });
    // Seated at 1,000 shares: the title those shares give (VICE_PRESIDENT) and the seat, told at one time.
    expect(
      told
        .slice(1, 3)
        .map((n) => n.kind)
        .sort(),
    ).toEqual(['CEO_WON', 'TITLE_CHANGED']);
    expect((await notifications(bob))[0]).toMatchObject({ kind: 'CEO_WON' });

    // Read notifications are marked once; another user's ids mark nothing.
    const ids = told.map((n) => n.id);
    expect(await as(bob, `mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) }`, { ids })).toEqual({
      markNotificationsRead: 0,
    });
    expect(await as(alice, `mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) }`, { ids })).toEqual({
      markNotificationsRead: ids.length,
    });
    const unread = await as<{ me: { notifications: { edges: unknown[] } } }>(
      alice,
      `{ me { notifications(unreadOnly: true) { edges { node { id } } } } }`,
    );
    expect(unread.me.notifications.edges).toEqual([]);
  });

  it('pages the leaderboard with stable cursors and the ranks of the places', async () => {
    const carol = (await accountsClient(app).signUp({ email: 'carol@example.com', handle: 'carol' })).body.data!.signUp;
    await grant(carol, brand, 1000); // ties alice at 1,000: alice reached it first
    const page = (after: string | null) =>
      as<{
        brand: {
          leaderboard: {
            edges: { cursor: string; node: EmploymentView }[];
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
          };
        };
      }>(
        null,
        `query($slug: String!, $after: String) { brand(slug: $slug) {
           leaderboard(first: 2, after: $after) { edges { cursor node { ${EMPLOYMENT} } } pageInfo { hasNextPage endCursor } } } }`,
        { slug: brand, after },
      ).then((data) => data.brand.leaderboard);
    const first = await page(null);
    expect(first.edges.map((e) => [e.node.user.handle, e.node.shares, e.node.rank])).toEqual([
      ['bob', 1010, 1],
      ['alice', 1000, 2],
    ]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await page(first.pageInfo.endCursor);
    expect(second.edges.map((e) => [e.node.user.handle, e.node.shares, e.node.rank])).toEqual([['carol', 1000, 3]]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    // Employment.rank outside a board agrees with the board, and node(id:) finds the employment.
    const { node } = await as<{ node: { rank: number; user: { handle: string } } }>(
      null,
      `query($id: ID!) { node(id: $id) { ... on Employment { rank user { handle } } } }`,
      { id: second.edges[0]!.node.id },
    );
    expect(node).toEqual({ rank: 3, user: { handle: 'carol' } });
    const bad = await app.graphql(
      `query($slug: String!) { brand(slug: $slug) { leaderboard(after: "bm9wZQ") { edges { cursor } } } }`,
      { slug: brand },
    );
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a user sees their own ledger and wallet, and not another’s', async () => {
    // Monday after today: alice's entries of today make her employment active for payroll.
    const now = new Date();
    const monday = new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + ((8 - now.getUTCDay()) % 7 || 7)),
    );
    await app.app.get(Payroll).runWeek(monday);
    const query = `query($handle: String!) { user(handle: $handle) {
        wallet { balance entries { edges { node { amount reason } } } }
        employments { edges { node { shares ledger { edges { node { shares } } } } } } } }`;
    const own = await as<{
      user: {
        wallet: { balance: number; entries: { edges: { node: { amount: number; reason: string } }[] } };
        employments: { edges: { node: { ledger: unknown } }[] };
      };
    }>(alice, query, { handle: 'alice' });
    const weekly = Math.floor((150_000 + 20 * 1000) / 52);
    expect(own.user.wallet).toEqual({
      balance: weekly,
      entries: { edges: [{ node: { amount: weekly, reason: 'PAYROLL' } }] },
    });
    expect(own.user.employments.edges[0]!.node.ledger).not.toBeNull();

    const other = await as<{
      user: { wallet: unknown; employments: { edges: { node: { shares: number; ledger: unknown } }[] } };
    }>(alice, query, { handle: 'bob' });
    expect(other.user.wallet).toBeNull();
    // Bob's standing is public; his ledger is not.
    expect(other.user.employments.edges).toEqual([{ node: { shares: 1010, ledger: null } }]);
  });

  it('costs the same number of statements for a page of 1 and of 3, ranks and seats included', async () => {
    await createBrand(app, bob, 'Seat Snacks');
    await grant(alice, 'seat-snacks', 20);
    const board = (first: number) =>
      as(
        alice,
        `query($slug: String!, $first: Int!) { brand(slug: $slug) {
           leaderboard(first: $first) { edges { node { rank title user { handle } brand { slug } } } } } }`,
        { slug: brand, first },
      );
    expect((await statementsDuring(app, () => board(1))).length).toBe(
      (await statementsDuring(app, () => board(3))).length,
    );
    const brands = (first: number) =>
      as(
        alice,
        `query($first: Int!) { brands(first: $first) { edges { node {
           slug employeeCount ceo { user { handle } } myEmployment { rank title } } } } }`,
        { first },
      );
    expect((await statementsDuring(app, () => brands(1))).length).toBe(
      (await statementsDuring(app, () => brands(2))).length,
    );
    const mine = (first: number) =>
      as(
        alice,
        `query($first: Int!) { me { employments(first: $first) { edges { node { rank brand { slug } } } } } }`,
        {
          first,
        },
      );
    expect((await statementsDuring(app, () => mine(1))).length).toBe(
      (await statementsDuring(app, () => mine(2))).length,
    );
  });
});
