import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LOCKSTEP_GROUPS } from '@boardroom/analytics';
import { JobQueue, JobRunner } from '@boardroom/core';
import { photoScene } from './fixtures/make-fixtures.js';
import { accountsClient, bearer, type Session } from './support/accounts-client.js';
import { createBrand } from './support/brands-client.js';
import { employeesOf } from './support/employees.js';
import { photosClient } from './support/photos-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface ReportView {
  brand: { slug: string };
  window: string;
  from: string;
  to: string;
  computedAt: string;
  authenticityScore: number;
  activeEmployees: number;
  metrics: { key: string; label: string; value: number; explanation: string }[];
  suspiciousClusters: { kind: string; score: number; evidence: string; users: { handle: string }[] }[];
}

const REPORT = `query($slug: String!, $window: ReportWindow) {
  authenticityReport(brandSlug: $slug, window: $window) {
    brand { slug } window from to computedAt authenticityScore activeEmployees
    metrics { key label value explanation }
    suspiciousClusters { kind score evidence users { handle } }
  }
}`;

/**
 * A brand with a planted comment farm, built over HTTP as clients would: six fresh accounts comment on the
 * same three photos of one account within minutes, beside two organic fans. The detectors run as the
 * worker runs them, then the brand's manager asks for the report.
 */
