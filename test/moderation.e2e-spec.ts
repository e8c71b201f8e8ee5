import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { LedgerChecks, fromGlobalId, toGlobalId } from '@boardroom/core';
import { Role, UsersService } from '@boardroom/accounts';
import { StorageDriver } from '@boardroom/media';
import { AUDITED_ACTIONS } from '@boardroom/moderation';
import { PhotosService } from '@boardroom/photos';
import { readMailFolder } from '../libs/accounts/src/mail/mail-folder.js';
import { photoScene } from './fixtures/make-fixtures.js';
import { accountsClient, bearer, type Session } from './support/accounts-client.js';
import { createBrand } from './support/brands-client.js';
import { employeesOf } from './support/employees.js';
import { photosClient, type PhotoView } from './support/photos-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface QueueItem {
  targetType: string;
  targetId: string;
  reportCount: number;
  reasons: string[];
  firstReportedAt: string;
  lastReportedAt: string;
  photo: { id: string; status: string } | null;
  user: { handle: string } | null;
}

const QUEUE = `query($first: Int, $after: String) { moderationQueue(first: $first, after: $after) {
  edges { cursor node { targetType targetId reportCount reasons firstReportedAt lastReportedAt
                        photo { id status } user { handle } } }
  pageInfo { hasNextPage endCursor } } }`;

