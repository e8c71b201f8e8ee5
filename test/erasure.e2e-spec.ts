import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { LedgerChecks, fromGlobalId } from '@boardroom/core';
import { StorageDriver } from '@boardroom/media';
import { sceneFiles } from './fixtures/make-fixtures.js';
import { accountsClient, type Session } from './support/accounts-client.js';
import { createBrand } from './support/brands-client.js';
import { employeesOf } from './support/employees.js';
import { graphqlCalls } from './support/graphql-calls.js';
import { photosClient, type PhotoView } from './support/photos-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const PASSWORD = 'correct horse battery';

/** deleteMyAccount: the person's data gone from the database and storage, the ledgers' arithmetic intact. */
describe('account erasure (e2e)', () => {
  let app: TestApp;
  let dir: string;
  let scenes: string[];
  let alice: Session;
  let bob: Session;
  let carol: Session;
  let brand: string;
  let photos: PhotoView[];
  const { call, as } = graphqlCalls(() => app);

  const sql = <T = Record<string, unknown>>(query: string, parameters: unknown[] = []) =>
    app.app.get(DataSource).query<T[]>(query, parameters);
  const aliceId = () => fromGlobalId(alice.user.id).localId;
  const ceo = async () =>
    (
      await as<{ brand: { ceo: { user: { handle: string } } | null } }>(
        null,
        `query($slug: String!) { brand(slug: $slug) { ceo { user { handle } } } }`,
        { slug: brand },
      )
    ).brand.ceo?.user.handle ?? null;
  /** Shares from outside the photo pipeline (an award's bonus), through the real ledger. */
  const grant = async (session: Session, amount: number) => {
    const [{ id: brandId }] = (await sql<{ id: string }>(`SELECT id FROM brands WHERE slug = $1`, [brand])) as [
      { id: string },
    ];
    await employeesOf(() => app).giveShares(session, brandId, amount);
  };
  const deleteAccount = (session: Session, password: string) =>
    call<{ deleteMyAccount: boolean }>(session, `mutation($p: String!) { deleteMyAccount(password: $p) }`, {
      p: password,
    });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-erasure-'));
    scenes = await sceneFiles(dir, [801, 802, 803, 804]);
    app = await startTestApp({
      JOBS_IN_API: 'true',
      JOBS_POLL_INTERVAL_MS: '50',
      RATE_LIMIT_GRAPHQL: '100000/60',
      RATE_LIMIT_UPLOADS: '1000/60',
      RATE_LIMIT_COMMENTS: '1000/60',
      EVENT_CONSUMERS_PAUSED: 'awards,invites',
    });
    const accounts = accountsClient(app);
    const headers = { 'x-device-id': 'alice-phone-0001', 'x-forwarded-for': '198.51.100.23' };
    alice = (await accounts.signUp({ email: 'alice.erasable@example.com', handle: 'aliceerasable' }, headers)).body
      .data!.signUp;
    bob = (await accounts.signUp({ email: 'bob.stays@example.com', handle: 'bobstays' })).body.data!.signUp;
    brand = await createBrand(app, bob, 'Erasure Espresso');
    const client = photosClient(app);
    photos = [
      await client.publish(alice, brand, scenes[0]!, 'Alice secret caption one'),
      await client.publish(alice, brand, scenes[1]!, 'Alice secret caption two'),
    ];
    const bobPhoto = await client.publish(bob, brand, scenes[2]!);
    await as(alice, `mutation($id: ID!, $b: String!) { commentOnPhoto(photoId: $id, body: $b) { id } }`, {
      id: bobPhoto.id,
      b: 'Alice private words about espresso',
    });
    await as(alice, `mutation { createInvite { code } }`);
    // Bob holds the seat first, so alice taking it tells him her handle (CEO_LOST).
    await grant(bob, 1100);
    await grant(alice, 1200);

    // Follows both ways, management of the brand, a proposal carol voted on and bob answered.
    carol = (await accounts.signUp({ email: 'carol.votes@example.com', handle: 'carolvotes' })).body.data!.signUp;
    await client.publish(carol, brand, scenes[3]!);
    await as(alice, `mutation { follow(handle: "bobstays") { handle } }`);
    await as(bob, `mutation { follow(handle: "aliceerasable") { handle } }`);
    await sql(
      `INSERT INTO brand_managers (brand_id, user_id) SELECT id, $2::uuid FROM brands WHERE slug = $1
       UNION ALL SELECT id, $3::uuid FROM brands WHERE slug = $1`,
      [brand, aliceId(), fromGlobalId(bob.user.id).localId],
    );
    const proposal = await as<{ proposeOperation: { id: string } }>(
      alice,
      `mutation($slug: String!) { proposeOperation(brandSlug: $slug, title: "Alice tasting night", body: "Alice would love a private espresso tasting.") { id } }`,
      { slug: brand },
    );
    const proposalId = proposal.proposeOperation.id;
    await as(carol, `mutation($id: ID!) { voteOnProposal(id: $id) { id } }`, { id: proposalId });
    await as(
      bob,
      `mutation($id: ID!) { respondToProposal(id: $id, status: ACCEPTED, response: "Saturday it is.") { id } }`,
      {
        id: proposalId,
      },
    );
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a wrong password and changes nothing', async () => {
    expect(await ceo()).toBe('aliceerasable');
    const refused = await deleteAccount(alice, 'not my password');
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const [user] = await sql<{ email: string }>(`SELECT email FROM users WHERE id = $1`, [aliceId()]);
    expect(user!.email).toBe('alice.erasable@example.com');
  });

  it('erases the personal data from the database and storage, and keeps the ledgers right', async () => {
    const storage = app.app.get(StorageDriver);
    const [{ keys }] = (await sql<{ keys: string[] }>(
      `SELECT array_agg(k) AS keys FROM photos, unnest(ARRAY[original_key, display_key, thumbnail_key]) AS k
        WHERE owner_id = $1 AND k IS NOT NULL`,
      [aliceId()],
    )) as [{ keys: string[] }];
    expect(keys).toHaveLength(6);
    // What the setup made of alice elsewhere, so that "none left" below means something.
    const [elsewhere] = await sql<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM follows WHERE follower_id = $1 OR followee_id = $1) AS follows,
              (SELECT count(*)::int FROM brand_managers WHERE user_id = $1) AS managed,
              (SELECT count(*)::int FROM email_tokens WHERE user_id = $1) AS "emailTokens",
              (SELECT count(*)::int FROM photos WHERE owner_id = $1 AND sha256 IS NOT NULL AND perceptual_hash IS NOT NULL) AS hashed,
              (SELECT count(*)::int FROM notifications WHERE kind = 'COMMENT_RECEIVED' AND message ILIKE '%aliceerasable%') AS "commentNotices",
              (SELECT count(*)::int FROM notifications WHERE kind = 'CEO_LOST' AND message ILIKE '%@aliceerasable%') AS "seatNotices",
              (SELECT count(*)::int FROM notifications WHERE kind = 'PROPOSAL_ANSWERED' AND message ILIKE '%Alice tasting night%') AS "proposalNotices"`,
      [aliceId()],
    );
    expect(elsewhere).toEqual({
      follows: 2,
      managed: 1,
      emailTokens: 1,
      hashed: 2,
      commentNotices: 1,
      seatNotices: 1,
      proposalNotices: 2, // the author's and the voter's
    });
    const sharesBefore = await sql(`SELECT user_id, brand_id, shares FROM employments ORDER BY user_id, brand_id`);

    const deleted = await deleteAccount(alice, PASSWORD);
    expect(deleted.errors).toBeUndefined();
    expect(deleted.data).toEqual({ deleteMyAccount: true });

    const traces = await sql<{ found: number }>(
      `SELECT (SELECT count(*) FROM users WHERE email ILIKE '%alice%' OR handle ILIKE '%alice%' OR display_name ILIKE '%alice%')
            + (SELECT count(*) FROM photos WHERE caption ILIKE '%alice%')
            + (SELECT count(*) FROM comments WHERE body ILIKE '%alice%')
            + (SELECT count(*) FROM events WHERE meta::text ILIKE '%alice%')
            + (SELECT count(*) FROM events WHERE actor_id = $1 AND (device_fingerprint IS NOT NULL OR network_fingerprint IS NOT NULL))
            + (SELECT count(*) FROM fingerprint_accounts WHERE user_id = $1)
            + (SELECT count(*) FROM invites WHERE inviter_id = $1 AND invitee_id IS NULL)
            + (SELECT count(*) FROM notifications WHERE user_id = $1)
            + (SELECT count(*) FROM notifications WHERE message ILIKE '%alice%')
            + (SELECT count(*) FROM follows WHERE follower_id = $1 OR followee_id = $1)
            + (SELECT count(*) FROM brand_managers WHERE user_id = $1)
            + (SELECT count(*) FROM email_tokens WHERE user_id = $1)
            + (SELECT count(*) FROM photos WHERE owner_id = $1
                 AND (sha256 IS NOT NULL OR perceptual_hash IS NOT NULL OR original_key IS NOT NULL))
            + (SELECT count(*) FROM photo_hash_bands b JOIN photos p ON p.id = b.photo_id WHERE p.owner_id = $1)
            + (SELECT count(*) FROM proposals WHERE title ILIKE '%alice%' OR body ILIKE '%alice%') AS found`,
      [aliceId()],
    );
    expect(Number(traces[0]!.found)).toBe(0);
    for (const key of keys) expect(await storage.exists(key)).toBe(false);
    // Others' notifications say who without saying who.
    expect(
      await sql(
        `SELECT n.kind, n.message FROM notifications n JOIN users u ON u.id = n.user_id
          WHERE n.kind IN ('COMMENT_RECEIVED', 'CEO_LOST', 'PROPOSAL_ANSWERED') ORDER BY n.kind`,
      ),
    ).toEqual([
      { kind: 'CEO_LOST', message: expect.stringContaining('a deleted account has more recent shares') as unknown },
      { kind: 'COMMENT_RECEIVED', message: 'A deleted account commented on your photo.' },
      {
        kind: 'PROPOSAL_ANSWERED',
        message: expect.stringContaining('answered a deleted proposal: ACCEPTED') as unknown,
      },
    ]);
    expect(await sql(`SELECT title, body, votes FROM proposals`)).toEqual([
      { title: '[deleted]', body: '[deleted]', votes: 1 },
    ]);

    // The arithmetic stays: every employment as it was, the seat with the next in line, the checks clean.
    expect(await sql(`SELECT user_id, brand_id, shares FROM employments ORDER BY user_id, brand_id`)).toEqual(
      sharesBefore,
    );
    expect(await ceo()).toBe('bobstays');
    const manager = app.app.get(DataSource).manager;
    for (const check of app.app.get(LedgerChecks).all()) expect(await check.differences(manager)).toEqual([]);

    // Gone for others, and no way back in.
    expect(await photosClient(app).photo(bob, photos[0]!.id)).toBeNull();
    const me = await call<{ me: { id: string } | null }>(alice, `{ me { id } }`);
    expect(me.data?.me ?? null).toBeNull();
    const logIn = await accountsClient(app).logIn('alice.erasable@example.com', PASSWORD);
    expect(logIn.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
