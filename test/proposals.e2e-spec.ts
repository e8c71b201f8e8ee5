import { fromGlobalId } from '@boardroom/core';
import type { Session } from './support/accounts-client.js';
import { createBrand } from './support/brands-client.js';
import { employeesOf } from './support/employees.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface ProposalView {
  id: string;
  title: string;
  votes: number;
  myVote: boolean;
  status: string;
  brandResponse: string | null;
}
interface ProposalPage {
  edges: { cursor: string; node: ProposalView }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const FIELDS = `id title votes myVote status brandResponse`;
const BODY = 'Let us run a tasting day in every store this spring.';

/** Employees propose and vote once each; the brand answers and the author and voters are told. */
describe('proposals (e2e)', () => {
  let app: TestApp;
  let owner: Session;
  let author: Session;
  let slug: string;
  let brandId: string;

  const { sql, newUser, as, errorOf, userIdOf, giveShares } = employeesOf(() => app);
  const newEmployee = async (handle: string) => {
    const session = await newUser(handle);
    await giveShares(session, brandId, 1);
    return session;
  };
  const propose = (session: Session, title: string, body = BODY) =>
    as<{ proposeOperation: ProposalView }>(
      session,
      `mutation($slug: String!, $title: String!, $body: String!) { proposeOperation(brandSlug: $slug, title: $title, body: $body) { ${FIELDS} } }`,
      { slug, title, body },
    );
  const vote = (session: Session, id: string) =>
    as<{ voteOnProposal: ProposalView }>(session, `mutation($id: ID!) { voteOnProposal(id: $id) { ${FIELDS} } }`, {
      id,
    });
  const page = async (session: Session, first: number, after: string | null = null) =>
    (
      await as<{ brand: { proposals: ProposalPage } }>(
        session,
        `query($slug: String!, $first: Int, $after: String) { brand(slug: $slug) { proposals(first: $first, after: $after) { edges { cursor node { ${FIELDS} } } pageInfo { hasNextPage endCursor } } } }`,
        { slug, first, after },
      )
    ).data!.brand.proposals;

  beforeAll(async () => {
    app = await startTestApp({ RATE_LIMIT_GRAPHQL: '100000/60', EVENT_CONSUMERS_PAUSED: 'true' });
    owner = await newUser('propowner');
    slug = await createBrand(app, owner, 'Proposal Foods');
    brandId = (await sql<{ id: string }>(`SELECT id FROM brands WHERE slug = $1`, [slug]))[0]!.id;
    await sql(`INSERT INTO brand_managers (brand_id, user_id) VALUES ($1, $2)`, [brandId, userIdOf(owner)]);
    author = await newEmployee('propauthor');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lets employees only propose, with the lengths checked by field', async () => {
    const outsider = await newUser('propoutsider');
    expect(errorOf(await propose(outsider, 'Tasting day'))!.extensions.code).toBe('FORBIDDEN');
    const short = errorOf(await propose(author, 'Tea', 'Too short.'))!;
    expect(short.extensions.code).toBe('BAD_USER_INPUT');
    expect(short.message).toContain('title 5 to 120 characters');
    expect(short.message).toContain('body 20 to 5,000 characters');
    expect(errorOf(await propose(author, 'x'.repeat(121)))!.extensions.code).toBe('BAD_USER_INPUT');
    const created = (await propose(author, 'Tasting day')).data!.proposeOperation;
    expect(created).toMatchObject({ votes: 0, myVote: false, status: 'OPEN', brandResponse: null });
  });

  it('counts one vote per employee under concurrency, idempotently', async () => {
    const proposal = (await propose(author, 'Recipe contest')).data!.proposeOperation;
    const voters = await Promise.all(Array.from({ length: 10 }, (_, i) => newEmployee(`propvoter${i}`)));
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => vote(voters[i % 10]!, proposal.id)));
    expect(results.map((r) => errorOf(r))).toEqual(Array(50).fill(undefined));
    const again = (await vote(voters[0]!, proposal.id)).data!.voteOnProposal;
    expect(again).toMatchObject({ votes: 10, myVote: true });
    const [stored] = await sql<{ votes: number; rows: number; events: number }>(
      `SELECT p.votes, (SELECT count(*)::int FROM proposal_votes v WHERE v.proposal_id = p.id) AS rows,
              (SELECT count(*)::int FROM events e WHERE e.action = 'proposal.voted' AND e.target_id = p.id::text) AS events
         FROM proposals p WHERE p.id = $1`,
      [fromGlobalId(proposal.id).localId],
    );
    expect(stored).toEqual({ votes: 10, rows: 10, events: 10 });
    expect(errorOf(await vote(await newUser('propnovoter'), proposal.id))!.extensions.code).toBe('FORBIDDEN');
  });

