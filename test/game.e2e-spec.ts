import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { LedgerChecks, fromGlobalId } from '@boardroom/core';
import { photoScene } from './fixtures/make-fixtures.js';
import { accountsClient, bearer, type Session } from './support/accounts-client.js';
import { createBrand as createBrandAs } from './support/brands-client.js';
import { photosClient } from './support/photos-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Shares of photos (GAME.md): +10 per original, none for duplicates or beyond the daily cap, reversed on deletion. */
describe('shares for photos (e2e)', () => {
  let app: TestApp;
  let dir: string;
  /** Distinct scenes: no two are near-duplicates. */
  let scenes: string[];
  let alice: Session;
  let bob: Session;
  let photos: ReturnType<typeof photosClient>;

  const sql = <T = Record<string, unknown>>(query: string, parameters: unknown[] = []) =>
    app.app.get(DataSource).query<T[]>(query, parameters);

  const createBrand = (session: Session, name: string) => createBrandAs(app, session, name);

  const employment = async (session: Session, slug: string) =>
    (
      await sql<{ shares: number; title: string; salary: number }>(
        `SELECT e.shares, e.title, e.salary FROM employments e JOIN brands b ON b.id = e.brand_id
          WHERE e.user_id = $1 AND b.slug = $2`,
        [localId(session.user.id), slug],
      )
    )[0] ?? null;

  const ledgerIsClean = async () => {
    const manager = app.app.get(DataSource).manager;
    for (const check of app.app.get(LedgerChecks).all()) expect(await check.differences(manager)).toEqual([]);
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-game-fixtures-'));
    scenes = [];
    for (let seed = 101; seed <= 110; seed++) {
      const file = path.join(dir, `scene-${seed}.jpg`);
      await (await photoScene(800, 600, seed)).jpeg({ quality: 85 }).toFile(file);
      scenes.push(file);
    }
    app = await startTestApp({
      JOBS_IN_API: 'true',
      JOBS_POLL_INTERVAL_MS: '50',
      RATE_LIMIT_GRAPHQL: '100000/60',
      RATE_LIMIT_UPLOADS: '1000/60',
      // The game core alone: award bonuses (FIRST_PHOTO, …) would add to every number here.
      EVENT_CONSUMERS_PAUSED: 'awards,invites',
      RATE_LIMIT_COMMENTS: '1000/60',
    });
    photos = photosClient(app);
    alice = (await accountsClient(app).signUp({ email: 'alice@example.com', handle: 'alice' })).body.data!.signUp;
    bob = (await accountsClient(app).signUp({ email: 'bob@example.com', handle: 'bob' })).body.data!.signUp;
  });

  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('awards 10 shares for an original, none for a near-duplicate, up to 5 earning photos a day; deletion reverses', async () => {
    const brand = await createBrand(alice, 'Ledger Lemonade');
    const earned = [];
    for (const scene of scenes.slice(0, 5)) earned.push(await photos.publish(alice, brand, scene));
    expect(earned.map((p) => [p.sharesAwarded, p.sharesWithheld])).toEqual(Array(5).fill([10, null]));
    // 50 shares: ASSOCIATE, with the salary of GAME.md (32,000 + 20 per share).
    expect(await employment(alice, brand)).toEqual({ shares: 50, title: 'ASSOCIATE', salary: 33_000 });

    const capped = await photos.publish(alice, brand, scenes[5]!);
    expect(capped).toMatchObject({ status: 'PUBLISHED', sharesAwarded: 0, sharesWithheld: 'DAILY_CAP' });
    const copy = await photos.publish(bob, brand, scenes[0]!);
    expect(copy).toMatchObject({ sharesAwarded: 0, sharesWithheld: 'DUPLICATE' });
    // A duplicate earns nothing, so it creates no employment.
    expect(await employment(bob, brand)).toBeNull();

    const { body } = await app.graphql(
      `mutation($id: ID!) { deletePhoto(id: $id) }`,
      { id: earned[0]!.id },
      bearer(alice.accessToken),
    );
    expect(body.data).toEqual({ deletePhoto: true });
    expect(await employment(alice, brand)).toEqual({ shares: 40, title: 'INTERN', salary: 18_800 });

    const entries = await sql<{ shares: number; reason: string; idempotency_key: string; reverses: string | null }>(
      `SELECT shares, reason, idempotency_key, reverses::text FROM share_ledger l JOIN brands b ON b.id = l.brand_id
        WHERE b.slug = $1 ORDER BY l.id`,
      [brand],
    );
    expect(entries).toHaveLength(6);
    expect(entries.at(-1)).toMatchObject({ shares: -10, reason: 'REVERSAL', reverses: expect.any(String) });
    expect(entries.at(-1)!.idempotency_key).toBe(`reversal:${entries.at(-1)!.reverses}`);
    // A deleted photo's reversal does not free a slot of the day: a new photo is still capped.
    expect((await photos.publish(alice, brand, scenes[6]!)).sharesWithheld).toBe('DAILY_CAP');

    const titles = await sql<{ meta: { from: string; to: string } }>(
      `SELECT meta FROM events WHERE action = 'employment.title_changed' ORDER BY id`,
    );
    expect(titles.map((t) => [t.meta.from, t.meta.to])).toEqual([
      ['INTERN', 'ASSOCIATE'],
      ['ASSOCIATE', 'INTERN'],
    ]);
    await ledgerIsClean();
  });

  it('awards 1 share for a comment on someone else’s photo, within the comment rules; deletion reverses', async () => {
    const brand = await createBrand(alice, 'Comment Coffee');
    const photo = await photos.publish(alice, brand, scenes[7]!);
    const comment = async (session: Session, body: string) => {
      const { body: response } = await app.graphql<{ commentOnPhoto: { id: string } }>(
        `mutation($id: ID!, $body: String!) { commentOnPhoto(photoId: $id, body: $body) { id } }`,
        { id: photo.id, body },
        bearer(session.accessToken),
      );
      return response.data!.commentOnPhoto.id;
    };
    const first = await comment(bob, 'What a lovely cup');
    expect(await employment(bob, brand)).toMatchObject({ shares: 1 });
    await comment(bob, 'ok'); // under 3 visible characters
    await comment(bob, '  what a LOVELY cup '); // repeats an earlier comment
    await comment(alice, 'Thanks, my own photo'); // own photo
    expect(await employment(bob, brand)).toMatchObject({ shares: 1 });
    expect((await employment(alice, brand))!.shares).toBe(10);

    await app.graphql(`mutation($id: ID!) { deleteComment(id: $id) }`, { id: first }, bearer(bob.accessToken));
    expect(await employment(bob, brand)).toMatchObject({ shares: 0 });
    const [reversal] = await sql<{ reason: string; shares: number }>(
      `SELECT reason, shares FROM share_ledger WHERE user_id = $1 ORDER BY id DESC LIMIT 1`,
      [localId(bob.user.id)],
    );
    expect(reversal).toEqual({ reason: 'REVERSAL', shares: -1 });
    await ledgerIsClean();
  });

  it('pays at most 20 comments a day per user, across brands, even when they arrive together', async () => {
    const carol = (await accountsClient(app).signUp({ email: 'carol@example.com', handle: 'carol' })).body.data!.signUp;
    const brands = [await createBrand(alice, 'Cap Candles'), await createBrand(alice, 'Cap Cookies')];
    const targets = [
      await photos.publish(alice, brands[0]!, scenes[8]!),
      await photos.publish(alice, brands[1]!, scenes[9]!),
    ];
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        app.graphql(
          `mutation($id: ID!, $body: String!) { commentOnPhoto(photoId: $id, body: $body) { id } }`,
          { id: targets[i % 2]!.id, body: `Comment number ${i} from carol` },
          bearer(carol.accessToken),
        ),
      ),
    );
    const [{ sum }] = (await sql<{ sum: number }>(
      `SELECT coalesce(sum(shares), 0)::int AS sum FROM share_ledger WHERE user_id = $1 AND reason = 'COMMENT_POSTED'`,
      [localId(carol.user.id)],
    )) as [{ sum: number }];
    expect(sum).toBe(20);
    await ledgerIsClean();
  }, 120_000);

  it('refuses to change or remove a ledger entry, in the database itself', async () => {
    await expect(sql(`UPDATE share_ledger SET shares = shares + 1`)).rejects.toThrow(/append-only/);
    await expect(sql(`DELETE FROM share_ledger`)).rejects.toThrow(/append-only/);
    await expect(sql(`TRUNCATE share_ledger CASCADE`)).rejects.toThrow(/append-only/);
  });

  it('holds the daily cap exactly when a user’s photos of one brand publish at the same time', async () => {
    const brand = await createBrand(bob, 'Concurrent Cola');
    const uploads = await Promise.all(scenes.map((scene) => photos.upload(bob, brand, scene)));
    const settled = await Promise.all(uploads.map((u) => photos.settled(bob, u.body.data!.uploadPhoto.id, 120_000)));
    expect(settled.filter((p) => p.sharesAwarded === 10)).toHaveLength(5);
    expect(settled.filter((p) => p.sharesWithheld === 'DAILY_CAP')).toHaveLength(scenes.length - 5);
    expect(await employment(bob, brand)).toMatchObject({ shares: 50 });
    await ledgerIsClean();
  }, 180_000);

  it('finds a projection that disagrees with its ledger', async () => {
    const [row] = await sql<{ id: string }>(`SELECT id FROM employments LIMIT 1`);
    await sql(`UPDATE employments SET shares = shares + 7 WHERE id = $1`, [row!.id]);
    const check = app.app
      .get(LedgerChecks)
      .all()
      .find((c) => c.name === 'employment shares')!;
    expect(await check.differences(app.app.get(DataSource).manager)).toEqual([
      expect.stringMatching(/employment \d+, ledger sum \d+/),
    ]);
    await sql(`UPDATE employments SET shares = shares - 7 WHERE id = $1`, [row!.id]);
  });
});

/** The row id inside a global id (tests read the database directly). */
const localId = (id: string) => fromGlobalId(id).localId;
