import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import jwt from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import WebSocket from 'ws';
import { JobRunner, fromGlobalId, inTransaction } from '@boardroom/core';
import { ShareLedger } from '@boardroom/game';
import { JWT_ISSUER } from '../libs/accounts/src/auth/access-tokens.js';
import { JwtKeys } from '../libs/accounts/src/auth/jwt-keys.js';
import { photoScene } from './fixtures/make-fixtures.js';
import { accountsClient, bearer, type Session } from './support/accounts-client.js';
import { createBrand } from './support/brands-client.js';
import { photosClient } from './support/photos-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { TEST_REDIS_URL, redisReachable } from './support/redis.js';

const REDIS_URL = TEST_REDIS_URL;

interface Delivered {
  data?: { myEvents: { id: string; kind: string; message: string; brand: { slug: string } | null } };
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** A graphql-ws client of `app`, signed in with the session's access token at connection. */
function socketOf(app: TestApp, session: Session | null): Client {
  return createClient({
    url: app.url.replace('http', 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: session ? { authorization: `Bearer ${session.accessToken}` } : {},
  });
}

/** The first message of `myEvents` on `client`, or its error; `trigger` runs once the subscription is live. */
function firstEvent(client: Client): Promise<Delivered> {
  return new Promise((resolve, reject) => {
    const unsubscribe = client.subscribe<Delivered['data']>(
      { query: 'subscription { myEvents { id kind message brand { slug } } }' },
      {
        next: (message) => {
          resolve(message as Delivered);
          unsubscribe();
        },
        error: (error) =>
          Array.isArray(error) ? resolve({ errors: error as Delivered['errors'] }) : reject(new Error(String(error))),
        complete: () => undefined,
      },
    );
  });
}

/** Runs `trigger` until `delivery` settles: a subscription is registered a moment after it is sent. */
async function deliveredAfter<T>(delivery: Promise<T>, trigger: () => Promise<unknown>): Promise<T> {
  for (let i = 0; i < 50; i++) {
    await trigger();
    const settled = await Promise.race([delivery, new Promise<undefined>((r) => setTimeout(() => r(undefined), 100))]);
    if (settled !== undefined) return settled;
  }
  throw new Error('nothing was delivered');
}

describe('notifications, live (e2e)', () => {
  let app: TestApp;
  let dir: string;
  let alice: Session;
  let bob: Session;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-notification-fixtures-'));
    app = await startTestApp({ JOBS_IN_API: 'true', JOBS_POLL_INTERVAL_MS: '50', RATE_LIMIT_GRAPHQL: '100000/60' });
    alice = (await accountsClient(app).signUp({ email: 'alice@example.com', handle: 'alice' })).body.data!.signUp;
    bob = (await accountsClient(app).signUp({ email: 'bob@example.com', handle: 'bob' })).body.data!.signUp;
  });
  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers a comment on my photo over a real WebSocket, and lists the same notification afterwards', async () => {
    const brand = await createBrand(app, bob, 'Live Lemonade');
    const file = path.join(dir, 'scene.jpg');
    await (await photoScene(800, 600, 301)).jpeg({ quality: 85 }).toFile(file);
    const photo = await photosClient(app).publish(bob, brand, file);
    // Bob's FIRST_PHOTO award is told before the subscription starts, so the first event is the comment.
    await app.app.get(JobRunner).drainConsumers();

    const client = socketOf(app, bob);
    try {
      let comments = 0;
      const delivered = await deliveredAfter(firstEvent(client), () =>
        app.graphql(
          `mutation($id: ID!, $body: String!) { commentOnPhoto(photoId: $id, body: $body) { id } }`,
          { id: photo.id, body: `Looks delicious, take ${++comments}` },
          bearer(alice.accessToken),
        ),
      );
      expect(delivered.data!.myEvents).toMatchObject({
        kind: 'COMMENT_RECEIVED',
        message: expect.stringMatching(/^@alice commented on your photo: “Looks delicious, take \d+”$/),
        brand: { slug: brand },
      });
      const { body } = await app.graphql<{ me: { notifications: { edges: { node: { id: string } }[] } } }>(
        `{ me { notifications { edges { node { id } } } } }`,
        {},
        bearer(bob.accessToken),
      );
      expect(body.data!.me.notifications.edges.map((edge) => edge.node.id)).toContain(delivered.data!.myEvents.id);
    } finally {
      await client.dispose();
    }
  });

  it('completes the subscription when its access token expires, so that it never outlives it', async () => {
    const { sub, sid } = jwt.decode(alice.accessToken) as { sub: string; sid: string };
    const keys = app.app.get(JwtKeys);
    const shortLived = jwt.sign({ sub, sid }, keys.signing.secret, {
      algorithm: 'HS256',
      keyid: keys.signing.kid,
      expiresIn: 2,
      issuer: JWT_ISSUER,
    });
    const client = socketOf(app, { ...alice, accessToken: shortLived });
    try {
      const started = Date.now();
      const ended = await new Promise<'complete' | 'error' | 'next'>((resolve) => {
        client.subscribe(
          { query: 'subscription { myEvents { id } }' },
          { next: () => resolve('next'), error: () => resolve('error'), complete: () => resolve('complete') },
        );
      });
      expect(ended).toBe('complete');
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    } finally {
      await client.dispose();
    }
  });

  it('refuses a subscription without a valid access token', async () => {
    const anonymous = socketOf(app, null);
    const forged = socketOf(app, { ...alice, accessToken: `${alice.accessToken}x` });
    try {
      expect((await firstEvent(anonymous)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect((await firstEvent(forged)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await anonymous.dispose();
      await forged.dispose();
    }
  });
});

/** Through Redis: a notification written by one process reaches a subscriber of another. Needs a server and Redis. */
describe('notifications across processes (e2e)', () => {
  // Two processes on one database: a server only (PGlite serves one process).
  (process.env.TEST_DATABASE_URL ? it : it.skip)(
    'reaches a subscriber on another api process through Redis',
    async () => {
      if (!(await redisReachable())) {
        console.warn(`Skipped: no Redis answers at ${REDIS_URL}`);
        return;
      }
      // One key for both, as in production: two apps in one process also share passport's one "jwt" strategy.
      const JWT_SIGNING_KEYS = 'shared:a-test-signing-key-of-at-least-32-characters';
      const serving = await startTestApp({ REDIS_URL, JWT_SIGNING_KEYS, RATE_LIMIT_GRAPHQL: '100000/60' });
      const working = await startTestApp({ REDIS_URL, JWT_SIGNING_KEYS, DATABASE_URL: serving.config.database.url! });
      const carol = (await accountsClient(serving).signUp({ email: 'carol@example.com', handle: 'carol' })).body.data!
        .signUp;
      const client = socketOf(serving, carol);
      try {
        const brand = await createBrand(serving, carol, 'Redis Rootbeer');
        const [{ id: brandId }] = await serving.app
          .get(DataSource)
          .query<[{ id: string }]>(`SELECT id FROM brands WHERE slug = $1`, [brand]);
        const userId = fromGlobalId(carol.user.id).localId;
        // The other process moves carol between INTERN and ASSOCIATE (50 shares and their reversal), each
        // time with a notification, until one reaches the subscriber here.
        const ledger = working.app.get(ShareLedger);
        let granted: string | null = null;
        const delivered = await deliveredAfter(firstEvent(client), () =>
          inTransaction(working.app.get(DataSource), async (manager) => {
            if (granted) {
              await ledger.reverse(manager, granted, new Date());
              granted = null;
              return;
            }
            granted = `award:TEST_${randomUUID()}:${userId}:${brandId}`;
            await ledger.apply(manager, {
              userId,
              brandId,
              shares: 50,
              reason: 'AWARD_BONUS',
              sourceType: 'award',
              sourceId: randomUUID(),
              idempotencyKey: granted,
              at: new Date(),
            });
          }),
        );
        expect(delivered.data!.myEvents).toMatchObject({ kind: 'TITLE_CHANGED', brand: { slug: brand } });
        expect(fromGlobalId(delivered.data!.myEvents.id).typeName).toBe('Notification');
      } finally {
        await client.dispose();
        await working.close();
        await serving.close();
      }
    },
  );
});