describe('authenticity report (e2e)', () => {
  let app: TestApp;
  let dir: string;
  let manager: Session;
  let rival: Session;
  let slug: string;
  const farm = ['farm_a', 'farm_b', 'farm_c', 'farm_d', 'farm_e', 'farm_f'];

  const { sql, newUser, as, errorOf, userIdOf } = employeesOf(() => app);
  /**
   * Each person of the world on an address of their own (through TRUST_PROXY), as people are: eleven
   * accounts from one address within the hour would all be flagged as sharing a network, farm or not.
   */
  const addresses = new Map<string, Record<string, string>>();
  const from = (handle: string) => {
    if (!addresses.has(handle)) addresses.set(handle, { 'x-forwarded-for': `10.0.0.${addresses.size + 1}` });
    return addresses.get(handle)!;
  };
  const person = async (handle: string): Promise<Session> => {
    const { body } = await accountsClient(app).signUp({ email: `${handle}@example.com`, handle }, from(handle));
    return body.data!.signUp;
  };
  const call = async (session: Session, query: string, variables: Record<string, unknown>) => {
    const { body } = await app.graphql(query, variables, {
      ...bearer(session.accessToken),
      ...from(session.user.handle),
    });
    if (!body.data) throw new Error(`Refused: ${JSON.stringify(body.errors)}`);
  };
  const comment = (session: Session, photoId: string, body: string) =>
    call(session, `mutation($id: ID!, $body: String!) { commentOnPhoto(photoId: $id, body: $body) { id } }`, {
      id: photoId,
      body,
    });
  const follow = (session: Session, handle: string) =>
    call(session, `mutation($h: String!) { follow(handle: $h) { handle } }`, { h: handle });
  const makeManager = async (session: Session, brandSlug: string) => {
    const [brand] = await sql<{ id: string }>(`SELECT id FROM brands WHERE slug = $1`, [brandSlug]);
    await sql(`INSERT INTO brand_managers (brand_id, user_id) VALUES ($1, $2)`, [brand!.id, userIdOf(session)]);
  };
  const reportAs = (session: Session, brandSlug: string, window?: string) =>
    as<{ authenticityReport: ReportView | null }>(session, REPORT, { slug: brandSlug, window });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-report-fixtures-'));
    app = await startTestApp({
      JOBS_IN_API: 'true',
      JOBS_POLL_INTERVAL_MS: '50',
      RATE_LIMIT_GRAPHQL: '100000/60',
      RATE_LIMIT_UPLOADS: '1000/60',
      RATE_LIMIT_COMMENTS: '1000/60',
      TRUST_PROXY: 'loopback',
    });
    manager = await newUser('fizzboss');
    slug = await createBrand(app, manager, 'Farm Fizz');
    await makeManager(manager, slug);
    rival = await newUser('rivalboss');
    await makeManager(rival, await createBrand(app, rival, 'Rival Cola'));
  });
  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('names the planted farm’s lockstep group, with a score below 1, for the brand’s manager', async () => {
    const photos = photosClient(app);
    const publish = async (session: Session, file: string) => {
      const { body } = await photos.upload(session, slug, file, { headers: from(session.user.handle) });
      if (!body.data?.uploadPhoto) throw new Error(`Upload refused: ${JSON.stringify(body.errors)}`);
      return photos.settled(session, body.data.uploadPhoto.id);
    };
    const picture = async (seed: number) => {
      const file = path.join(dir, `scene-${seed}.jpg`);
      await (await photoScene(640, 480, seed)).jpeg({ quality: 85 }).toFile(file);
      return file;
    };
    // Organic: two fans who follow each other (so not throwaway accounts), one photo and a comment.
    const [olive, otto] = [await person('olive'), await person('otto')];
    await follow(olive, 'otto');
    await follow(otto, 'olive');
    const olivePhoto = await publish(olive, await picture(31));
    await comment(otto, olivePhoto.id, 'Lovely colours here');

    // The farm: the beneficiary's three photos, each commented by every farm account within minutes.
    const star = await person('fizzstar');
    const starPhotos = [];
    for (const seed of [41, 42, 43]) starPhotos.push(await publish(star, await picture(seed)));
    const farmers = [];
    for (const handle of farm) farmers.push(await person(handle));
    for (const farmer of farmers) {
      for (const [i, photo] of starPhotos.entries()) await comment(farmer, photo.id, `So great number ${i + 1}`);
    }

    // The hourly detectors, as the worker runs them, until the farm's group is found (settled events only).
    const lockstepFlags = async () =>
      (
        await sql<{ count: number }>(
          `SELECT count(*)::int AS count FROM flags WHERE detector = $1 AND subject_type = 'ACCOUNT'`,
          [LOCKSTEP_GROUPS],
        )
      )[0]!.count;
    const deadline = Date.now() + 30_000;
    while ((await lockstepFlags()) < farm.length && Date.now() < deadline) {
      await app.app.get(JobQueue).enqueue('analytics.detect', { slot: new Date().toISOString() });
      await app.app.get(JobRunner).drain();
    }
    expect(await lockstepFlags()).toBeGreaterThanOrEqual(farm.length);

    // The hourly job ran when the app started and found the new brand (its creation is activity): that
    // report is of the brand before the farm. Without it, the report is missing, as for a brand asked about
    // before its first hourly run.
    await sql(`DELETE FROM authenticity_reports`);
    // Asked before it exists: null, and the job is scheduled; asking again schedules nothing more.
    const first = await reportAs(manager, slug);
    expect(first.errors).toBeUndefined();
    expect(first.data!.authenticityReport).toBeNull();
    expect((await reportAs(manager, slug)).data!.authenticityReport).toBeNull();
    const jobs = await sql<{ count: number }>(
      `SELECT count(*)::int AS count FROM jobs WHERE name = 'analytics.report' AND payload->>'window' = 'LAST_30_DAYS'`,
    );
    expect(jobs[0]!.count).toBe(1);
    // The api's own job loop may have claimed the job before this drain: wait for it either way.
    let { data, errors } = await reportAs(manager, slug);
    for (const until = Date.now() + 20_000; !data?.authenticityReport && Date.now() < until;) {
      await app.app.get(JobRunner).drain();
      await new Promise((resolve) => setTimeout(resolve, 100));
      ({ data, errors } = await reportAs(manager, slug));
    }
    expect(errors).toBeUndefined();
    const report = data!.authenticityReport!;
    expect(report).not.toBeNull();
    expect(report.brand.slug).toBe(slug);
    expect(report.window).toBe('LAST_30_DAYS');
    expect(new Date(report.to).getTime() - new Date(report.from).getTime()).toBe(30 * 86_400_000);
    // Organic: Olive's photo (10), her FIRST_PHOTO award (5) and Otto's comment (1); the star's photos (30)
    // and award (5) and the farm's 18 comments are the lockstep group's.
    expect(report.authenticityScore).toBeCloseTo(16 / 69);
    // The farm, the star, and the two fans earned in the brand.
    expect(report.activeEmployees).toBe(farm.length + 3);

    const lockstep = report.suspiciousClusters.find((cluster) => cluster.kind === 'LOCKSTEP');
    expect(lockstep).toBeDefined();
    const handles = lockstep!.users.map((user) => user.handle);
    expect(handles).toEqual(expect.arrayContaining([...farm, 'fizzstar']));
    expect(handles).not.toContain('olive');
    expect(handles).not.toContain('otto');
    expect(lockstep!.evidence).toMatch(/accounts acted on the same \d+ targets/);
    expect(lockstep!.score).toBeGreaterThan(0);

    const metric = (key: string) => report.metrics.find((m) => m.key === key)!;
    expect(metric('authentic_engagement_share').value).toBeCloseTo(report.authenticityScore);
    expect(metric('lockstep_share').value).toBeGreaterThan(0);
    expect(report.metrics.map((m) => m.key)).toEqual(
      expect.arrayContaining([
        'duplicate_photo_rate',
        'shared_fingerprint_share',
        'invite_tree_trust',
        'reciprocity_24h',
        'shares_gini',
        'shares_hhi',
        'top_1pct_share',
        'unexplained_burst_share',
        'young_account_share',
        'retention_d1',
        'retention_d7',
        'retention_d30',
        'incentive_driven_share',
      ]),
    );
    for (const m of report.metrics) expect(m.explanation.length).toBeGreaterThan(20);
  }, 120_000);

  it('refuses a manager of another brand and ordinary users, and knows no unknown brand', async () => {
    expect(errorOf(await reportAs(rival, slug))?.extensions.code).toBe('FORBIDDEN');
    const olive = (
      await app.graphql<{ logIn: Session }>(
        `mutation { logIn(email: "olive@example.com", password: "correct horse battery") { accessToken refreshToken user { id handle } } }`,
      )
    ).body.data!.logIn;
    expect(errorOf(await reportAs(olive, slug, 'LAST_7_DAYS'))?.extensions.code).toBe('FORBIDDEN');
    expect(errorOf(await reportAs(manager, 'no-such-brand'))?.extensions.code).toBe('NOT_FOUND');
    const anonymous = await app.graphql(REPORT, { slug });
    expect((anonymous.body.errors as { extensions: { code: string } }[] | undefined)?.[0]?.extensions.code).toBe(
      'UNAUTHENTICATED',
    );
  });
});
