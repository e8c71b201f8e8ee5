import jwt from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { readMailFolder } from '../libs/accounts/src/mail/mail-folder.js';
import { distEntry } from './support/build.js';
import { accountsClient, bearer, type Session } from './support/accounts-client.js';
import { AuthProbeModule } from './support/auth-probe.module.js';
import { runNode } from './support/run-process.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const JWT_SECRET = 'a-test-signing-secret-of-enough-length-0123456789';
const PREVIOUS_JWT_SECRET = 'the-previous-signing-secret-still-accepted-0123';

describe('accounts and sessions (e2e)', () => {
  let app: TestApp;
  let client: ReturnType<typeof accountsClient>;

  beforeAll(async () => {
    app = await startTestApp(
      {
        JWT_SIGNING_KEYS: `test:${JWT_SECRET},previous:${PREVIOUS_JWT_SECRET}`,
        ADMIN_EMAILS: 'Boss@Example.com',
        PUBLIC_URL: 'https://boardroom.example',
      },
      { extraModules: [AuthProbeModule] },
    );
    client = accountsClient(app);
  });
  afterAll(() => app?.close());

  /** The token of the newest mail to `to` whose link goes to `path`. */
  async function mailedToken(to: string, path: string): Promise<string> {
    const mails = (await readMailFolder(app.dataDir)).filter(
      (m) => m.to.includes(to) && m.text.includes(`/${path}?token=`),
    );
    const link = /https:\/\/boardroom\.example\/[a-z-]+\?token=([A-Za-z0-9_%-]+)/.exec(mails.at(-1)?.text ?? '');
    if (!link) throw new Error(`no ${path} mail to ${to}`);
    return decodeURIComponent(link[1]!);
  }

  async function signUpAndVerify(email: string, handle: string): Promise<Session> {
    const { body } = await client.signUp({ email, handle });
    expect(body.errors).toBeUndefined();
    const token = await mailedToken(email, 'verify-email');
    const verified = await app.graphql(`mutation($t: String!) { verifyEmail(token: $t) { handle } }`, { t: token });
    expect(verified.body.errors).toBeUndefined();
    return body.data!.signUp;
  }

  it('shows the new session’s own private fields in the payload of signUp and logIn, and to no one else', async () => {
    const PRIVATE = `user { handle email roles emailVerified }`;
    const signedUp = await app.graphql<{ signUp: { user: Record<string, unknown> } }>(
      `mutation($input: SignUpInput!) { signUp(input: $input) { ${PRIVATE} } }`,
      {
        input: { email: 'payload@example.com', handle: 'payload', displayName: 'P', password: 'correct horse battery' },
      },
    );
    expect(signedUp.body.data?.signUp.user).toEqual({
      handle: 'payload',
      email: 'payload@example.com',
      roles: ['CONSUMER'],
      emailVerified: false,
    });
    const loggedIn = await app.graphql<{ logIn: { user: Record<string, unknown> } }>(
      `mutation { logIn(email: "payload@example.com", password: "correct horse battery") { ${PRIVATE} } }`,
    );
    expect(loggedIn.body.data?.logIn.user).toMatchObject({ email: 'payload@example.com', roles: ['CONSUMER'] });
    const failed = await app.graphql(
      `mutation { logIn(email: "payload@example.com", password: "wrong horse battery") { ${PRIVATE} } }`,
    );
    expect(failed.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await app.graphql(`{ user(handle: "payload") { email roles } }`)).body.data).toEqual({
      user: { email: null, roles: null },
    });
  });

  it('signs up, verifies the mailed link, logs in and knows who is signed in', async () => {
    const signedUp = await client.signUp({ email: 'ada@example.com', handle: 'Ada_L', displayName: '  Ada  ' });
    expect(signedUp.body.errors).toBeUndefined();
    const session = signedUp.body.data!.signUp;
    expect(session.user.handle).toBe('ada_l');
    expect((await client.me(session.accessToken)).body.data?.me).toEqual({
      handle: 'ada_l',
      email: 'ada@example.com',
      roles: ['CONSUMER'],
      emailVerified: false,
    });

    const token = await mailedToken('ada@example.com', 'verify-email');
    const verified = await app.graphql(`mutation($t: String!) { verifyEmail(token: $t) { handle } }`, { t: token });
    expect(verified.body.errors).toBeUndefined();
    expect(verified.body.data).toEqual({ verifyEmail: { handle: 'ada_l' } });
    const reused = await app.graphql(`mutation($t: String!) { verifyEmail(token: $t) { handle } }`, { t: token });
    expect(reused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const loggedIn = await client.logIn('ADA@example.com', 'correct horse battery');
    expect(loggedIn.body.errors).toBeUndefined();
    expect((await client.me(loggedIn.body.data!.logIn.accessToken)).body.data?.me).toMatchObject({
      emailVerified: true,
    });
    expect((await app.graphql(`{ me { handle } }`)).body.data).toEqual({ me: null });
  });

  it('rotates refresh tokens, and a replayed one ends the whole session', async () => {
    const first = (await client.logIn('ada@example.com', 'correct horse battery')).body.data!.logIn;
    const second = (await client.refresh(first.refreshToken)).body.data!.refreshSession;
    const third = (await client.refresh(second.refreshToken)).body.data!.refreshSession;
    expect(new Set([first.refreshToken, second.refreshToken, third.refreshToken]).size).toBe(3);
    expect((await client.me(third.accessToken)).body.data?.me?.handle).toBe('ada_l');

    const replay = await client.refresh(first.refreshToken);
    expect(replay.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // The thief and the owner alike: the newest token and the session's access tokens are dead.
    expect((await client.refresh(third.refreshToken)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await client.me(third.accessToken)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('logs out: the refresh token and the access token of that session stop working', async () => {
    const session = (await client.logIn('ada@example.com', 'correct horse battery')).body.data!.logIn;
    const other = (await client.logIn('ada@example.com', 'correct horse battery')).body.data!.logIn;
    const out = await app.graphql(`mutation($t: String!) { logOut(refreshToken: $t) }`, { t: session.refreshToken });
    expect(out.body.data).toEqual({ logOut: true });
    expect((await client.refresh(session.refreshToken)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await client.me(session.accessToken)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await client.me(other.accessToken)).body.data?.me?.handle).toBe('ada_l');
  });

  it('resets a password through the mailed link and ends every old session', async () => {
    const old = (await client.logIn('ada@example.com', 'correct horse battery')).body.data!.logIn;
    const asked = await app.graphql(`mutation { requestPasswordReset(email: "ada@example.com") }`);
    expect(asked.body.data).toEqual({ requestPasswordReset: true });
    const unknown = await app.graphql(`mutation { requestPasswordReset(email: "nobody@example.com") }`);
    expect(unknown.body.data).toEqual({ requestPasswordReset: true });

    let token = '';
    for (let i = 0; i < 50 && !token; i++) {
      token = await mailedToken('ada@example.com', 'reset-password').catch(() => '');
      if (!token) await new Promise((r) => setTimeout(r, 50));
    }
    const weak = await app.graphql(`mutation($t: String!) { resetPassword(token: $t, newPassword: "short") }`, {
      t: token,
    });
    expect(weak.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'newPassword' }],
    });

    const reset = await app.graphql(
      `mutation($t: String!) { resetPassword(token: $t, newPassword: "a brand new passphrase") }`,
      {
        t: token,
      },
    );
    expect(reset.body.data).toEqual({ resetPassword: true });
    expect((await client.refresh(old.refreshToken)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await client.me(old.accessToken)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await client.logIn('ada@example.com', 'correct horse battery')).body.errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect((await client.logIn('ada@example.com', 'a brand new passphrase')).body.errors).toBeUndefined();
    const again = await app.graphql(
      `mutation($t: String!) { resetPassword(token: $t, newPassword: "yet another passphrase") }`,
      {
        t: token,
      },
    );
    expect(again.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a taken email or handle, in any case, with the contract reasons', async () => {
    const email = await client.signUp({ email: 'ADA@EXAMPLE.COM', handle: 'someone_new' });
    expect(email.body.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', reason: 'EMAIL_TAKEN' });
    const handle = await client.signUp({ email: 'another@example.com', handle: 'ADA_L' });
    expect(handle.body.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', reason: 'HANDLE_TAKEN' });
  });

  it('refuses invalid input with a field error per problem', async () => {
    const { body } = await client.signUp({
      email: 'not-an-email',
      handle: 'no',
      password: 'short',
      displayName: '   ',
    });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const fields = (body.errors?.[0]?.extensions?.fields as { field: string }[]).map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['input.email', 'input.handle', 'input.displayName']));

    const weak = await client.signUp({ email: 'weak@example.com', handle: 'weakling', password: 'weak@example.com' });
    expect(weak.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.password' }],
    });
  });

  it('refuses a protected operation without a token, with an expired one, a forged one, or an unknown key', async () => {
    const session = (await client.logIn('ada@example.com', 'a brand new passphrase')).body.data!.logIn;
    const claims = jwt.decode(session.accessToken) as { sub: string; sid: string };
    expect((await app.graphql(`{ probeSignedIn }`, undefined, bearer(session.accessToken))).body.data).toEqual({
      probeSignedIn: claims.sub,
    });
    const attempts = {
      none: {},
      expired: bearer(
        jwt.sign(
          { sub: claims.sub, sid: claims.sid, iss: 'boardroom', exp: Math.floor(Date.now() / 1000) - 60 },
          JWT_SECRET,
          { keyid: 'test' },
        ),
      ),
      forged: bearer(
        jwt.sign({ sub: claims.sub, sid: claims.sid }, 'an-attackers-own-secret-0123456789abcdef', {
          keyid: 'test',
          issuer: 'boardroom',
          expiresIn: 600,
        }),
      ),
      unknownKey: bearer(
        jwt.sign({ sub: claims.sub, sid: claims.sid }, JWT_SECRET, {
          keyid: 'other',
          issuer: 'boardroom',
          expiresIn: 600,
        }),
      ),
      garbage: bearer('not.a.token'),
    };
    for (const [name, headers] of Object.entries(attempts)) {
      const { body } = await app.graphql(`{ probeSignedIn }`, undefined, headers);
      expect([name, body.errors?.[0]?.extensions?.code]).toEqual([name, 'UNAUTHENTICATED']);
    }
    expect(
      (await app.graphql(`{ probeAdminOnly }`, undefined, bearer(session.accessToken))).body.errors?.[0]?.extensions
        ?.code,
    ).toBe('FORBIDDEN');
    // During a key rotation, tokens signed with the previous key stay valid.
    expect(jwt.decode(session.accessToken, { complete: true })?.header.kid).toBe('test');
    const rotated = jwt.sign({ sub: claims.sub, sid: claims.sid }, PREVIOUS_JWT_SECRET, {
      keyid: 'previous',
      issuer: 'boardroom',
      expiresIn: 600,
    });
    expect((await app.graphql(`{ probeSignedIn }`, undefined, bearer(rotated))).body.data).toEqual({
      probeSignedIn: claims.sub,
    });
  });

  it("hides another user's email, roles and verification state", async () => {
    const bea = await signUpAndVerify('bea@example.com', 'bea');
    const query = `{ user(handle: "ADA_L") { handle displayName email roles emailVerified } }`;
    expect((await app.graphql(query, undefined, bearer(bea.accessToken))).body.data).toEqual({
      user: { handle: 'ada_l', displayName: 'Ada', email: null, roles: null, emailVerified: null },
    });
    expect((await app.graphql(query)).body.data?.user).toMatchObject({ email: null, roles: null });
    // node(id:) resolves users with the same rules.
    const { body } = await app.graphql<{ user: { id: string } }>(`{ user(handle: "ada_l") { id } }`);
    const node = await app.graphql(
      `query($id: ID!) { node(id: $id) { ... on User { handle email } } }`,
      { id: body.data!.user.id },
      bearer(bea.accessToken),
    );
    expect(node.body.data).toEqual({ node: { handle: 'ada_l', email: null } });
    const ada = (await client.logIn('ada@example.com', 'a brand new passphrase')).body.data!.logIn;
    expect((await app.graphql(query, undefined, bearer(ada.accessToken))).body.data?.user).toMatchObject({
      email: 'ada@example.com',
    });
  });

  it('locks an email out for the window after 5 failed log-ins, even with the right password then', async () => {
    await signUpAndVerify('cleo@example.com', 'cleo');
    for (let i = 0; i < 5; i++) {
      const wrong = await client.logIn('cleo@example.com', `wrong password ${i}`);
      expect(wrong.body.errors?.[0]).toMatchObject({
        message: 'The email or password is incorrect.',
        extensions: { code: 'UNAUTHENTICATED' },
      });
    }
    const locked = await client.logIn('cleo@example.com', 'correct horse battery');
    expect(locked.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(locked.body.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(800);
    // The same answer for an address without an account.
    const unknown = await client.logIn('nobody@example.com', 'whatever password');
    expect(unknown.body.errors?.[0]).toMatchObject({
      message: 'The email or password is incorrect.',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect((await client.logIn('ada@example.com', 'a brand new passphrase')).body.errors).toBeUndefined();
  });

  it('makes an ADMIN_EMAILS address ADMIN only once it is verified', async () => {
    const { body } = await client.signUp({ email: 'boss@example.com', handle: 'boss' });
    const session = body.data!.signUp;
    expect((await client.me(session.accessToken)).body.data?.me?.roles).toEqual(['CONSUMER']);
    const token = await mailedToken('boss@example.com', 'verify-email');
    await app.graphql(`mutation($t: String!) { verifyEmail(token: $t) { handle } }`, { t: token });
    expect((await client.me(session.accessToken)).body.data?.me?.roles).toEqual(['CONSUMER', 'ADMIN']);
    expect((await app.graphql(`{ probeAdminOnly }`, undefined, bearer(session.accessToken))).body.data).toEqual({
      probeAdminOnly: true,
    });
    // An admin sees private fields of others.
    const seen = await app.graphql(`{ user(handle: "ada_l") { email } }`, undefined, bearer(session.accessToken));
    expect(seen.body.data).toEqual({ user: { email: 'ada@example.com' } });
  });

  it('grants a role from the CLI while the server runs, effective on the next request', async () => {
    const dana = await signUpAndVerify('dana@example.com', 'dana');
    const env = {
      DATA_DIR: app.dataDir,
      JWT_SIGNING_KEYS: `test:${JWT_SECRET}`,
      ...(app.config.database.url ? { DATABASE_URL: app.config.database.url } : {}),
    };
    const granted = await runNode(
      distEntry('cli'),
      ['grant-role', '--email', 'dana@example.com', '--role', 'MODERATOR'],
      env,
    );
    expect(granted.stdout).toContain('@dana');
    expect(granted.code).toBe(0);
    expect((await client.me(dana.accessToken)).body.data?.me?.roles).toEqual(['CONSUMER', 'MODERATOR']);
    const unknown = await runNode(
      distEntry('cli'),
      ['grant-role', '--email', 'ghost@example.com', '--role', 'ADMIN'],
      env,
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/not found/);
  });

  it('refuses a banned user at once', async () => {
    const eve = await signUpAndVerify('eve@example.com', 'eve');
    await app.app.get(DataSource).query(`UPDATE users SET banned_at = now() WHERE handle = 'eve'`);
    expect((await client.me(eve.accessToken)).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await client.logIn('eve@example.com', 'correct horse battery')).body.errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await client.refresh(eve.refreshToken)).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('logs account events with keyed hashes of the address and the device, never the raw values', async () => {
    await client.signUp({ email: 'finn@example.com', handle: 'finn' }, { 'x-device-id': 'device-finn-1' });
    const [event] = await app.app.get(DataSource).query(
      `SELECT e.device_fingerprint, e.network_fingerprint FROM events e JOIN users u ON u.id = e.actor_id
          WHERE e.action = 'account.signed_up' AND u.handle = 'finn'`,
    );
    expect(event.device_fingerprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(event.network_fingerprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const actions = (
      await app.app.get(DataSource).query(`SELECT DISTINCT action FROM events WHERE action LIKE 'account.%'`)
    ).map((r: { action: string }) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'account.signed_up',
        'account.email_verified',
        'account.logged_in',
        'account.refresh_reuse_detected',
        'account.password_reset',
        'account.role_granted',
      ]),
    );
    const raw = await app.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM events WHERE events::text LIKE '%device-finn-1%'`);
    expect(raw[0].n).toBe(0);
  });
});

describe('sign-ups per address (e2e)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ SIGNUPS_PER_IP_PER_HOUR: '2' });
  });
  afterAll(() => app?.close());

  it('limits sign-ups from one client address', async () => {
    const client = accountsClient(app);
    expect((await client.signUp({ email: 'one@example.com', handle: 'one' })).body.errors).toBeUndefined();
    expect((await client.signUp({ email: 'two@example.com', handle: 'two' })).body.errors).toBeUndefined();
    const third = await client.signUp({ email: 'three@example.com', handle: 'three' });
    expect(third.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
  });
});