  it('orders by votes, then newest, with stable cursors', async () => {
    const seen: ProposalView[] = [];
    let after: string | null = null;
    for (;;) {
      const current: ProposalPage = await page(author, 1, after);
      seen.push(...current.edges.map((e) => e.node));
      if (!current.pageInfo.hasNextPage) break;
      after = current.pageInfo.endCursor;
      // A proposal added between pages sorts after the cursor: it shows on a later page, nothing repeats or is skipped.
      if (seen.length === 1) await propose(author, 'Late arrival');
    }
    expect(seen.map((p) => [p.title, p.votes])).toEqual([
      ['Recipe contest', 10],
      ['Late arrival', 0],
      ['Tasting day', 0],
    ]);
    expect(
      errorOf(await as(author, `{ brand(slug: "${slug}") { proposals(after: "nope") { edges { cursor } } } }`))!
        .extensions.code,
    ).toBe('BAD_USER_INPUT');
  });

  it('lets the managers answer, notifying the author and voters once, and closes the votes', async () => {
    const top = (await page(author, 1)).edges[0]!.node;
    const respond = (session: Session, status: string, response: string) =>
      as<{ respondToProposal: ProposalView }>(
        session,
        `mutation($id: ID!, $status: ProposalStatus!, $response: String!) { respondToProposal(id: $id, status: $status, response: $response) { ${FIELDS} } }`,
        { id: top.id, status, response },
      );
    expect(errorOf(await respond(author, 'ACCEPTED', 'Yes'))!.extensions.code).toBe('FORBIDDEN');
    expect(errorOf(await respond(owner, 'OPEN', 'Hmm'))!.extensions.code).toBe('BAD_USER_INPUT');
    expect(errorOf(await respond(owner, 'ACCEPTED', ''))!.extensions.code).toBe('BAD_USER_INPUT');
    expect(errorOf(await respond(owner, 'ACCEPTED', 'x'.repeat(2001)))!.extensions.code).toBe('BAD_USER_INPUT');
    const answered = (await respond(owner, 'ACCEPTED', 'We start in April.')).data!.respondToProposal;
    expect(answered).toMatchObject({ status: 'ACCEPTED', brandResponse: 'We start in April.', votes: 10 });
    const [told] = await sql<{ users: number; author: number }>(
      `SELECT count(DISTINCT user_id)::int AS users, count(*) FILTER (WHERE user_id = $1)::int AS author
         FROM notifications WHERE kind = 'PROPOSAL_ANSWERED'`,
      [userIdOf(author)],
    );
    expect(told).toEqual({ users: 11, author: 1 });
    const late = errorOf(await vote(author, top.id))!;
    expect(late.extensions).toMatchObject({ code: 'CONFLICT', reason: 'PROPOSAL_ANSWERED' });
  });

  it('limits how many operations one user proposes a day (RATE_LIMIT_PROPOSALS, 10 by default)', async () => {
    const prolific = await newEmployee('propprolific');
    for (let n = 1; n <= 10; n++) expect(errorOf(await propose(prolific, `Idea number ${n}`))).toBeUndefined();
    const refused = errorOf(await propose(prolific, 'Idea number 11'))!;
    expect(refused.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(errorOf(await propose(author, 'Someone else still may'))).toBeUndefined();
  });
});
