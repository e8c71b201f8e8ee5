import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { DOMAIN_ERROR_CODES, toGlobalId } from '@boardroom/core';
import { ProbeModule } from './support/probe.module.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('GraphQL conventions (e2e)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ GRAPHQL_MAX_COST: '2000' }, { extraModules: [ProbeModule] });
  });
  afterAll(() => app?.close());

  describe('query limits', () => {
    const nested = (levels: number) => `{ probe { ${'next { '.repeat(levels - 2)}index${' }'.repeat(levels - 2)} } }`;

    it('accepts a query at the depth limit and refuses one level more with QUERY_TOO_COMPLEX', async () => {
      const ok = await app.graphql(nested(8));
      expect(ok.body.errors).toBeUndefined();
      const refused = await app.graphql(nested(9));
      expect(refused.status).toBe(400);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
      expect(refused.body.errors?.[0]?.message).toMatch(/at most 8/);
    });

    it('counts depth through fragments too', async () => {
      const refused = await app.graphql(
        `query { probe { ...F } } fragment F on Probe { next { next { next { next { next { next { next { index } } } } } } } }`,
      );
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    });

    it('refuses more than 15 aliases', async () => {
      const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: probe { index }`).join(' ')} }`;
      expect((await app.graphql(aliases(15))).body.errors).toBeUndefined();
      const refused = await app.graphql(aliases(16));
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
      expect(refused.body.errors?.[0]?.message).toMatch(/aliases/);
    });

    it('refuses a query whose cost, multiplied by page sizes, is over the limit (variables included)', async () => {
      const query = `query($n: Int) { probes(first: $n) { edges { node { children(first: $n) { edges { node { index } } } } } } }`;
      expect((await app.graphql(query, { n: 10 })).body.errors).toBeUndefined();
      const refused = await app.graphql(query, { n: 100 });
      expect(refused.status).toBe(400);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
      expect(refused.body.errors?.[0]?.message).toMatch(/cost/);
    });

    it('answers a missing or ill-typed variable with BAD_USER_INPUT, not an internal error', async () => {
      const missing = await app.graphql(`query($id: ID!) { node(id: $id) { id } }`, {});
      expect(missing.status).toBe(400);
      expect(missing.body.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/\$id/),
        extensions: { code: 'BAD_USER_INPUT' },
      });
      const wrong = await app.graphql(`query($n: Int) { probes(first: $n) { edges { cursor } } }`, { n: 'ten' });
      expect(wrong.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('prices the product’s own connections by page size without their declaring it', async () => {
      const query = `query($n: Int) { brands(first: $n) { edges { node { photos(first: $n) { edges { node { id } } } } } } }`;
      expect((await app.graphql(query, { n: 10 })).body.errors).toBeUndefined();
      expect((await app.graphql(query, { n: 100 })).body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    });

    it('caps page sizes at 100 with a field error', async () => {
      const refused = await app.graphql(`{ probes(first: 101) { edges { cursor } } }`);
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [{ field: 'first', message: expect.stringMatching(/100/) }],
      });
    });
  });

  describe('transport', () => {
    it('refuses a batched HTTP request', async () => {
      const response = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ query: '{ probe { index } }' }, { query: '{ probe { index } }' }]),
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/batch/i);
    });

    it('refuses a multipart request without the preflight header, and passes one with it', async () => {
      const form = () => {
        const body = new FormData();
        body.append('operations', JSON.stringify({ query: '{ probe { index } }' }));
        body.append('map', '{}');
        return body;
      };
      const refused = await fetch(`${app.url}/graphql`, { method: 'POST', body: form() });
      expect(refused.status).toBe(400);
      const refusedBody = (await refused.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(refusedBody.errors[0]).toMatchObject({
        extensions: { code: 'BAD_REQUEST' },
        message: expect.stringMatching(/apollo-require-preflight/),
      });

      const accepted = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        body: form(),
        headers: { 'apollo-require-preflight': 'true' },
      });
      expect(accepted.status).toBe(200);
      expect(await accepted.json()).toEqual({ data: { probe: { index: 0 } } });
    });

    it('applies CSRF prevention to simple GET requests', async () => {
      const response = await fetch(`${app.url}/graphql?query=${encodeURIComponent('{ probe { index } }')}`);
      expect(response.status).toBe(400);
    });

    it('lets browsers of the configured origins call the API (CORS), and no others', async () => {
      const preflight = (origin: string) =>
        fetch(`${app.url}/graphql`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type,authorization,x-device-id',
          },
        });
      const own = await preflight(new URL(app.config.publicUrl).origin);
      expect(own.headers.get('access-control-allow-origin')).toBe(new URL(app.config.publicUrl).origin);
      expect(own.headers.get('access-control-allow-headers')).toMatch(/authorization/);
      expect(own.headers.get('access-control-allow-credentials')).toBeNull();
      const hostile = await preflight('https://hostile.example');
      expect(hostile.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('serves DateTime as ISO 8601 in UTC', async () => {
      const { body } = await app.graphql<{ probe: { createdAt: string } }>(`{ probe { createdAt } }`);
      expect(body.data?.probe.createdAt).toBe('2026-01-01T00:00:00.000Z');
    });
  });

  describe('errors', () => {
    it.each(DOMAIN_ERROR_CODES.filter((c) => c !== 'INTERNAL_SERVER_ERROR'))(
      '%s reaches the client with its code and message',
      async (code) => {
        const { body } = await app.graphql(`{ probeError(code: "${code}") }`);
        expect(body.errors?.[0]).toMatchObject({
          message: `probe ${code}`,
          path: ['probeError'],
          extensions: { code },
        });
        expect(body.errors?.[0]?.extensions?.stacktrace).toBeUndefined();
      },
    );

    it('adds reason, fields and retryAfterSeconds where the contract names them', async () => {
      expect((await app.graphql(`{ probeError(code: "CONFLICT") }`)).body.errors?.[0]?.extensions).toEqual({
        code: 'CONFLICT',
        reason: 'SOLD_OUT',
      });
      expect((await app.graphql(`{ probeError(code: "RATE_LIMITED") }`)).body.errors?.[0]?.extensions).toEqual({
        code: 'RATE_LIMITED',
        retryAfterSeconds: 7,
      });
      expect((await app.graphql(`{ probeError(code: "BAD_USER_INPUT") }`)).body.errors?.[0]?.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        fields: [{ field: 'x', message: 'bad' }],
      });
    });

    it('masks an unexpected error: no detail, no stack, a correlation id', async () => {
      const { body } = await app.graphql(`{ probeError(code: "UNEXPECTED") }`);
      const error = body.errors?.[0];
      expect(error?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(error?.extensions?.correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.stringify(body)).not.toMatch(/secret|10\.0\.0\.1|stack/);
    });

    it('passes parse and validation errors through with their Apollo codes', async () => {
      expect((await app.graphql(`{ probe { `)).body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
      const invalid = await app.graphql(`{ prob { index } }`);
      expect(invalid.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      // Outside production, suggestions help developers.
      expect(invalid.body.errors?.[0]?.message).toMatch(/Did you mean/);
    });
  });

  describe('Relay', () => {
    it('pages through a connection with opaque cursors and a full pageInfo', async () => {
      const page = (after?: string) =>
        app.graphql<{
          probes: { edges: { cursor: string; node: { index: number } }[]; pageInfo: Record<string, unknown> };
        }>(
          `query($after: String) { probes(first: 100, after: $after) { edges { cursor node { index } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
          { after },
        );
      const indexes: number[] = [];
      let after: string | undefined;
      let pages = 0;
      for (;;) {
        const { body } = await page(after);
        const connection = body.data!.probes;
        indexes.push(...connection.edges.map((e) => e.node.index));
        expect(connection.pageInfo).toMatchObject({
          hasPreviousPage: Boolean(after),
          startCursor: connection.edges[0]?.cursor,
          endCursor: connection.edges.at(-1)?.cursor,
        });
        pages++;
        if (!connection.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor as string;
      }
      expect(pages).toBe(3);
      expect(indexes).toEqual(Array.from({ length: 250 }, (_, i) => i));
    });

    it('refuses a malformed cursor with a clear error', async () => {
      const { body } = await app.graphql(`{ probes(after: "not-a-cursor") { edges { cursor } } }`);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('resolves node(id:) to the registered type, null for a missing one, and refuses a malformed id', async () => {
      const found = await app.graphql(`query($id: ID!) { node(id: $id) { id ... on Probe { index } } }`, {
        id: toGlobalId('Probe', '7'),
      });
      expect(found.body.data).toEqual({ node: { id: toGlobalId('Probe', '7'), index: 7 } });
      const missing = await app.graphql(`query($id: ID!) { node(id: $id) { id } }`, {
        id: toGlobalId('Probe', '9999'),
      });
      expect(missing.body.data).toEqual({ node: null });
      const unknownType = await app.graphql(`query($id: ID!) { node(id: $id) { id } }`, {
        id: toGlobalId('Nothing', '1'),
      });
      expect(unknownType.body.data).toEqual({ node: null });
      const malformed = await app.graphql(`{ node(id: "%%%") { id } }`);
      expect(malformed.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  it('delivers subscriptions over graphql-ws', async () => {
    const client = createClient({
      url: app.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    try {
      const received = new Promise<unknown>((resolve, reject) => {
        const unsubscribe = client.subscribe(
          { query: 'subscription { probeMessages }' },
          {
            next: (message) => {
              resolve(message);
              unsubscribe();
            },
            error: reject,
            complete: () => undefined,
          },
        );
      });
      // Publish until the subscription is registered and one arrives.
      let delivered: unknown;
      for (let i = 0; i < 50 && delivered === undefined; i++) {
        await app.graphql(`mutation { probePublish(message: "hello") }`);
        delivered = await Promise.race([received, new Promise((r) => setTimeout(r, 100))]);
      }
      expect(delivered).toEqual({ data: { probeMessages: 'hello' } });
    } finally {
      await client.dispose();
    }
  });
});
