/**
 * The bare side of bench/leaderboard-http.ts, run as its own process: Apollo Server on express 5 (the
 * integration the product's Nest app uses) with a schema of just `brand(slug) { leaderboard { … } }`,
 * answering with the product's SQL — the brand by slug, `EmploymentsRepository.leaderboard` on a bare
 * pg pool, the users of the page in one query per request — and nothing else: no Nest, no guards, no
 * rate limit, no logging, no query cost or depth checks.
 *
 *   DATABASE_URL=… PORT=… node dist/bench/game-bare-apollo.js
 */
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import DataLoader from 'dataloader';
import express from 'express';
import pg from 'pg';
import type { EntityManager } from 'typeorm';
import { EmploymentsRepository, type BoardRow } from '../libs/game/src/employments/employments.repository.js';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  application_name: 'bench-bare-apollo',
});
const manager = {
  queryRunner: {
    query: async (sql: string, parameters: unknown[]) => ({ records: (await pool.query(sql, parameters)).rows }),
  },
} as unknown as EntityManager;
const employments = new EmploymentsRepository();

interface Context {
  users: DataLoader<string, { handle: string } | undefined>;
}
interface Brand {
  id: string;
}

const typeDefs = `#graphql
  type Query { brand(slug: String!): Brand }
  type Brand { id: ID! slug: String! leaderboard(first: Int = 20, after: String): EmploymentConnection! }
  type EmploymentConnection { edges: [EmploymentEdge!]! pageInfo: PageInfo! }
  type EmploymentEdge { cursor: String! node: Employment! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type Employment { id: ID! shares: Int! title: String! rank: Int! user: User! }
  type User { id: ID! handle: String! }
`;

const cursor = (row: BoardRow) =>
  Buffer.from(JSON.stringify([row.shares, row.reachedKey, row.userId])).toString('base64url');

const resolvers = {
  Query: {
    brand: async (_: unknown, { slug }: { slug: string }) => {
      const { rows } = await pool.query<Brand>(
        `SELECT id, slug, name, website, description, created_at, claimed_at, photo_count FROM brands WHERE slug = lower($1)`,
        [slug],
      );
      return rows[0] ?? null;
    },
  },
  Brand: {
    leaderboard: async (brand: Brand, { first }: { first: number }) => {
      const rows = await employments.leaderboard(manager, brand.id, null, first + 1);
      const page = rows.slice(0, first);
      return {
        edges: page.map((row, i) => ({ cursor: cursor(row), node: { ...row, rank: i + 1 } })),
        pageInfo: { hasNextPage: rows.length > first, endCursor: page.length ? cursor(page[page.length - 1]!) : null },
      };
    },
  },
  Employment: {
    user: (row: BoardRow, _: unknown, context: Context) => context.users.load(row.userId),
  },
};

const server = new ApolloServer<Context>({ typeDefs, resolvers });
await server.start();
const app = express();
app.disable('x-powered-by');
app.use(
  '/graphql',
  express.json(),
  expressMiddleware(server, {
    context: async () => ({
      users: new DataLoader(async (ids: readonly string[]) => {
        const { rows } = await pool.query<{ id: string; handle: string }>(
          `SELECT id, email, email_verified_at, handle, display_name, roles, invite_code, created_at, banned_at
             FROM users WHERE id = ANY($1::uuid[])`,
          [ids],
        );
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id));
      }),
    }),
  }),
);
const listener = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = listener.address();
  console.log(`bare apollo listening on ${typeof address === 'object' && address ? address.port : '?'}`);
});
process.on('SIGTERM', () => {
  listener.close();
  void server.stop().then(() => pool.end());
});
