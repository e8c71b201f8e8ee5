import { DataSource } from 'typeorm';
import { readMailFolder } from '../libs/accounts/src/mail/mail-folder.js';
import { accountsClient, bearer, type Session } from './support/accounts-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('brands and claims (e2e)', () => {
  let app: TestApp;
  let alice: Session;
  let admin: Session;

  async function verifiedUser(email: string, handle: string): Promise<Session> {
    const { body } = await accountsClient(app).signUp({ email, handle });
    const mail = (await readMailFolder(app.dataDir)).filter((m) => m.to.includes(email)).at(-1)!;
    const token = decodeURIComponent(/token=([A-Za-z0-9_%-]+)/.exec(mail.text)![1]!);
    await app.graphql(`mutation($t: String!) { verifyEmail(token: $t) { id } }`, { t: token });
    return body.data!.signUp;
  }

  const createBrand = (session: Session | null, input: Record<string, unknown>) =>
    app.graphql<{ createBrand: { slug: string; name: string; claimed: boolean } }>(
      `mutation($input: CreateBrandInput!) { createBrand(input: $input) { slug name claimed } }`,
      { input },
      session ? bearer(session.accessToken) : {},
    );

  beforeAll(async () => {
    app = await startTestApp({ ADMIN_EMAILS: 'admin@example.com' });
    alice = await verifiedUser('alice@example.com', 'alice');
    admin = await verifiedUser('admin@example.com', 'admin');
  });
  afterAll(() => app?.close());

  it('creates a brand with a slug from its name', async () => {
    const { body } = await createBrand(alice, {
      name: 'Nutella',
      website: 'https://www.nutella.com/fr/',
      description: 'Hazelnut spread',
    });
    expect(body.data).toEqual({ createBrand: { slug: 'nutella', name: 'Nutella', claimed: false } });
    expect((await createBrand(alice, { name: 'Crème Brûlée Co.' })).body.data?.createBrand.slug).toBe(
      'creme-brulee-co',
    );
    expect((await createBrand(alice, { name: 'ブランド' })).body.data?.createBrand.slug).toMatch(
      /^brand-[0-9a-f]{10}$/,
    );
  });

  it('refuses the same brand under another spelling or the same website, with the candidates', async () => {
    for (const name of ['nutella!', 'NUTELLA®', '  Nutella™ ']) {
      const { body } = await createBrand(alice, { name });
      expect(body.errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        reason: 'DUPLICATE_BRAND',
        existingSlug: 'nutella',
        candidates: [{ slug: 'nutella', name: 'Nutella', similarity: 1 }],
      });
    }
    const sameSite = await createBrand(alice, { name: 'Ferrero Spread', website: 'nutella.com/about' });
    expect(sameSite.body.errors?.[0]?.extensions).toMatchObject({ reason: 'DUPLICATE_BRAND', existingSlug: 'nutella' });
  });

  it('creates a distinct brand with a similar name when the user confirms, and records that choice', async () => {
    expect((await createBrand(alice, { name: 'Philips' })).body.data?.createBrand.slug).toBe('philips');
    const similar = await createBrand(alice, { name: 'Phillips' });
    expect(similar.body.errors?.[0]?.extensions).toMatchObject({ reason: 'DUPLICATE_BRAND', existingSlug: 'philips' });
    const confirmed = await createBrand(alice, { name: 'Phillips', confirmDistinct: true });
    expect(confirmed.body.data?.createBrand.slug).toBe('phillips');
    const [event] = await app.app
      .get(DataSource)
      .query(`SELECT meta FROM events WHERE action = 'brand.distinct_confirmed' ORDER BY id DESC LIMIT 1`);
    expect(event.meta.candidates).toEqual([{ slug: 'philips', similarity: expect.any(Number) }]);
  });

  it('refuses anonymous creation and bad input', async () => {
    expect((await createBrand(null, { name: 'Acme' })).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const badSite = await createBrand(alice, { name: 'Acme', website: 'javascript:alert(1)' });
    expect(badSite.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.website' }],
    });
    const empty = await createBrand(alice, { name: '   ' });
    expect(empty.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.name' }],
    });
  });

  it('lets only one of two concurrent creations of the same brand through', async () => {
    const results = await Promise.all([
      createBrand(alice, { name: 'Zenith Watches' }),
      createBrand(admin, { name: 'zenith watches!' }),
    ]);
    expect(results.filter((r) => r.body.data?.createBrand).length).toBe(1);
    expect(results.filter((r) => r.body.errors?.[0]?.extensions?.reason === 'DUPLICATE_BRAND').length).toBe(1);
  });

  it('finds brands by similarity and pages through all of them', async () => {
    const found = await app.graphql<{ brands: { edges: { node: { slug: string } }[] } }>(
      `{ brands(search: "nutela") { edges { node { slug } } } }`,
    );
    expect(found.body.data?.brands.edges[0]?.node.slug).toBe('nutella');
    const bySlug = await app.graphql(`{ brand(slug: "NUTELLA") { name website description claimed } }`);
    expect(bySlug.body.data).toEqual({
      brand: {
        name: 'Nutella',
        website: 'https://www.nutella.com/fr/',
        description: 'Hazelnut spread',
        claimed: false,
      },
    });

    const slugs: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const response: {
        body: {
          data?: {
            brands: { edges: { node: { slug: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
          } | null;
        };
      } = await app.graphql(
        `query($after: String) { brands(first: 2, after: $after) { edges { node { slug } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      slugs.push(...response.body.data!.brands.edges.map((e) => e.node.slug));
      if (!response.body.data!.brands.pageInfo.hasNextPage) break;
      after = response.body.data!.brands.pageInfo.endCursor;
    }
    expect(slugs).toEqual([...slugs].sort());
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(slugs).toEqual(expect.arrayContaining(['nutella', 'philips', 'phillips', 'creme-brulee-co']));
  });

  it('takes a claim from a verified user and lets an administrator, never the claimant, decide it', async () => {
    const unverified = (await accountsClient(app).signUp({ email: 'late@example.com', handle: 'late' })).body.data!
      .signUp;
    const refused = await app.graphql(
      `mutation { claimBrand(slug: "nutella") { id } }`,
      undefined,
      bearer(unverified.accessToken),
    );
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const claimQuery = `mutation { claimBrand(slug: "nutella") { id status verificationToken brand { slug } claimant { handle } } }`;
    const claimed = await app.graphql<{ claimBrand: { id: string; status: string; verificationToken: string } }>(
      claimQuery,
      undefined,
      bearer(alice.accessToken),
    );
    expect(claimed.body.data?.claimBrand).toMatchObject({
      status: 'PENDING',
      brand: { slug: 'nutella' },
      claimant: { handle: 'alice' },
    });
    expect(claimed.body.data?.claimBrand.verificationToken).toMatch(/^boardroom-verification=[0-9a-f]{32}$/);
    const again = await app.graphql<{ claimBrand: { id: string } }>(claimQuery, undefined, bearer(alice.accessToken));
    expect(again.body.data?.claimBrand.id).toBe(claimed.body.data?.claimBrand.id);
    const claimId = claimed.body.data!.claimBrand.id;

    const list = `{ brandClaims { edges { node { id verificationToken brand { slug } } } } }`;
    expect((await app.graphql(list, undefined, bearer(alice.accessToken))).body.errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    const listed = await app.graphql<{ brandClaims: { edges: { node: { id: string } }[] } }>(
      list,
      undefined,
      bearer(admin.accessToken),
    );
    expect(listed.body.data?.brandClaims.edges.map((e) => e.node.id)).toContain(claimId);

    const decide = `mutation($id: ID!, $approve: Boolean!) { decideBrandClaim(id: $id, approve: $approve) { status decidedAt } }`;
    const adminClaim = await app.graphql<{ claimBrand: { id: string } }>(
      `mutation { claimBrand(slug: "philips") { id } }`,
      undefined,
      bearer(admin.accessToken),
    );
    const own = await app.graphql(
      decide,
      { id: adminClaim.body.data!.claimBrand.id, approve: true },
      bearer(admin.accessToken),
    );
    expect(own.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(
      (await app.graphql(decide, { id: claimId, approve: true }, bearer(alice.accessToken))).body.errors?.[0]
        ?.extensions?.code,
    ).toBe('FORBIDDEN');

    const approved = await app.graphql(decide, { id: claimId, approve: true }, bearer(admin.accessToken));
    expect(approved.body.data).toEqual({ decideBrandClaim: { status: 'APPROVED', decidedAt: expect.any(String) } });
    expect(
      (await app.graphql(decide, { id: claimId, approve: false }, bearer(admin.accessToken))).body.errors?.[0]
        ?.extensions,
    ).toMatchObject({
      code: 'CONFLICT',
    });

    const me = await app.graphql<{ me: { roles: string[] } }>(`{ me { roles } }`, undefined, bearer(alice.accessToken));
    expect(me.body.data?.me.roles).toEqual(['CONSUMER', 'BRAND_MANAGER']);
    const brandQuery = `{ brand(slug: "nutella") { claimed managers { handle } } }`;
    expect((await app.graphql(brandQuery, undefined, bearer(alice.accessToken))).body.data).toEqual({
      brand: { claimed: true, managers: [{ handle: 'alice' }] },
    });
    expect((await app.graphql(brandQuery, undefined, bearer(admin.accessToken))).body.data?.brand).toMatchObject({
      managers: [{ handle: 'alice' }],
    });
    expect((await app.graphql(brandQuery, undefined, bearer(unverified.accessToken))).body.data).toEqual({
      brand: { claimed: true, managers: null },
    });
    expect(
      (await app.graphql(`mutation { claimBrand(slug: "nutella") { id } }`, undefined, bearer(alice.accessToken))).body
        .errors?.[0]?.extensions,
    ).toMatchObject({
      code: 'CONFLICT',
      reason: 'ALREADY_MANAGER',
    });
  });
});
