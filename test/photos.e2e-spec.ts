import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { DataSource } from 'typeorm';
import { JobRunner, LedgerChecks, fromGlobalId, toGlobalId } from '@boardroom/core';
import { StorageDriver } from '@boardroom/media';
import { startS3rver, type RunningS3rver } from '../libs/media/src/testing/s3rver-harness.js';
import { PhotoProcessor } from '../libs/photos/src/processing/photo-processor.js';
import { makeFixtures, type ImageFixtures } from './fixtures/make-fixtures.js';
import { accountsClient, bearer, type Session } from './support/accounts-client.js';
import { createBrand as createBrandAs } from './support/brands-client.js';
import { photosClient, type PhotoView } from './support/photos-client.js';
import { statementsDuring } from './support/count-statements.js';
import { storedObjectKeys } from './support/stored-objects.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const BUCKET = 'boardroom-photos-e2e';
/** Small enough to test the size limit with a generated file, large enough for every fixture. */
const MAX_BYTES = 3 * 1024 * 1024;

describe.each(['local', 's3'] as const)('photo uploads on %s storage (e2e)', (driver) => {
  let app: TestApp;
  let s3: RunningS3rver | undefined;
  let fixtures: ImageFixtures;
  let fixturesDir: string;
  let alice: Session;
  let bob: Session;
  let photos: ReturnType<typeof photosClient>;

  const sql = <T = Record<string, unknown>>(query: string, parameters: unknown[] = []) =>
    app.app.get(DataSource).query<T[]>(query, parameters);

  const createBrand = (session: Session, name: string) => createBrandAs(app, session, name);

  /** Storage holds exactly the files of photos that are live (not rejected, not deleted). */
  async function expectNoOrphans(): Promise<void> {
    const live = await sql<{ key: string }>(
      `SELECT unnest(array_remove(ARRAY[original_key, display_key, thumbnail_key], NULL)) AS key
         FROM photos WHERE status <> 'REJECTED' AND deleted_at IS NULL`,
    );
    expect(await storedObjectKeys(app.config)).toEqual(live.map((row) => row.key).sort());
  }

  async function fetchImage(url: string): Promise<{ bytes: Buffer; contentType: string | null }> {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    return { bytes: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') };
  }

  beforeAll(async () => {
    fixturesDir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-photo-fixtures-'));
    fixtures = await makeFixtures(fixturesDir);
    const env: Record<string, string> = {
      UPLOAD_MAX_BYTES: String(MAX_BYTES),
      JOBS_POLL_INTERVAL_MS: '50',
      // On a database server jobs run in the worker unless told otherwise; these tests have no worker.
      JOBS_IN_API: 'true',
      // This suite polls photos and uploads in bulk; the limits have a test of their own below.
      RATE_LIMIT_GRAPHQL: '100000/60',
      RATE_LIMIT_UPLOADS: '1000/60',
      // Photos alone: the awards' consumers would poll between the statements a test counts.
      EVENT_CONSUMERS_PAUSED: 'awards,invites',
    };
    if (driver === 's3') {
      s3 = await startS3rver(BUCKET);
      Object.assign(env, {
        S3_BUCKET: BUCKET,
        S3_ENDPOINT: s3.endpoint,
        S3_FORCE_PATH_STYLE: 'true',
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
      });
    }
    app = await startTestApp(env);
    photos = photosClient(app);
    const accounts = accountsClient(app);
    alice = (await accounts.signUp({ email: 'alice@example.com', handle: 'alice' })).body.data!.signUp;
    bob = (await accounts.signUp({ email: 'bob@example.com', handle: 'bob' })).body.data!.signUp;
  });

  afterAll(async () => {
    await app?.close();
    await s3?.close();
    await rm(fixturesDir, { recursive: true, force: true });
  });

  it('publishes a rotated JPEG upright, with renditions that carry no EXIF or GPS', async () => {
    const brand = await createBrand(alice, 'Rotated Cameras');
    const { body } = await photos.upload(alice, brand, fixtures.jpegRotatedWithGps, {
      caption: '  On the beach  ',
      headers: { 'x-device-id': 'alice-phone' },
    });
    expect(body.errors).toBeUndefined();
    const uploaded = body.data!.uploadPhoto;
    expect(uploaded).toMatchObject({ status: 'PROCESSING', caption: 'On the beach', url: null, publishedAt: null });

    const published = await photos.settled(alice, uploaded.id);
    expect(published).toMatchObject({
      status: 'PUBLISHED',
      width: 900,
      height: 1200,
      owner: { handle: 'alice' },
      brand: { slug: brand },
      duplicateOf: null,
      sharesWithheld: null,
    });
    expect(published.publishedAt).not.toBeNull();

    const display = await fetchImage(published.url!);
    expect(display.contentType).toBe('image/webp');
    const displayMeta = await sharp(display.bytes).metadata();
    expect(displayMeta).toMatchObject({ format: 'webp', width: 900, height: 1200 });
    expect(displayMeta.exif).toBeUndefined();
    expect(displayMeta.orientation).toBeUndefined();
    const thumbnailMeta = await sharp((await fetchImage(published.thumbnailUrl!)).bytes).metadata();
    expect(thumbnailMeta).toMatchObject({ format: 'webp', width: 240, height: 320 });
    expect(thumbnailMeta.exif).toBeUndefined();
    // The GPS block of the original is nowhere in the renditions.
    expect(display.bytes.includes(Buffer.from('GPS'))).toBe(false);

    // Everyone sees a published photo; the original itself is never given out.
    expect((await photos.photo(null, uploaded.id))?.status).toBe('PUBLISHED');
    const [row] = await sql<{ original_key: string }>(`SELECT original_key FROM photos`);
    expect(published.url).not.toContain(row!.original_key);

    const events = await sql<{ action: string; device_fingerprint: string | null }>(
      `SELECT action, device_fingerprint FROM events WHERE target_id = $1 ORDER BY id`,
      [localId(uploaded.id)],
    );
    expect(events.map((e) => e.action)).toEqual(['photo.uploaded', 'photo.published']);
    expect(events.every((e) => e.device_fingerprint !== null)).toBe(true);
    await expectNoOrphans();
  });

  it('publishes PNG, WebP and AVIF uploads', async () => {
    const brand = await createBrand(alice, 'Formats Inc');
    for (const [file, width, height] of [
      [fixtures.png800x600, 800, 600],
      [fixtures.webp640x480, 640, 480],
      [fixtures.avif640x480, 640, 480],
    ] as const) {
      const photo = await photos.publish(alice, brand, file);
      expect(photo).toMatchObject({ status: 'PUBLISHED', width, height });
      expect((await sharp((await fetchImage(photo.url!)).bytes).metadata()).format).toBe('webp');
    }
  });

  it('re-encodes a JPEG with HTML appended: the rendition carries no trace of the tail', async () => {
    const brand = await createBrand(alice, 'Polyglot Press');
    const photo = await photos.publish(alice, brand, fixtures.jpegWithHtml);
    expect(photo.status).toBe('PUBLISHED');
    for (const url of [photo.url!, photo.thumbnailUrl!]) {
      const { bytes } = await fetchImage(url);
      expect(bytes.includes(Buffer.from('<html'))).toBe(false);
      expect(bytes.includes(Buffer.from('<script'))).toBe(false);
    }
  });

  it('refuses every bad file with its code, leaving no photo, no event and no file', async () => {
    const brand = await createBrand(alice, 'Bad Files Ltd');
    const [before] = await sql<{ photos: number; events: number }>(
      `SELECT (SELECT count(*)::int FROM photos) AS photos,
              (SELECT count(*)::int FROM events WHERE action LIKE 'photo.%') AS events`,
    );
    const oversized = {
      name: 'huge.jpg',
      bytes: Buffer.concat([await readFile(fixtures.photoA), Buffer.alloc(MAX_BYTES)]),
    };
    // The container of an iPhone photo (ISO-BMFF, major brand "heic"), which sharp's prebuilt libvips cannot decode.
    const heicHeader = Buffer.alloc(24);
    heicHeader.writeUInt32BE(24, 0);
    heicHeader.write('ftypheic', 4, 'latin1');
    heicHeader.write('mif1heic', 16, 'latin1');
    const heic = { name: 'IMG_0001.HEIC', bytes: Buffer.concat([heicHeader, Buffer.alloc(4000, 7)]) };
    const cases: [string | { name: string; bytes: Buffer }, string][] = [
      [fixtures.textNamedJpg, 'UNSUPPORTED_MEDIA_TYPE'],
      [fixtures.svgWithScript, 'UNSUPPORTED_MEDIA_TYPE'],
      [fixtures.gif, 'UNSUPPORTED_MEDIA_TYPE'],
      [fixtures.jpegTruncated, 'UNSUPPORTED_MEDIA_TYPE'],
      [fixtures.empty, 'UNSUPPORTED_MEDIA_TYPE'],
      [fixtures.pngBomb, 'PAYLOAD_TOO_LARGE'],
      [fixtures.jpegTooSmall, 'BAD_USER_INPUT'],
      [oversized, 'PAYLOAD_TOO_LARGE'],
      [heic, 'UNSUPPORTED_MEDIA_TYPE'],
    ];
    for (const [file, code] of cases) {
      const started = performance.now();
      const { body } = await photos.upload(alice, brand, file);
      const name = typeof file === 'string' ? path.basename(file) : file.name;
      expect({ name, code: body.errors?.[0]?.extensions?.code }).toEqual({ name, code });
      expect(body.errors?.[0]?.message).toMatch(/\w+.*\./);
      if (file === fixtures.pngBomb) expect(performance.now() - started).toBeLessThan(2000);
    }
    const unknownBrand = await photos.upload(alice, 'no-such-brand', fixtures.png800x600);
    expect(unknownBrand.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const [after] = await sql<{ photos: number; events: number }>(
      `SELECT (SELECT count(*)::int FROM photos) AS photos,
              (SELECT count(*)::int FROM events WHERE action LIKE 'photo.%') AS events`,
    );
    expect(after).toEqual(before);
    await expectNoOrphans();
  });

  it('refuses uploads without a session and multipart requests without the preflight header', async () => {
    const brand = await createBrand(alice, 'Guarded Goods');
    const anonymous = await photos.upload({ ...alice, accessToken: 'not-a-token' }, brand, fixtures.png800x600);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: 'mutation { __typename }' }));
    form.append('map', '{}');
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      body: form,
      headers: bearer(alice.accessToken),
    });
    expect(response.status).toBe(400);
  });

  it('returns the first photo for a repeated idempotency key and stores nothing new', async () => {
    const brand = await createBrand(alice, 'Retry Roasters');
    const first = await photos.upload(alice, brand, fixtures.png800x600, { idempotencyKey: 'upload-1' });
    const again = await photos.upload(alice, brand, fixtures.webp640x480, { idempotencyKey: 'upload-1' });
    expect(again.body.data?.uploadPhoto.id).toBe(first.body.data?.uploadPhoto.id);
    // Another user's key is their own.
    const other = await photos.upload(bob, brand, fixtures.png800x600, { idempotencyKey: 'upload-1' });
    expect(other.body.data?.uploadPhoto.id).not.toBe(first.body.data?.uploadPhoto.id);
    const [{ count }] = (await sql<{ count: number }>(
      `SELECT count(*)::int AS count FROM photos WHERE idempotency_key = 'upload-1'`,
    )) as [{ count: number }];
    expect(count).toBe(2);
    await photos.settled(alice, first.body.data!.uploadPhoto.id);
    await photos.settled(bob, other.body.data!.uploadPhoto.id);
    await expectNoOrphans();
  });

  it('links a re-encoded, resized copy to the earlier photo of the brand, by anyone, and only in that brand', async () => {
    const brand = await createBrand(alice, 'Duplicate Diner');
    const original = await photos.publish(alice, brand, fixtures.photoA);
    const copy = await photos.publish(bob, brand, fixtures.photoACopy);
    const different = await photos.publish(bob, brand, fixtures.photoB);
    expect(original.duplicateOf).toBeNull();
    expect(copy).toMatchObject({ status: 'PUBLISHED', duplicateOf: { id: original.id }, sharesWithheld: 'DUPLICATE' });
    expect(different).toMatchObject({ duplicateOf: null, sharesWithheld: null });

    const elsewhere = await photos.publish(bob, await createBrand(bob, 'Other Diner'), fixtures.photoACopy);
    expect(elsewhere.duplicateOf).toBeNull();
  });

  it('lists a brand’s and a user’s photos newest first, with counts and stable cursors', async () => {
    const brand = await createBrand(alice, 'Listing Labs');
    const uploaded: PhotoView[] = [];
    for (const file of [fixtures.png800x600, fixtures.webp640x480, fixtures.photoB]) {
      uploaded.push(await photos.publish(alice, brand, file));
    }
    const page = (after: string | null) =>
      app.graphql<{
        brand: {
          photoCount: number;
          photos: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
        };
      }>(
        `query($slug: String!, $after: String) {
          brand(slug: $slug) { photoCount photos(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }
        }`,
        { slug: brand, after },
      );
    const first = (await page(null)).body.data!.brand;
    expect(first.photoCount).toBe(3);
    expect(first.photos.edges.map((e) => e.node.id)).toEqual([uploaded[2]!.id, uploaded[1]!.id]);
    expect(first.photos.pageInfo.hasNextPage).toBe(true);
    const second = (await page(first.photos.pageInfo.endCursor)).body.data!.brand;
    expect(second.photos.edges.map((e) => e.node.id)).toEqual([uploaded[0]!.id]);
    expect(second.photos.pageInfo.hasNextPage).toBe(false);

    // Popularity: browsing lists the brands with the most photos first, and search breaks ties by it.
    const browse = await app.graphql<{ brands: { edges: { node: { slug: string; photoCount: number } }[] } }>(
      `{ brands(first: 100) { edges { node { slug photoCount } } } }`,
    );
    const counts = browse.body.data!.brands.edges.map((edge) => edge.node.photoCount);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const searched = await app.graphql<{ brands: { edges: { node: { slug: string } }[] } }>(
      `{ brands(search: "listing labs", first: 1) { edges { node { slug } } } }`,
    );
    expect(searched.body.data!.brands.edges[0]!.node.slug).toBe(brand);

    // The stored count is proven against the photos by check-ledger.
    const check = app.app
      .get(LedgerChecks)
      .all()
      .find((c) => c.name === 'brand photo counts')!;
    const manager = app.app.get(DataSource).manager;
    expect(await check.differences(manager)).toEqual([]);
    await sql(`UPDATE brands SET photo_count = 99 WHERE slug = $1`, [brand]);
    expect(await check.differences(manager)).toEqual([`brand ${brand}: photo_count 99, published photos 3`]);
    await sql(`UPDATE brands SET photo_count = 3 WHERE slug = $1`, [brand]);

    const bad = await page('not-a-cursor');
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const { body } = await app.graphql<{ user: { photos: { edges: { node: { id: string } }[] } } }>(
      `{ user(handle: "alice") { photos(first: 100) { edges { node { id } } } } }`,
    );
    expect(body.data!.user.photos.edges.slice(0, 3).map((e) => e.node.id)).toEqual(uploaded.map((p) => p.id).reverse());
  });

  it('deletes a photo for its owner only: it disappears with its files', async () => {
    const brand = await createBrand(alice, 'Deletion Depot');
    const photo = await photos.publish(alice, brand, fixtures.png800x600);
    const deleteAs = (session: Session) =>
      app.graphql<{ deletePhoto: boolean }>(
        `mutation($id: ID!) { deletePhoto(id: $id) }`,
        { id: photo.id },
        bearer(session.accessToken),
      );
    expect((await deleteAs(bob)).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await deleteAs(alice)).body.data).toEqual({ deletePhoto: true });
    const { body } = await app.graphql<{ brand: { photoCount: number } }>(`{ brand(slug: "${brand}") { photoCount } }`);
    expect(body.data!.brand.photoCount).toBe(0);
    expect(await photos.photo(alice, photo.id)).toBeNull();
    expect(await photos.photo(alice, toGlobalId('Photo', 'not-a-uuid'))).toBeNull();
    expect((await deleteAs(alice)).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await fetch(photo.url!)).status).toBeGreaterThanOrEqual(400);
    const [event] = await sql<{ action: string }>(`SELECT action FROM events WHERE target_id = $1 ORDER BY id DESC`, [
      localId(photo.id),
    ]);
    expect(event!.action).toBe('photo.deleted');
    await expectNoOrphans();
  });

  it('feeds the photos of followed users and of brands the caller published in, a page per query', async () => {
    const erin = (await accountsClient(app).signUp({ email: 'erin@example.com', handle: 'erin' })).body.data!.signUp;
    const feedOf = (session: Session, first: number, after: string | null = null) =>
      app.graphql<{
        feed: {
          edges: { node: { id: string; owner: { handle: string } } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      }>(
        `query($first: Int, $after: String) { feed(first: $first, after: $after) {
          edges { node { id url thumbnailUrl commentCount owner { handle followerCount } brand { slug photoCount } duplicateOf { id } } }
          pageInfo { hasNextPage endCursor } } }`,
        { first, after },
        bearer(session.accessToken),
      );
    expect((await feedOf(erin, 10)).body.data!.feed.edges).toEqual([]);

    // Erin follows Bob; Bob's photos reach her feed, and so does everything in a brand she publishes in.
    await app.graphql(`mutation { follow(handle: "bob") { handle } }`, undefined, bearer(erin.accessToken));
    const followedBrand = await createBrand(bob, 'Followed Fashion');
    const sharedBrand = await createBrand(alice, 'Shared Shoes');
    const bobs = [];
    for (const file of [fixtures.png800x600, fixtures.webp640x480, fixtures.photoB]) {
      bobs.push(await photos.publish(bob, followedBrand, file));
    }
    const alices = await photos.publish(alice, sharedBrand, fixtures.png800x600);
    const unrelated = await photos.publish(alice, await createBrand(alice, 'Unrelated Umbrellas'), fixtures.photoB);
    const erins = await photos.publish(erin, sharedBrand, fixtures.webp640x480);

    const all = (await feedOf(erin, 100)).body.data!.feed.edges.map((edge) => edge.node.id);
    const expected = [erins, alices, ...bobs.reverse()].map((photo) => photo.id);
    expect(all.filter((id) => expected.includes(id))).toEqual(expected);
    expect(all).not.toContain(unrelated.id);

    // Paging: the same order, no gaps or repeats.
    const first = (await feedOf(erin, 2)).body.data!.feed;
    const rest = (await feedOf(erin, 100, first.pageInfo.endCursor)).body.data!.feed;
    expect([...first.edges, ...rest.edges].map((edge) => edge.node.id)).toEqual(all);

    // One query for the page and one per kind of nested lookup, however long the page.
    const small = await statementsDuring(app, () => feedOf(erin, 2));
    const large = await statementsDuring(app, () => feedOf(erin, 6));
    expect(large).toHaveLength(small.length);
    expect(large.filter((statement) => /FROM photos p\s+WHERE p.status = 'PUBLISHED'/.test(statement))).toHaveLength(1);

    expect((await app.graphql(`{ feed { edges { cursor } } }`)).body.errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('survives 50 concurrent uploads: each photo ends PUBLISHED or REJECTED, none lost, no orphan file', async () => {
    const brand = await createBrand(alice, 'Concurrency Corner');
    const files = [
      fixtures.png800x600,
      fixtures.webp640x480,
      fixtures.photoB,
      fixtures.textNamedJpg,
      fixtures.jpegWithHtml,
    ];
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => photos.upload(i % 2 ? alice : bob, brand, files[i % files.length]!)),
    );
    const accepted = responses.flatMap((r) => (r.body.data?.uploadPhoto ? [r.body.data.uploadPhoto] : []));
    expect(accepted).toHaveLength(40);
    expect(responses.filter((r) => r.body.errors?.[0]?.extensions?.code === 'UNSUPPORTED_MEDIA_TYPE')).toHaveLength(10);
    const settled = await Promise.all(
      accepted.map((p) => photos.settled(p.owner.handle === 'alice' ? alice : bob, p.id, 120_000)),
    );
    expect(settled.every((p) => p.status === 'PUBLISHED' || p.status === 'REJECTED')).toBe(true);
    const [{ count }] = (await sql<{ count: number }>(
      `SELECT count(*)::int AS count FROM photos p JOIN brands b ON b.id = p.brand_id WHERE b.slug = $1`,
      [brand],
    )) as [{ count: number }];
    expect(count).toBe(40);
    // Four distinct pictures: the first of each is the original, every later copy links an earlier one.
    expect(settled.filter((p) => p.duplicateOf === null)).toHaveLength(4);
    await expectNoOrphans();
  }, 180_000);

  it('makes exactly one of two concurrent uploads of the same image the original', async () => {
    const brand = await createBrand(alice, 'Race Condition Cafe');
    const [a, b] = await Promise.all([
      photos.upload(alice, brand, fixtures.photoA),
      photos.upload(bob, brand, fixtures.photoA),
    ]);
    const settled = await Promise.all([
      photos.settled(alice, a.body.data!.uploadPhoto.id),
      photos.settled(bob, b.body.data!.uploadPhoto.id),
    ]);
    expect(settled.filter((p) => p.duplicateOf === null)).toHaveLength(1);
    expect(settled.filter((p) => p.sharesWithheld === 'DUPLICATE')).toHaveLength(1);
  });
});

describe('photo processing that fails (e2e)', () => {
  let app: TestApp;
  let fixturesDir: string;
  let fixtures: ImageFixtures;
  let dave: Session;
  let brand: string;

  const sql = <T = Record<string, unknown>>(query: string, parameters: unknown[] = []) =>
    app.app.get(DataSource).query<T[]>(query, parameters);

  /** An upload whose processing job has not run yet (jobs do not run in this api). */
  async function uploaded(file: string): Promise<{ id: string; originalKey: string }> {
    const { body } = await photosClient(app).upload(dave, brand, file, { headers: { 'x-device-id': 'dave-phone' } });
    const id = body.data!.uploadPhoto.id;
    const [row] = await sql<{ original_key: string }>(`SELECT original_key FROM photos WHERE id = $1`, [localId(id)]);
    return { id, originalKey: row!.original_key };
  }

  beforeAll(async () => {
    fixturesDir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-photo-fixtures-'));
    fixtures = await makeFixtures(fixturesDir);
    app = await startTestApp({ JOBS_IN_API: 'false' });
    dave = (await accountsClient(app).signUp({ email: 'dave@example.com', handle: 'dave' })).body.data!.signUp;
    const { body } = await app.graphql<{ createBrand: { slug: string } }>(
      `mutation { createBrand(input: { name: "Broken Pixels" }) { slug } }`,
      undefined,
      bearer(dave.accessToken),
    );
    brand = body.data!.createBrand.slug;
  });

  afterAll(async () => {
    await app?.close();
    await rm(fixturesDir, { recursive: true, force: true });
  });

  it('rejects a photo the decoder refuses, with a reason a person can act on, its event, and no file left', async () => {
    const photo = await uploaded(fixtures.png800x600);
    // Bytes that passed validation but no decoder accepts (as a corrupted stored original would be).
    await app.app.get(StorageDriver).put(photo.originalKey, Buffer.from('not an image any more'), {
      contentType: 'image/png',
    });
    await app.app.get(JobRunner).drain();
    const rejected = await photosClient(app).photo(dave, photo.id);
    expect(rejected).toMatchObject({ status: 'REJECTED', url: null, thumbnailUrl: null, publishedAt: null });
    expect(rejected!.rejectionReason).toMatch(/could not be read.*upload it/i);
    // Others do not see a rejected photo.
    expect(await photosClient(app).photo(null, photo.id)).toBeNull();
    const [event] = await sql<{ action: string; device_fingerprint: string | null }>(
      `SELECT action, device_fingerprint FROM events WHERE target_id = $1 ORDER BY id DESC`,
      [localId(photo.id)],
    );
    expect(event).toEqual({ action: 'photo.rejected', device_fingerprint: expect.any(String) });
    expect(await storedObjectKeys(app.config)).toEqual([]);
  });

  it('rejects on the last attempt when the original cannot be read, and leaves the photo alone earlier', async () => {
    const photo = await uploaded(fixtures.png800x600);
    await app.app.get(StorageDriver).delete(photo.originalKey);
    const processor = app.app.get(PhotoProcessor);
    await expect(processor.process(localId(photo.id), { attempt: 1, maxAttempts: 3 })).rejects.toThrow();
    expect((await photosClient(app).photo(dave, photo.id))?.status).toBe('PROCESSING');
    await processor.process(localId(photo.id), { attempt: 3, maxAttempts: 3 });
    expect(await photosClient(app).photo(dave, photo.id)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: expect.stringMatching(/upload it again/i),
    });
  });

  it('publishes nothing for a photo deleted while it waited to be processed', async () => {
    const photo = await uploaded(fixtures.webp640x480);
    const { body } = await app.graphql(
      `mutation($id: ID!) { deletePhoto(id: $id) }`,
      { id: photo.id },
      bearer(dave.accessToken),
    );
    expect(body.data).toEqual({ deletePhoto: true });
    await app.app.get(JobRunner).drain();
    const [row] = await sql<{ status: string }>(`SELECT status FROM photos WHERE id = $1`, [localId(photo.id)]);
    expect(row!.status).toBe('PROCESSING');
    expect(await storedObjectKeys(app.config)).toEqual([]);
  });
});

