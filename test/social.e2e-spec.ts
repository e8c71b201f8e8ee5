import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { toGlobalId } from '@boardroom/core';
import { makeFixtures, type ImageFixtures } from './fixtures/make-fixtures.js';
import { statementsDuring } from './support/count-statements.js';
import { accountsClient, bearer, type Session } from './support/accounts-client.js';
import { photosClient, type PhotoView } from './support/photos-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Low enough to reach in a test; only `spammer` comes near it (the limit counts per user). */
const COMMENT_LIMIT = 20;

interface CommentView {
  id: string;
  body: string;
  createdAt: string;
  author: { handle: string };
}

interface CommentPage {
  commentCount: number;
  comments: { edges: { cursor: string; node: CommentView }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
}

describe('comments and follows (e2e)', () => {
  let app: TestApp;
  let fixturesDir: string;
  let fixtures: ImageFixtures;
  let brandSlug: string;
  /** Olive publishes the photos; the others comment and follow. */
  let olive: Session;
  let bob: Session;
  let carol: Session;
  let dave: Session;
  let erin: Session;
  let spammer: Session;
  let photo: PhotoView;

  const auth = (session: Session | null, deviceId?: string): Record<string, string> => ({
    ...(session ? bearer(session.accessToken) : {}),
    ...(deviceId ? { 'x-device-id': deviceId } : {}),
  });

  const sql = <T = Record<string, unknown>>(query: string, parameters: unknown[] = []) =>
    app.app.get(DataSource).query<T[]>(query, parameters);

  const comment = (session: Session | null, photoId: string, body: string, deviceId?: string) =>
    app.graphql<{ commentOnPhoto: CommentView }>(
      `mutation($p: ID!, $b: String!) { commentOnPhoto(photoId: $p, body: $b) { id body createdAt author { handle } } }`,
      { p: photoId, b: body },
      auth(session, deviceId),
    );

  const deleteComment = (session: Session, id: string, deviceId?: string) =>
    app.graphql<{ deleteComment: boolean }>(
      `mutation($id: ID!) { deleteComment(id: $id) }`,
      { id },
      auth(session, deviceId),
    );

  async function commentPage(photoId: string, first?: number, after?: string): Promise<CommentPage> {
    const { body } = await app.graphql<{ photo: CommentPage }>(
      `query($id: ID!, $first: Int, $after: String) {
        photo(id: $id) {
          commentCount
          comments(first: $first, after: $after) {
            edges { cursor node { id body createdAt author { handle } } }
            pageInfo { hasNextPage endCursor }
          }
        }
      }`,
      { id: photoId, first, after },
    );
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!.photo;
  }

  const followMutation = (name: 'follow' | 'unfollow', session: Session | null, handle: string, deviceId?: string) =>
    app.graphql<Record<string, { handle: string; followerCount: number; followingCount: number }>>(
      `mutation($h: String!) { ${name}(handle: $h) { handle followerCount followingCount } }`,
      { h: handle },
      auth(session, deviceId),
    );

  async function counts(handle: string): Promise<{ followerCount: number; followingCount: number }> {
    const { body } = await app.graphql<{ user: { followerCount: number; followingCount: number } }>(
      `query($h: String!) { user(handle: $h) { followerCount followingCount } }`,
      { h: handle },
    );
    return body.data!.user;
  }

  async function feedOwners(session: Session): Promise<{ id: string; owner: string }[]> {
    const { body } = await app.graphql<{ feed: { edges: { node: { id: string; owner: { handle: string } } }[] } }>(
      `{ feed { edges { node { id owner { handle } } } } }`,
      undefined,
      bearer(session.accessToken),
    );
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!.feed.edges.map(({ node }) => ({ id: node.id, owner: node.owner.handle }));
  }

  /** The actions and device hashes of the events about `targetId`, oldest first. */
  const eventsAbout = (targetId: string) =>
    sql<{ action: string; device_fingerprint: string | null; brand_id: string | null; meta: object }>(
      `SELECT action, device_fingerprint, brand_id, meta FROM events WHERE target_id = $1 ORDER BY id`,
      [targetId],
    );

  const localId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]!;

  beforeAll(async () => {
    fixturesDir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-social-fixtures-'));
    fixtures = await makeFixtures(fixturesDir);
    app = await startTestApp({
      // Photos are processed by a job: in this process, on a database server too.
      JOBS_IN_API: 'true',
      RATE_LIMIT_COMMENTS: `${COMMENT_LIMIT}/60`,
      // Publishing polls the photo; that is not what these tests limit.
      RATE_LIMIT_GRAPHQL: '100000/60',
    });
    const accounts = accountsClient(app);
    const signUp = async (handle: string) =>
      (await accounts.signUp({ email: `${handle}@example.com`, handle })).body.data!.signUp;
    olive = await signUp('olive');
    bob = await signUp('bob');
    carol = await signUp('carol');
    dave = await signUp('dave');
    erin = await signUp('erin');
    spammer = await signUp('spammer');
    const { body } = await app.graphql<{ createBrand: { slug: string } }>(
      `mutation($input: CreateBrandInput!) { createBrand(input: $input) { slug } }`,
      { input: { name: 'Nutella' } },
      bearer(olive.accessToken),
    );
    brandSlug = body.data!.createBrand.slug;
    photo = await photosClient(app).publish(olive, brandSlug, fixtures.png800x600);
    expect(photo.status).toBe('PUBLISHED');
  });

  afterAll(async () => {
    await app?.close();
    if (fixturesDir) await rm(fixturesDir, { recursive: true, force: true });
  });

  describe('comments', () => {
    it('posts a trimmed comment, lists comments oldest first and counts them', async () => {
      const first = await comment(bob, photo.id, '   Looks delicious!  \n', 'bob-phone');
      expect(first.body.errors).toBeUndefined();
      expect(first.body.data!.commentOnPhoto).toMatchObject({ body: 'Looks delicious!', author: { handle: 'bob' } });
      const second = await comment(carol, photo.id, 'Agreed');
      const page = await commentPage(photo.id);
      expect(page.commentCount).toBe(2);
      expect(page.comments.edges.map((edge) => edge.node)).toEqual([
        first.body.data!.commentOnPhoto,
        second.body.data!.commentOnPhoto,
      ]);

      const [posted] = await eventsAbout(localId(first.body.data!.commentOnPhoto.id));
      expect(posted).toMatchObject({
        action: 'comment.posted',
        device_fingerprint: expect.any(String),
        meta: { photoId: localId(photo.id) },
      });
      expect(posted!.brand_id).not.toBeNull();
    });

    it('resolves a comment through node(id:), with its author and photo', async () => {
      const { body: posted } = await comment(dave, photo.id, 'Seen through node');
      const id = posted.data!.commentOnPhoto.id;
      const { body } = await app.graphql(
        `query($id: ID!) { node(id: $id) { __typename ... on Comment { body author { handle } photo { id } } } }`,
        { id },
      );
      expect(body.data).toEqual({
        node: { __typename: 'Comment', body: 'Seen through node', author: { handle: 'dave' }, photo: { id: photo.id } },
      });
    });

    it('pages through comments with first and after, without gaps or repeats', async () => {
      const paged = await photosClient(app).publish(olive, brandSlug, fixtures.webp640x480);
      const bodies = ['one', 'two', 'three', 'four', 'five'];
      for (const text of bodies) expect((await comment(erin, paged.id, text)).body.errors).toBeUndefined();

      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await commentPage(paged.id, 2, after);
        seen.push(...page.comments.edges.map((edge) => edge.node.body));
        if (!page.comments.pageInfo.hasNextPage) break;
        after = page.comments.pageInfo.endCursor;
      }
      expect(seen).toEqual(bodies);

      const { body } = await app.graphql(
        `query($id: ID!) { photo(id: $id) { comments(after: "nonsense") { edges { cursor } } } }`,
        {
          id: paged.id,
        },
      );
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'after' }] });
    });

    it.each([
      ['empty', ''],
      ['whitespace only', ' \n\t '],
      ['2,001 characters', 'x'.repeat(2001)],
    ])('refuses a body that is %s with BAD_USER_INPUT on body', async (_name, text) => {
      const { body } = await comment(bob, photo.id, text);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'body' }] });
    });

    it('accepts 2,000 characters after trimming, counting an emoji as one', async () => {
      const { body } = await comment(bob, photo.id, ` ${'🍫'.repeat(2000)} `);
      expect(body.errors).toBeUndefined();
      expect([...body.data!.commentOnPhoto.body]).toHaveLength(2000);
      const deleted = await deleteComment(bob, body.data!.commentOnPhoto.id);
      expect(deleted.body.data).toEqual({ deleteComment: true });
    });

    it('refuses unknown photos with NOT_FOUND and anonymous callers with UNAUTHENTICATED', async () => {
      for (const id of [toGlobalId('Photo', randomUUID()), toGlobalId('Photo', 'not-a-uuid')]) {
        expect((await comment(bob, id, 'Hello?')).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      }
      expect((await comment(null, photo.id, 'Anonymous')).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('opens comments only once a photo is published', async () => {
      const pending = await photosClient(app).publish(olive, brandSlug, fixtures.avif640x480);
      await sql(`UPDATE photos SET status = 'REJECTED', published_at = NULL, rejection_reason = 'test' WHERE id = $1`, [
        localId(pending.id),
      ]);
      // The owner sees a rejected photo and is told why comments are closed; others do not see it at all.
      const own = await comment(olive, pending.id, 'First!');
      expect(own.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(own.body.errors?.[0]?.message).toMatch(/once the photo is published/);
      expect((await comment(bob, pending.id, 'First!')).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    });

    it('lets only the author delete a comment, which then disappears from the list, the count and node(id:)', async () => {
      const { body: posted } = await comment(carol, photo.id, 'Delete me');
      const id = posted.data!.commentOnPhoto.id;
      const before = await commentPage(photo.id);

      expect((await deleteComment(bob, id)).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await deleteComment(carol, id, 'carol-phone')).body.data).toEqual({ deleteComment: true });

      const after = await commentPage(photo.id);
      expect(after.commentCount).toBe(before.commentCount - 1);
      expect(after.comments.edges.map((edge) => edge.node.id)).not.toContain(id);
      expect(JSON.stringify(after)).not.toContain('Delete me');
      const { body: node } = await app.graphql(`query($id: ID!) { node(id: $id) { id } }`, { id });
      expect(node.data).toEqual({ node: null });

      expect((await deleteComment(carol, id)).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect((await deleteComment(carol, toGlobalId('Comment', randomUUID()))).body.errors?.[0]?.extensions?.code).toBe(
        'NOT_FOUND',
      );

      const events = await eventsAbout(localId(id));
      expect(events.map((event) => event.action)).toEqual(['comment.posted', 'comment.deleted']);
      expect(events[1]!.device_fingerprint).toEqual(expect.any(String));
    });

    it('limits comments per user with RATE_LIMITED and retryAfterSeconds', async () => {
      for (let i = 0; i < COMMENT_LIMIT; i++) {
        expect((await comment(spammer, photo.id, `spam ${i}`)).body.errors).toBeUndefined();
      }
      const { body } = await comment(spammer, photo.id, 'one too many');
      expect(body.errors?.[0]?.extensions).toMatchObject({
        code: 'RATE_LIMITED',
        retryAfterSeconds: expect.any(Number),
      });
      expect(body.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThan(0);
      // Others are counted on their own.
      expect((await comment(dave, photo.id, 'still allowed')).body.errors).toBeUndefined();
    });

    it('loads authors, photos and counts of a comment list in a fixed number of queries', async () => {
      const crowded = await photosClient(app).publish(olive, brandSlug, fixtures.jpegRotatedWithGps);
      const query = `query($id: ID!) {
        photo(id: $id) { commentCount comments { edges { node { author { handle } photo { id } } } } }
      }`;
      const statementsOfOneRequest = () =>
        statementsDuring(app, async () => {
          const { body } = await app.graphql(query, { id: crowded.id });
          expect(body.errors).toBeUndefined();
        });

      for (const author of [bob, carol]) await comment(author, crowded.id, `from ${author.user.handle}`);
      const withTwo = await statementsOfOneRequest();
      for (const author of [dave, erin, olive, bob]) await comment(author, crowded.id, `from ${author.user.handle}`);
      const withSix = await statementsOfOneRequest();

      expect((await commentPage(crowded.id)).commentCount).toBe(6);
      expect(withSix).toHaveLength(withTwo.length);
      expect(withSix.length).toBeLessThanOrEqual(5);
    });
  });

  describe('follows', () => {
    it('follows and unfollows idempotently, with the counts of both users', async () => {
      const followed = await followMutation('follow', dave, 'OLIVE', 'dave-phone');
      expect(followed.body.data).toEqual({ follow: { handle: 'olive', followerCount: 1, followingCount: 0 } });
      expect((await followMutation('follow', dave, 'olive')).body.data?.follow?.followerCount).toBe(1);
      expect(await counts('dave')).toEqual({ followerCount: 0, followingCount: 1 });
      expect(
        await sql(`SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = $2`, [
          localId(dave.user.id),
          localId(olive.user.id),
        ]),
      ).toHaveLength(1);

      await followMutation('follow', erin, 'olive');
      expect(await counts('olive')).toEqual({ followerCount: 2, followingCount: 0 });

      const unfollowed = await followMutation('unfollow', dave, 'olive', 'dave-phone');
      expect(unfollowed.body.data).toEqual({ unfollow: { handle: 'olive', followerCount: 1, followingCount: 0 } });
      expect((await followMutation('unfollow', dave, 'olive')).body.data?.unfollow?.followerCount).toBe(1);
      expect(await counts('dave')).toEqual({ followerCount: 0, followingCount: 0 });

      // One event per change, none for the repeats.
      const events = await sql<{ action: string; device_fingerprint: string | null }>(
        `SELECT action, device_fingerprint FROM events
          WHERE actor_id = $1 AND target_type = 'user' AND target_id = $2 ORDER BY id`,
        [localId(dave.user.id), localId(olive.user.id)],
      );
      expect(events).toEqual([
        { action: 'user.followed', device_fingerprint: expect.any(String) },
        { action: 'user.unfollowed', device_fingerprint: expect.any(String) },
      ]);
    });

    it('refuses following yourself, unknown handles and anonymous callers', async () => {
      const self = await followMutation('follow', bob, 'bob');
      expect(self.body.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [{ field: 'handle' }],
      });
      for (const name of ['follow', 'unfollow'] as const) {
        expect((await followMutation(name, bob, 'nobody-here')).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
        expect((await followMutation(name, null, 'olive')).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      }
    });

    it("shows the followee's published photos in the feed until the follower unfollows", async () => {
      expect(await feedOwners(carol)).toEqual([]);
      await followMutation('follow', carol, 'olive');
      const feed = await feedOwners(carol);
      expect(feed.map((item) => item.id)).toContain(photo.id);
      expect(new Set(feed.map((item) => item.owner))).toEqual(new Set(['olive']));
      await followMutation('unfollow', carol, 'olive');
      expect(await feedOwners(carol)).toEqual([]);
    });

    it('keeps the brand half of the feed after an unfollow when the follower published in that brand', async () => {
      await photosClient(app).publish(bob, brandSlug, fixtures.photoB);
      await followMutation('follow', bob, 'olive');
      await followMutation('unfollow', bob, 'olive');
      expect((await feedOwners(bob)).map((item) => item.id)).toContain(photo.id);
    });
  });
});