/** Reports, the queue, moderators' decisions with the shares they reverse and give back, bans, the audit log. */
describe('moderation (e2e)', () => {
  let app: TestApp;
  let dir: string;
  let scenes: string[];
  let admin: Session;
  let moderator: Session;
  let alice: Session;
  let bob: Session;
  let carol: Session;
  let photos: ReturnType<typeof photosClient>;

  const sql = <T = Record<string, unknown>>(query: string, parameters: unknown[] = []) =>
    app.app.get(DataSource).query<T[]>(query, parameters);
  const localId = (id: string) => fromGlobalId(id).localId;
  const call = <T>(session: Session | null, query: string, variables: Record<string, unknown> = {}) =>
    app.graphql<T>(query, variables, session ? bearer(session.accessToken) : {}).then(({ body }) => body);
  const as = async <T>(session: Session | null, query: string, variables: Record<string, unknown> = {}) => {
    const body = await call<T>(session, query, variables);
    expect(body.errors).toBeUndefined();
    return body.data!;
  };
  const errorOf = async (session: Session | null, query: string, variables: Record<string, unknown> = {}) => {
    const body = await call(session, query, variables);
    expect(body.errors).toHaveLength(1);
    return body.errors![0]!.extensions as { code: string; reason?: string };
  };
  const shares = async (session: Session, slug: string) =>
    (
      await sql<{ shares: number }>(
        `SELECT e.shares FROM employments e JOIN brands b ON b.id = e.brand_id WHERE e.user_id = $1 AND b.slug = $2`,
        [localId(session.user.id), slug],
      )
    )[0]?.shares ?? null;
  const ceo = async (slug: string) =>
    (
      await as<{ brand: { ceo: { user: { handle: string } } | null } }>(
        null,
        `query($slug: String!) { brand(slug: $slug) { ceo { user { handle } } } }`,
        { slug },
      )
    ).brand.ceo?.user.handle ?? null;
  const notificationKinds = async (session: Session) =>
    (
      await as<{ me: { notifications: { edges: { node: { kind: string } }[] } } }>(
        session,
        `{ me { notifications(first: 50) { edges { node { kind } } } } }`,
      )
    ).me.notifications.edges.map((edge) => edge.node.kind);
  const ledgerIsClean = async () => {
    const manager = app.app.get(DataSource).manager;
    for (const check of app.app.get(LedgerChecks).all()) expect(await check.differences(manager)).toEqual([]);
  };
  /** Shares from outside the photo pipeline (an award's bonus), through the real ledger. */
  const grant = async (session: Session, slug: string, amount: number) => {
    const [{ id: brandId }] = (await sql<{ id: string }>(`SELECT id FROM brands WHERE slug = $1`, [slug])) as [
      { id: string },
    ];
    await employeesOf(() => app).giveShares(session, brandId, amount);
  };
  const report = (session: Session, target: string, targetId: string, reason: string, details?: string) =>
    call<{ reportContent: boolean }>(
      session,
      `mutation($target: ReportTarget!, $id: ID!, $reason: ReportReason!, $details: String) {
         reportContent(target: $target, targetId: $id, reason: $reason, details: $details) }`,
      { target, id: targetId, reason, details: details ?? null },
    );
  const removePhoto = (session: Session, id: string, reason = 'Spam, as reported') =>
    call<{ removePhoto: PhotoView }>(
      session,
      `mutation($id: ID!, $reason: String!) { removePhoto(id: $id, reason: $reason) { id status url thumbnailUrl } }`,
      { id, reason },
    );
  const restorePhoto = (session: Session, id: string) =>
    call<{ restorePhoto: PhotoView }>(session, `mutation($id: ID!) { restorePhoto(id: $id) { id status url } }`, {
      id,
    });
  const brandPhotoIds = async (slug: string) =>
    (
      await as<{ brand: { photos: { edges: { node: { id: string } }[] } } }>(
        null,
        `query($slug: String!) { brand(slug: $slug) { photos(first: 50) { edges { node { id } } } } }`,
        { slug },
      )
    ).brand.photos.edges.map((edge) => edge.node.id);

  async function verifiedUser(email: string, handle: string): Promise<Session> {
    const { body } = await accountsClient(app).signUp({ email, handle });
    const mail = (await readMailFolder(app.dataDir)).filter((m) => m.to.includes(email)).at(-1)!;
    const token = decodeURIComponent(/token=([A-Za-z0-9_%-]+)/.exec(mail.text)![1]!);
    await app.graphql(`mutation($t: String!) { verifyEmail(token: $t) { id } }`, { t: token });
    return body.data!.signUp;
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-moderation-fixtures-'));
    scenes = [];
    for (let seed = 301; seed <= 306; seed++) {
      const file = path.join(dir, `scene-${seed}.jpg`);
      await (await photoScene(800, 600, seed)).jpeg({ quality: 85 }).toFile(file);
      scenes.push(file);
    }
    app = await startTestApp({
      JOBS_IN_API: 'true',
      JOBS_POLL_INTERVAL_MS: '50',
      RATE_LIMIT_GRAPHQL: '100000/60',
      RATE_LIMIT_UPLOADS: '1000/60',
      RATE_LIMIT_COMMENTS: '1000/60',
      RATE_LIMIT_REPORTS: '1000/60',
      ADMIN_EMAILS: 'admin@example.com',
      // The game core alone: award bonuses (FIRST_PHOTO, …) would add to every number here.
      EVENT_CONSUMERS_PAUSED: 'awards,invites',
    });
    photos = photosClient(app);
    admin = await verifiedUser('admin@example.com', 'admin');
    moderator = await verifiedUser('mod@example.com', 'mod');
    alice = await verifiedUser('alice@example.com', 'alice');
    bob = (await accountsClient(app).signUp({ email: 'bob@example.com', handle: 'bob' })).body.data!.signUp;
    carol = (await accountsClient(app).signUp({ email: 'carol@example.com', handle: 'carol' })).body.data!.signUp;
    // The privileged actions of the audit log, oldest first: a role grant, a claim decision.
    await app.app.get(UsersService).grantRole('mod@example.com', Role.MODERATOR);
    const claimSlug = await createBrand(app, bob, 'Claimed Crackers');
    const { claimBrand } = await as<{ claimBrand: { id: string } }>(
      alice,
      `mutation($slug: String!) { claimBrand(slug: $slug) { id } }`,
      { slug: claimSlug },
    );
    await as(admin, `mutation($id: ID!) { decideBrandClaim(id: $id, approve: true) { status } }`, {
      id: claimBrand.id,
    });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  let brand: string;
  let alicePhotos: PhotoView[];
  let bobPhoto: PhotoView;

  it('takes one report per user and target, queues targets by reports then latest, and a removal closes them', async () => {
    brand = await createBrand(app, alice, 'Moderation Mints');
    alicePhotos = [await photos.publish(alice, brand, scenes[0]!), await photos.publish(alice, brand, scenes[1]!)];
    bobPhoto = await photos.publish(bob, brand, scenes[2]!);
    const [first, second] = alicePhotos as [PhotoView, PhotoView];

    expect((await report(bob, 'PHOTO', first.id, 'SPAM', 'Posted ten times')).data).toEqual({ reportContent: true });
    expect((await report(carol, 'PHOTO', first.id, 'OFFENSIVE')).data).toEqual({ reportContent: true });
    // A repeat is accepted and counts once.
    expect((await report(bob, 'PHOTO', first.id, 'OTHER')).data).toEqual({ reportContent: true });
    await report(carol, 'PHOTO', second.id, 'COPYRIGHT');
    await report(bob, 'USER', alice.user.id, 'FAKE_ENGAGEMENT');

    const missing = await report(bob, 'PHOTO', toGlobalId('Photo', randomUUID()), 'SPAM');
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const wrongType = await report(bob, 'PHOTO', alice.user.id, 'SPAM');
    expect(wrongType.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const long = await report(bob, 'PHOTO', second.id, 'SPAM', 'x'.repeat(2001));
    expect(long.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'details' }] });

    expect(await errorOf(carol, QUEUE)).toMatchObject({ code: 'FORBIDDEN' });
    const { moderationQueue } = await as<{ moderationQueue: { edges: { cursor: string; node: QueueItem }[] } }>(
      moderator,
      QUEUE,
    );
    expect(moderationQueue.edges.map(({ node }) => [node.targetType, node.reportCount, node.reasons])).toEqual([
      ['PHOTO', 2, ['SPAM', 'OFFENSIVE']],
      ['USER', 1, ['FAKE_ENGAGEMENT']],
      ['PHOTO', 1, ['COPYRIGHT']],
    ]);
    const [top, user, other] = moderationQueue.edges.map((edge) => edge.node) as [QueueItem, QueueItem, QueueItem];
    expect(top).toMatchObject({ targetId: first.id, photo: { id: first.id, status: 'PUBLISHED' }, user: null });
    expect(user).toMatchObject({ targetId: alice.user.id, user: { handle: 'alice' }, photo: null });
    expect(other.photo?.id).toBe(second.id);
    expect(new Date(top.firstReportedAt) < new Date(top.lastReportedAt)).toBe(true);
    // Pages in the same order, by keyset cursors.
    const pages: string[] = [];
    let after: string | null = null;
    do {
      const page: {
        moderationQueue: { edges: { node: QueueItem }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
      } = await as(moderator, QUEUE, { first: 1, after });
      pages.push(...page.moderationQueue.edges.map((edge) => edge.node.targetId));
      after = page.moderationQueue.pageInfo.hasNextPage ? page.moderationQueue.pageInfo.endCursor : null;
    } while (after);
    expect(pages).toEqual([first.id, alice.user.id, second.id]);

    expect(
      await errorOf(carol, `mutation($id: ID!) { removePhoto(id: $id, reason: "no") { id } }`, { id: first.id }),
    ).toMatchObject({ code: 'FORBIDDEN' });
    const removed = await removePhoto(moderator, first.id);
    expect(removed.data?.removePhoto).toMatchObject({ status: 'REMOVED', url: null, thumbnailUrl: null });
    expect((await removePhoto(moderator, first.id)).errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'ALREADY_REMOVED',
    });
    expect(await shares(alice, brand)).toBe(10);
    // Hidden: from the brand's photos, from other users; the owner still sees it, without renditions.
    expect(await brandPhotoIds(brand)).toEqual([bobPhoto.id, second.id]);
    expect(await photos.photo(bob, first.id)).toBeNull();
    expect(await photos.photo(alice, first.id)).toMatchObject({ status: 'REMOVED', url: null, thumbnailUrl: null });
    expect(
      (await as<{ brand: { photoCount: number } }>(null, `{ brand(slug: "${brand}") { photoCount } }`)).brand
        .photoCount,
    ).toBe(2);

    const queue = await as<{ moderationQueue: { edges: { node: QueueItem }[] } }>(moderator, QUEUE);
    expect(queue.moderationQueue.edges.map((edge) => edge.node.targetId)).toEqual([alice.user.id, second.id]);
    // A dismissal closes reports without acting.
    expect(
      await as(moderator, `mutation($id: ID!) { dismissReports(target: PHOTO, targetId: $id) }`, { id: second.id }),
    ).toEqual({ dismissReports: true });
    const [decisions] = await sql<{ actions: string[] }>(
      `SELECT array_agg(action ORDER BY id) AS actions FROM moderation_decisions`,
    );
    expect(decisions!.actions).toEqual(['REMOVE_PHOTO', 'DISMISS_REPORTS']);
    await ledgerIsClean();
  }, 120_000);

  it('counts each reporter once however concurrently they report, and the queue equals the open reports', async () => {
    const reporters = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const { body } = await accountsClient(app).signUp({
          email: `reporter${i}@example.com`,
          handle: `reporter${i}`,
        });
        return body.data!.signUp;
      }),
    );
    const target = bobPhoto.id;
    const answers = await Promise.all(
      reporters.flatMap((session) => [1, 2, 3].map(() => report(session, 'PHOTO', target, 'NOT_THIS_BRAND'))),
    );
    expect(answers.every((answer) => answer.data?.reportContent === true)).toBe(true);
    const { moderationQueue } = await as<{ moderationQueue: { edges: { node: QueueItem }[] } }>(moderator, QUEUE);
    expect(moderationQueue.edges[0]!.node).toMatchObject({
      targetId: target,
      reportCount: 8,
      reasons: ['NOT_THIS_BRAND'],
    });
    await ledgerIsClean();
    await as(moderator, `mutation($id: ID!) { dismissReports(target: PHOTO, targetId: $id) }`, { id: target });
    expect(
      await errorOf(moderator, `mutation($id: ID!) { dismissReports(target: PHOTO, targetId: $id) }`, { id: target }),
    ).toMatchObject({ code: 'NOT_FOUND' });
    await ledgerIsClean();
  }, 60_000);

  it('no longer serves a removed photo’s renditions, and serves them again once restored', async () => {
    const [, second] = alicePhotos as [PhotoView, PhotoView];
    const { url } = (await photos.photo(alice, second.id))!;
    expect((await fetch(url!)).status).toBe(200);
    await removePhoto(moderator, second.id);
    expect((await photos.photo(moderator, second.id))!.url).toBeNull();
    expect((await fetch(url!)).status).toBe(404);
    const restored = await restorePhoto(moderator, second.id);
    expect(restored.data?.restorePhoto).toMatchObject({ status: 'PUBLISHED', url: expect.any(String) });
    expect((await fetch(restored.data!.restorePhoto.url!)).status).toBe(200);
    expect(await shares(alice, brand)).toBe(10);
    expect((await restorePhoto(moderator, second.id)).errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'NOT_REMOVED',
    });
    await ledgerIsClean();
  }, 60_000);

  it('cannot restore a removed photo once the retention purge deleted its files', async () => {
    const [first] = alicePhotos as [PhotoView];
    const id = fromGlobalId(first.id).localId;
    const [{ keys }] = (await app.app
      .get(DataSource)
      .query<{ keys: string[] }[]>(
        `SELECT ARRAY[original_key, display_key, thumbnail_key] AS keys FROM photos WHERE id = $1`,
        [id],
      )) as [{ keys: string[] }];
    // Removed in the first test; what the daily purge does to it 30 days on.
    expect(await app.app.get(PhotosService).purgeFiles(id)).toBe(true);
    const storage = app.app.get(StorageDriver);
    for (const key of keys) expect(await storage.exists(key)).toBe(false);
    expect((await restorePhoto(moderator, first.id)).errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'FILES_PURGED',
    });
    expect(await app.app.get(PhotosService).purgeFiles(id)).toBe(false);
  });

  let seatBrand: string;
  let seatPhoto: PhotoView;

  it('re-seats the CEO when removals let a challenger lead, and back on restoring; the chain keeps check-ledger clean', async () => {
    seatBrand = await createBrand(app, alice, 'Seat Mints');
    await grant(alice, seatBrand, 990);
    seatPhoto = await photos.publish(alice, seatBrand, scenes[3]!);
    await photos.publish(alice, seatBrand, scenes[4]!);
    expect(await ceo(seatBrand)).toBe('alice'); // 1,010 recent shares
    await grant(bob, seatBrand, 1005);
    expect(await ceo(seatBrand)).toBe('alice');

    expect((await removePhoto(moderator, seatPhoto.id)).errors).toBeUndefined();
    expect(await shares(alice, seatBrand)).toBe(1000);
    expect(await ceo(seatBrand)).toBe('bob');
    expect((await notificationKinds(alice))[0]).toBe('CEO_LOST');
    expect((await notificationKinds(bob))[0]).toBe('CEO_WON');
    await ledgerIsClean();

    expect((await restorePhoto(moderator, seatPhoto.id)).errors).toBeUndefined();
    expect(await shares(alice, seatBrand)).toBe(1010);
    expect(await ceo(seatBrand)).toBe('alice');
    expect((await notificationKinds(alice))[0]).toBe('CEO_WON');
    expect((await notificationKinds(bob))[0]).toBe('CEO_LOST');
    await ledgerIsClean();

    for (const step of [removePhoto, restorePhoto]) {
      expect((await step(moderator, seatPhoto.id)).errors).toBeUndefined();
      await ledgerIsClean();
    }
    expect(await ceo(seatBrand)).toBe('alice');
    const chain = await sql<{ id: string; shares: number; reason: string; key: string }>(
      `WITH RECURSIVE chain AS (
         SELECT * FROM share_ledger WHERE idempotency_key = $1
         UNION ALL
         SELECT l.* FROM share_ledger l JOIN chain c ON l.reverses = c.id OR l.restores = c.id)
       SELECT id::text, shares, reason, idempotency_key AS key FROM chain ORDER BY chain.id`,
      [`photo:${localId(seatPhoto.id)}`],
    );
    expect(chain.map((entry) => [entry.shares, entry.reason])).toEqual([
      [10, 'PHOTO_PUBLISHED'],
      [-10, 'REVERSAL'],
      [10, 'RESTORED'],
      [-10, 'REVERSAL'],
      [10, 'RESTORED'],
    ]);
    expect(chain.slice(1).map((entry) => entry.key)).toEqual([
      `reversal:${chain[0]!.id}`,
      `restore:${chain[1]!.id}`,
      `reversal:${chain[2]!.id}`,
      `restore:${chain[3]!.id}`,
    ]);
  }, 120_000);

  it('removes a comment and reverses its share', async () => {
    const { commentOnPhoto } = await as<{ commentOnPhoto: { id: string } }>(
      carol,
      `mutation($id: ID!) { commentOnPhoto(photoId: $id, body: "Lovely mints, truly") { id } }`,
      { id: bobPhoto.id },
    );
    expect(await shares(carol, brand)).toBe(1);
    await report(bob, 'COMMENT', commentOnPhoto.id, 'SPAM');
    const removeComment = `mutation($id: ID!) { removeComment(id: $id, reason: "Spam") }`;
    expect(await errorOf(bob, removeComment, { id: commentOnPhoto.id })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await as(moderator, removeComment, { id: commentOnPhoto.id })).toEqual({ removeComment: true });
    expect(await shares(carol, brand)).toBe(0);
    const { photo } = await as<{ photo: { commentCount: number; comments: { edges: unknown[] } } }>(
      null,
      `query($id: ID!) { photo(id: $id) { commentCount comments { edges { node { id } } } } }`,
      { id: bobPhoto.id },
    );
    expect(photo).toEqual({ commentCount: 0, comments: { edges: [] } });
    expect(await errorOf(moderator, removeComment, { id: commentOnPhoto.id })).toMatchObject({ code: 'NOT_FOUND' });
    const queue = await as<{ moderationQueue: { edges: { node: QueueItem }[] } }>(moderator, QUEUE);
    expect(queue.moderationQueue.edges.map((edge) => edge.node.targetType)).toEqual(['USER']);
    await ledgerIsClean();
  }, 60_000);

  it('bans a CEO: the seat moves at once, sign-in and the live token stop working, the content is hidden', async () => {
    const ban = (session: Session, handle: string) =>
      call<{ banUser: { handle: string } }>(
        session,
        `mutation($handle: String!) { banUser(handle: $handle, reason: "Bought engagement") { handle } }`,
        { handle },
      );
    expect((await ban(carol, 'alice')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await ban(moderator, 'admin')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await ban(moderator, 'mod')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await ban(moderator, 'nobody')).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    expect(await ceo(seatBrand)).toBe('alice');
    const photoCount = async (slug: string) =>
      (
        await as<{ brand: { photoCount: number } }>(null, `query($s: String!) { brand(slug: $s) { photoCount } }`, {
          s: slug,
        })
      ).brand.photoCount;
    const countedBefore = await photoCount(brand);
    const { commentOnPhoto: aliceComment } = await as<{ commentOnPhoto: { id: string } }>(
      alice,
      `mutation($id: ID!) { commentOnPhoto(photoId: $id, body: "Best mints in town") { id } }`,
      { id: bobPhoto.id },
    );
    expect((await ban(moderator, 'alice')).data).toEqual({ banUser: { handle: 'alice' } });
    expect((await ban(moderator, 'alice')).errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'ALREADY_BANNED',
    });
    expect(await ceo(seatBrand)).toBe('bob');
    expect((await notificationKinds(bob))[0]).toBe('CEO_WON');
    const told = await sql<{ kind: string; message: string }>(
      `SELECT n.kind, n.message FROM notifications n JOIN brands b ON b.id = n.brand_id
        WHERE n.user_id = $1 AND b.slug = $2 ORDER BY n.created_at DESC LIMIT 1`,
      [localId(alice.user.id), seatBrand],
    );
    expect(told).toEqual([
      { kind: 'CEO_LOST', message: 'You are no longer the CEO of Seat Mints: your account is banned.' },
    ]);

    // The live access token stops at once: its session ended with the ban.
    expect((await accountsClient(app).me(alice.accessToken)).body.errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    const logIn = await accountsClient(app).logIn('alice@example.com', 'correct horse battery');
    expect(logIn.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await accountsClient(app).refresh(alice.refreshToken)).body.errors).toBeDefined();

    expect(await brandPhotoIds(brand)).toEqual([bobPhoto.id]);
    const profile = `{ user(handle: "alice") { handle } }`;
    expect(await as(bob, profile)).toEqual({ user: null });
    expect(await as(moderator, profile)).toEqual({ user: { handle: 'alice' } });
    const byId = `query($id: ID!) { node(id: $id) { id } }`;
    expect(await as(bob, byId, { id: alice.user.id })).toEqual({ node: null });
    expect(await as(moderator, byId, { id: alice.user.id })).toEqual({ node: { id: alice.user.id } });
    // The brand's count of photos follows what it shows: the banned owner's photos left it.
    expect(await photoCount(brand)).toBe(1);
    expect(countedBefore).toBeGreaterThan(1);
    const commentQuery = `query($photo: ID!, $comment: ID!) {
      photo(id: $photo) { commentCount comments { edges { node { id } } } }
      node(id: $comment) { id } }`;
    expect(await as(bob, commentQuery, { photo: bobPhoto.id, comment: aliceComment.id })).toEqual({
      photo: { commentCount: 0, comments: { edges: [] } },
      node: null,
    });
    expect(
      (
        await as<{ node: { id: string } | null }>(moderator, commentQuery, {
          photo: bobPhoto.id,
          comment: aliceComment.id,
        })
      ).node,
    ).toEqual({ id: aliceComment.id });
    expect(await photos.photo(bob, alicePhotos[1]!.id)).toBeNull();
    expect((await photos.photo(moderator, alicePhotos[1]!.id))?.id).toBe(alicePhotos[1]!.id);
    const board = await as<{ brand: { leaderboard: { edges: { node: { user: { handle: string } } }[] } } }>(
      null,
      `query($slug: String!) { brand(slug: $slug) { leaderboard { edges { node { user { handle } } } } } }`,
      { slug: seatBrand },
    );
    expect(board.brand.leaderboard.edges.map((edge) => edge.node.user.handle)).toEqual(['bob']);
    // The ledger history stays.
    expect(await shares(alice, seatBrand)).toBe(1010);
    const queue = await as<{ moderationQueue: { edges: unknown[] } }>(moderator, QUEUE);
    expect(queue.moderationQueue.edges).toEqual([]);
    await ledgerIsClean();
  }, 60_000);

  it('lists the privileged actions newest first, to admins only', async () => {
    const AUDIT = `query($first: Int, $after: String) { auditLog(first: $first, after: $after) {
      edges { node { id action targetType targetId reason actor { handle } } } pageInfo { hasNextPage endCursor } } }`;
    expect(await errorOf(moderator, AUDIT)).toMatchObject({ code: 'FORBIDDEN' });
    const { auditLog } = await as<{
      auditLog: {
        edges: {
          node: {
            id: string;
            action: string;
            targetType: string;
            targetId: string;
            reason: string | null;
            actor: { handle: string } | null;
          };
        }[];
      };
    }>(admin, AUDIT, { first: 100 });
    const entries = auditLog.edges.map((edge) => edge.node);
    expect(entries.map((entry) => entry.action)).toEqual([
      'user.banned',
      'comment.removed',
      'photo.restored',
      'photo.removed',
      'photo.restored',
      'photo.removed',
      'photo.restored',
      'photo.removed',
      'reports.dismissed',
      'reports.dismissed',
      'photo.removed',
      'brand.claim_approved',
      'account.role_granted', // by the CLI's grant-role (UsersService.grantRole)
      'account.role_granted', // by ADMIN_EMAILS
    ]);
    expect(entries[0]).toMatchObject({
      targetType: 'User',
      targetId: alice.user.id,
      reason: 'Bought engagement',
      actor: { handle: 'mod' },
    });
    expect(entries.at(-1)).toMatchObject({ targetType: 'User', targetId: admin.user.id });
    expect(entries.at(-2)).toMatchObject({ targetType: 'User', targetId: moderator.user.id, actor: null });
    expect(entries.at(-3)).toMatchObject({ targetType: 'BrandClaim', actor: { handle: 'admin' } });
    const { node } = await as<{ node: { action: string } | null }>(
      admin,
      `query($id: ID!) { node(id: $id) { ... on AuditEntry { action } } }`,
      { id: entries[0]!.id },
    );
    expect(node).toEqual({ action: 'user.banned' });
    // Pages of 5 by keyset cursors give the same list.
    const paged: string[] = [];
    let after: string | null = null;
    do {
      const page: {
        auditLog: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      } = await as(admin, AUDIT, { first: 5, after });
      paged.push(...page.auditLog.edges.map((edge) => edge.node.id));
      after = page.auditLog.pageInfo.hasNextPage ? page.auditLog.pageInfo.endCursor : null;
    } while (after);
    expect(paged).toEqual(entries.map((entry) => entry.id));

    // The partial index behind the log names exactly the declared privileged actions.
    const [index] = await sql<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE indexname = 'events_audit'`);
    const indexed = [...index!.indexdef.matchAll(/'([a-z_.]+)'::text/g)].map((match) => match[1]);
    expect(indexed.sort()).toEqual([...AUDITED_ACTIONS].sort());
  });
});