describe('photo upload rate limit (e2e)', () => {
  let app: TestApp;
  let fixturesDir: string;

  afterAll(async () => {
    await app?.close();
    await rm(fixturesDir, { recursive: true, force: true });
  });

  it('refuses a user’s uploads beyond RATE_LIMIT_UPLOADS with retryAfterSeconds', async () => {
    fixturesDir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-photo-fixtures-'));
    const fixtures = await makeFixtures(fixturesDir);
    app = await startTestApp({ RATE_LIMIT_UPLOADS: '2/60', JOBS_IN_API: 'true' });
    const carol = (await accountsClient(app).signUp({ email: 'carol@example.com', handle: 'carol' })).body.data!.signUp;
    const { body } = await app.graphql<{ createBrand: { slug: string } }>(
      `mutation { createBrand(input: { name: "Limited Edition" }) { slug } }`,
      undefined,
      bearer(carol.accessToken),
    );
    const photos = photosClient(app);
    for (let i = 0; i < 2; i++) {
      const accepted = await photos.upload(carol, body.data!.createBrand.slug, fixtures.png800x600);
      expect(accepted.body.errors).toBeUndefined();
    }
    const refused = await photos.upload(carol, body.data!.createBrand.slug, fixtures.png800x600);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: expect.any(Number),
    });
  });
});

/** The row id inside a global id (tests read the database directly). */
const localId = (id: string) => fromGlobalId(id).localId;
