import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { FlagsRepository } from '@boardroom/analytics';
import { LedgerChecks, fromGlobalId, inTransaction } from '@boardroom/core';
import { Role, UsersService } from '@boardroom/accounts';
import { CreditReviews } from '@boardroom/moderation';
import { sceneFiles } from './fixtures/make-fixtures.js';
import { accountsClient, type Session } from './support/accounts-client.js';
import { createBrand } from './support/brands-client.js';
import { graphqlCalls } from './support/graphql-calls.js';
import { photosClient, type PhotoView } from './support/photos-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface CreditHoldView {
  state: string;
  heldAt: string;
  appeal: string | null;
  decidedAt: string | null;
  score: number | null;
  detectors: string[] | null;
}

const HOLD = `creditHold { state heldAt appeal decidedAt score detectors }`;

/**
 * The consequences of the detectors: an account whose flags reach the withholding confidence is held, its
 * new credit withheld (the actions still happen), it is told and queued; it appeals; a moderator clears it
 * (withheld credit released) or confirms it (forfeited, and what it earned reversed).
 */
describe('credit holds (e2e)', () => {
  let app: TestApp;
  let dir: string;
  let scenes: string[];
  let moderator: Session;
  let alice: Session;
  let mallory: Session;
  let nora: Session;
  let brand: string;
  let photos: ReturnType<typeof photosClient>;

  const { call, as, errorOf } = graphqlCalls(() => app);
  const sql = <T = Record<string, unknown>>(query: string, parameters: unknown[] = []) =>
    app.app.get(DataSource).query<T[]>(query, parameters);
  const localId = (id: string) => fromGlobalId(id).localId;
  const shares = async (session: Session) =>
    (
      await sql<{ shares: number }>(
        `SELECT e.shares FROM employments e JOIN brands b ON b.id = e.brand_id WHERE e.user_id = $1 AND b.slug = $2`,
        [localId(session.user.id), brand],
      )
    )[0]?.shares ?? 0;
  const notifications = async (session: Session) =>
    (
      await as<{ me: { notifications: { edges: { node: { kind: string; message: string } }[] } } }>(
        session,
        `{ me { notifications(first: 50) { edges { node { kind message } } } } }`,
      )
    ).me.notifications.edges.map((edge) => edge.node);
  const myHold = async (session: Session) =>
    (await as<{ me: { creditHold: CreditHoldView | null } }>(session, `{ me { ${HOLD} } }`)).me.creditHold;
  const ledgerIsClean = async () => {
    const manager = app.app.get(DataSource).manager;
    for (const check of app.app.get(LedgerChecks).all()) expect(await check.differences(manager)).toEqual([]);
  };
  /** What a detector run concludes, raised through the detectors' own repository. */
  const flagAccount = (session: Session, detector: string, score: number) =>
    inTransaction(app.app.get(DataSource), (manager) =>
      app.app
        .get(FlagsRepository)
        .upsertFlags(
          manager,
          { code: detector, version: 'test' },
          [{ subjectType: 'ACCOUNT', subjectId: localId(session.user.id), score, evidence: { planted: true } }],
          new Date(),
        ),
    );
  const appeal = (session: Session, reason: string) =>
    call<{ appealFlag: boolean }>(session, `mutation($r: String!) { appealFlag(reason: $r) }`, { r: reason });
  const decide = (session: Session, handle: string, decision: string, reason = 'Reviewed the evidence') =>
    call<{ decideCreditHold: boolean }>(
      session,
      `mutation($h: String!, $d: CreditHoldDecision!, $r: String!) { decideCreditHold(handle: $h, decision: $d, reason: $r) }`,
      { h: handle, d: decision, r: reason },
    );
  const comment = (session: Session, photoId: string, body: string) =>
    as(session, `mutation($id: ID!, $body: String!) { commentOnPhoto(photoId: $id, body: $body) { id } }`, {
      id: photoId,
      body,
    });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-holds-fixtures-'));
    scenes = await sceneFiles(dir, [701, 702, 703, 704, 705, 706, 707]);
    app = await startTestApp({
      JOBS_IN_API: 'true',
      JOBS_POLL_INTERVAL_MS: '50',
      RATE_LIMIT_GRAPHQL: '100000/60',
      RATE_LIMIT_UPLOADS: '1000/60',
      RATE_LIMIT_COMMENTS: '1000/60',
      // The game core alone: award bonuses (FIRST_PHOTO, …) would add to every number here.
      EVENT_CONSUMERS_PAUSED: 'awards,invites',
    });
    photos = photosClient(app);
    const signUp = async (email: string, handle: string) =>
      (await accountsClient(app).signUp({ email, handle })).body.data!.signUp;
    moderator = await signUp('mod@example.com', 'mod');
    alice = await signUp('alice@example.com', 'alice');
    mallory = await signUp('mallory@example.com', 'mallory');
    nora = await signUp('nora@example.com', 'nora');
    await app.app.get(UsersService).grantRole('mod@example.com', Role.MODERATOR);
    brand = await createBrand(app, alice, 'Held Hazelnuts');
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  let alicePhoto: PhotoView;
  let withheldPhoto: PhotoView;

  it('holds an account whose flags reach the confidence, tells it in general terms and queues it', async () => {
    alicePhoto = await photos.publish(alice, brand, scenes[0]!);
    const before = await photos.publish(mallory, brand, scenes[1]!);
    expect(before).toMatchObject({ sharesAwarded: 10, sharesWithheld: null });

    await flagAccount(mallory, 'LOCKSTEP_GROUPS', 0.9);
    // Two weak signals below the confidence together (1 − 0.6 · 0.7 = 0.58 < 0.8): not held.
    await flagAccount(nora, 'YOUNG_ACCOUNTS', 0.4);
    await flagAccount(nora, 'SHARED_FINGERPRINTS', 0.3);
    const reviews = app.app.get(CreditReviews);
    expect((await reviews.holdSuspicious()).map((hold) => hold.userId)).toEqual([localId(mallory.user.id)]);
    expect(await reviews.holdSuspicious()).toEqual([]);

    const told = (await notifications(mallory)).filter((n) => n.kind === 'CREDIT_WITHHELD');
    expect(told).toHaveLength(1);
    expect(told[0]!.message).toMatch(/on hold until a moderator reviews it/);
    expect(told[0]!.message).not.toMatch(/LOCKSTEP|0\.9/);
    // The user sees the hold without the evidence; staff see the score and detectors.
    expect(await myHold(mallory)).toMatchObject({ state: 'HELD', appeal: null, score: null, detectors: null });
    const { user } = await as<{ user: { creditHold: CreditHoldView } }>(
      moderator,
      `query($h: String!) { user(handle: $h) { ${HOLD} } }`,
      { h: 'mallory' },
    );
    expect(user.creditHold).toMatchObject({ state: 'HELD', score: 0.9, detectors: ['LOCKSTEP_GROUPS'] });
    const { user: seenByOthers } = await as<{ user: { creditHold: CreditHoldView | null } }>(
      alice,
      `query($h: String!) { user(handle: $h) { ${HOLD} } }`,
      { h: 'mallory' },
    );
    expect(seenByOthers.creditHold).toBeNull();
    expect(await myHold(nora)).toBeNull();

    const queue = await as<{
      moderationQueue: { edges: { node: { reasons: string[]; user: { handle: string } | null } }[] };
    }>(moderator, `{ moderationQueue(first: 10) { edges { node { reasons user { handle } } } } }`);
    expect(queue.moderationQueue.edges.map((edge) => edge.node)).toEqual([
      { reasons: ['FAKE_ENGAGEMENT'], user: { handle: 'mallory' } },
    ]);
  });

  it("withholds a held account's new credit while its actions still happen", async () => {
    withheldPhoto = await photos.publish(mallory, brand, scenes[2]!);
    expect(withheldPhoto).toMatchObject({ status: 'PUBLISHED', sharesAwarded: 0, sharesWithheld: 'FLAGGED' });
    await comment(mallory, alicePhoto.id, 'What a lovely shot of the hazelnut grove');
    expect(await shares(mallory)).toBe(10);
    const withheld = await sql<{ reason: string; shares: number; state: string }>(
      `SELECT reason, shares, state FROM withheld_credits WHERE user_id = $1 ORDER BY id`,
      [localId(mallory.user.id)],
    );
    expect(withheld).toEqual([
      { reason: 'PHOTO_PUBLISHED', shares: 10, state: 'PENDING' },
      { reason: 'COMMENT_POSTED', shares: 1, state: 'PENDING' },
    ]);
    await ledgerIsClean();
  });

  it('takes one appeal from the held user only', async () => {
    expect(await errorOf(nora, `mutation { appealFlag(reason: "Why?") }`)).toMatchObject({ code: 'NOT_FOUND' });
    expect((await appeal(mallory, '   ')).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((await appeal(mallory, 'I really love these hazelnuts')).data).toEqual({ appealFlag: true });
    expect((await appeal(mallory, 'Again')).errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'ALREADY_APPEALED',
    });
    expect(await myHold(mallory)).toMatchObject({ state: 'APPEALED', appeal: 'I really love these hazelnuts' });
  });

  it('clears a hold: the withheld credit is released through restoration entries and credit flows again', async () => {
    expect((await decide(alice, 'mallory', 'CLEAR')).errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect((await decide(moderator, 'nora', 'CLEAR')).errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect((await decide(moderator, 'mallory', 'CLEAR', 'A real fan')).data).toEqual({ decideCreditHold: true });
    expect((await decide(moderator, 'mallory', 'CLEAR')).errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });

    expect(await shares(mallory)).toBe(21);
    expect(await photos.photo(mallory, withheldPhoto.id)).toMatchObject({ sharesAwarded: 10, sharesWithheld: null });
    const entries = await sql<{ reason: string; source_type: string; idempotency_key: string }>(
      `SELECT reason, source_type, idempotency_key FROM share_ledger WHERE user_id = $1 AND reason = 'RESTORED' ORDER BY id`,
      [localId(mallory.user.id)],
    );
    expect(entries.map((entry) => [entry.reason, entry.source_type, entry.idempotency_key.split(':')[0]])).toEqual([
      ['RESTORED', 'withheld', 'photo'],
      ['RESTORED', 'withheld', 'comment'],
    ]);
    expect(await myHold(mallory)).toMatchObject({ state: 'CLEARED' });
    expect((await notifications(mallory)).map((n) => n.kind)).toContain('CREDIT_RELEASED');
    const flags = await sql<{ state: string }>(`SELECT state FROM flags WHERE subject_id = $1`, [
      localId(mallory.user.id),
    ]);
    expect(flags).toEqual([{ state: 'CLEARED' }]);
    // The decision left the queue and is in the audit log.
    const queue = await as<{ moderationQueue: { edges: unknown[] } }>(
      moderator,
      `{ moderationQueue(first: 10) { edges { node { targetId } } } }`,
    );
    expect(queue.moderationQueue.edges).toEqual([]);
    const [decision] = await sql<{ action: string }>(`SELECT action FROM moderation_decisions WHERE target_id = $1`, [
      localId(mallory.user.id),
    ]);
    expect(decision).toEqual({ action: 'CLEAR_CREDIT_HOLD' });

    // A released photo is reversed like any other when deleted; a new one earns at once.
    await as(mallory, `mutation($id: ID!) { deletePhoto(id: $id) }`, { id: withheldPhoto.id });
    expect(await shares(mallory)).toBe(11);
    expect(await photos.publish(mallory, brand, scenes[3]!)).toMatchObject({ sharesAwarded: 10, sharesWithheld: null });
    expect(await shares(mallory)).toBe(21);
    // Cleared flags do not hold the account again.
    expect(await app.app.get(CreditReviews).holdSuspicious()).toEqual([]);
    await ledgerIsClean();
  });

  it('confirms a hold: withheld credit is forfeited, what the account earned reversed, and new credit stays withheld', async () => {
    await photos.publish(nora, brand, scenes[4]!);
    expect(await shares(nora)).toBe(10);
    await flagAccount(nora, 'NEAR_DUPLICATE_PHOTOS', 0.95);
    expect((await app.app.get(CreditReviews).holdSuspicious()).map((hold) => hold.userId)).toEqual([
      localId(nora.user.id),
    ]);
    const held = await photos.publish(nora, brand, scenes[5]!);
    expect(held.sharesWithheld).toBe('FLAGGED');
    await comment(nora, alicePhoto.id, 'Nice hazelnuts, really very nice');
    // Deleting the withheld photo cancels its credit: it can never be released.
    await as(nora, `mutation($id: ID!) { deletePhoto(id: $id) }`, { id: held.id });

    expect((await decide(moderator, 'nora', 'CONFIRM', 'A farm account')).data).toEqual({ decideCreditHold: true });
    expect(await shares(nora)).toBe(0);
    const withheld = await sql<{ reason: string; state: string }>(
      `SELECT reason, state FROM withheld_credits WHERE user_id = $1 ORDER BY id`,
      [localId(nora.user.id)],
    );
    expect(withheld).toEqual([
      { reason: 'PHOTO_PUBLISHED', state: 'CANCELLED' },
      { reason: 'COMMENT_POSTED', state: 'FORFEITED' },
    ]);
    expect(await myHold(nora)).toMatchObject({ state: 'CONFIRMED' });
    expect((await appeal(nora, 'Please')).errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'ALREADY_DECIDED',
    });
    expect(await photos.publish(nora, brand, scenes[6]!)).toMatchObject({
      sharesAwarded: 0,
      sharesWithheld: 'FLAGGED',
    });
    expect(await shares(nora)).toBe(0);
    expect((await notifications(nora)).filter((n) => n.kind === 'CREDIT_WITHHELD')).toHaveLength(2);
    const audit = await as<{ auditLog: { edges: { node: { action: string } }[] } }>(
      await promoteToAdmin(),
      `{ auditLog(first: 5) { edges { node { action } } } }`,
    );
    const actions = audit.auditLog.edges.map((edge) => edge.node.action);
    expect(actions.filter((action) => action.startsWith('credit_hold.'))).toEqual([
      'credit_hold.confirmed',
      'credit_hold.cleared',
    ]);
    await ledgerIsClean();
  });

  async function promoteToAdmin(): Promise<Session> {
    await app.app.get(UsersService).grantRole('alice@example.com', Role.ADMIN);
    return alice;
  }
});
