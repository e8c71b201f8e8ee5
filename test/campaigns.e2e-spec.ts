import type { Session } from './support/accounts-client.js';
import { createBrand } from './support/brands-client.js';
import { employeesOf } from './support/employees.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface CampaignView {
  id: string;
  name: string;
  startsAt: string;
  endsAt: string;
  brand: { slug: string };
}

const DECLARE = `mutation($slug: String!, $name: String!, $startsAt: DateTime!, $endsAt: DateTime!) {
  declareCampaign(brandSlug: $slug, name: $name, startsAt: $startsAt, endsAt: $endsAt) { id name startsAt endsAt brand { slug } } }`;
const LIST = `query($slug: String!) { brand(slug: $slug) { campaigns(first: 10) { edges { node { id name } } } } }`;

/** A brand's managers declare campaigns, so the bursts inside them are explained; nobody else can. */
describe('campaigns (e2e)', () => {
  let app: TestApp;
  let manager: Session;
  let slug: string;

  const { sql, newUser, as, errorOf, userIdOf } = employeesOf(() => app);
  const declare = (session: Session, name: string, startsAt: string, endsAt: string) =>
    as<{ declareCampaign: CampaignView }>(session, DECLARE, { slug, name, startsAt, endsAt });

  beforeAll(async () => {
    app = await startTestApp({ RATE_LIMIT_GRAPHQL: '100000/60', EVENT_CONSUMERS_PAUSED: 'true' });
    manager = await newUser('campmanager');
    slug = await createBrand(app, manager, 'Campaign Foods');
    const brandId = (await sql<{ id: string }>(`SELECT id FROM brands WHERE slug = $1`, [slug]))[0]!.id;
    await sql(`INSERT INTO brand_managers (brand_id, user_id) VALUES ($1, $2)`, [brandId, userIdOf(manager)]);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lets a manager declare a campaign, logged as campaign.declared and listed on the brand', async () => {
    const body = await declare(manager, 'Winter launch', '2026-12-01T00:00:00Z', '2026-12-08T00:00:00Z');
    expect(body.errors).toBeUndefined();
    const campaign = body.data!.declareCampaign;
    expect(campaign).toMatchObject({
      name: 'Winter launch',
      startsAt: '2026-12-01T00:00:00.000Z',
      endsAt: '2026-12-08T00:00:00.000Z',
      brand: { slug },
    });
    const [event] = await sql<{ meta: Record<string, unknown> }>(
      `SELECT meta FROM events WHERE action = 'campaign.declared' ORDER BY id DESC LIMIT 1`,
    );
    expect(event!.meta).toMatchObject({ startsAt: '2026-12-01T00:00:00.000Z', endsAt: '2026-12-08T00:00:00.000Z' });
    const listed = await as<{ brand: { campaigns: { edges: { node: { id: string } }[] } } }>(manager, LIST, { slug });
    expect(listed.data!.brand.campaigns.edges.map((edge) => edge.node.id)).toEqual([campaign.id]);
  });

  it('refuses anyone but the brand’s managers, and hides its campaigns from them', async () => {
    const outsider = await newUser('campoutsider');
    const body = await declare(outsider, 'Fake launch', '2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z');
    expect(errorOf(body)!.extensions.code).toBe('FORBIDDEN');
    const listed = await as<{ brand: { campaigns: unknown } }>(outsider, LIST, { slug });
    expect(listed.data!.brand.campaigns).toBeNull();
  });

  it('names the bad fields: a short name, an end before the start, more than 31 days', async () => {
    const bad = errorOf(await declare(manager, 'No', '2026-12-05T00:00:00Z', '2026-12-01T00:00:00Z'))!;
    expect(bad.extensions.code).toBe('BAD_USER_INPUT');
    const fields = (bad.extensions as { fields?: { field: string }[] }).fields!.map((problem) => problem.field);
    expect(fields.sort()).toEqual(['endsAt', 'name']);
    const long = errorOf(await declare(manager, 'Forever', '2026-12-01T00:00:00Z', '2027-01-02T00:00:01Z'))!;
    expect(long.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'endsAt' }] });
  });
});
