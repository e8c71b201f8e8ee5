import { ProbeModule } from './support/probe.module.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('production mode (e2e)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      NODE_ENV: 'production',
      FINGERPRINT_SECRET: 'a-test-secret-of-at-least-32-characters',
      RESEARCH_KEY_SECRET: 'another-test-secret-of-at-least-32-characters',
      JWT_SIGNING_KEYS: 'prod-test:a-test-signing-key-of-at-least-32-characters',
      RATE_LIMIT_GRAPHQL: '5/60',
      TRUST_PROXY: '1',
    });
  });
  afterAll(() => app?.close());

  const fromClient = (address: string) => ({ 'x-forwarded-for': address });

  it('refuses introspection', async () => {
    const { body } = await app.graphql(`{ __schema { types { name } } }`, undefined, fromClient('198.51.100.1'));
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('hides field suggestions', async () => {
    const { body } = await app.graphql(`{ nod(id: "x") { id } }`, undefined, fromClient('198.51.100.1'));
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  it('serves no landing page', async () => {
    const response = await fetch(`${app.url}/graphql`, {
      headers: { accept: 'text/html', ...fromClient('198.51.100.1') },
    });
    expect(await response.text()).not.toMatch(/<html|sandbox/i);
  });

  it('limits requests per client address, reading X-Forwarded-For from a trusted proxy', async () => {
    const client = fromClient('203.0.113.7');
    for (let i = 0; i < 5; i++) {
      expect((await app.graphql(`{ __typename }`, undefined, client)).status).toBe(200);
    }
    const limited = await app.graphql(`{ __typename }`, undefined, client);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.body.errors?.[0]?.extensions).toEqual({
      code: 'RATE_LIMITED',
      retryAfterSeconds: expect.any(Number),
    });
    expect(limited.body.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    expect(limited.body.errors?.[0]?.message).toMatch(/Try again in \d+ seconds/);

    // Another client behind the same proxy has its own budget.
    expect((await app.graphql(`{ __typename }`, undefined, fromClient('203.0.113.8'))).status).toBe(200);
  });
});

describe('rate limits without a trusted proxy (e2e)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ RATE_LIMIT_GRAPHQL: '3/60' });
  });
  afterAll(() => app?.close());

  it('ignores X-Forwarded-For, which any client could forge', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await app.graphql(`{ __typename }`, undefined, { 'x-forwarded-for': `192.0.2.${i}` })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});

describe('a rate limit on one resolver (e2e)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ RATE_LIMIT_GRAPHQL: '3/60' }, { extraModules: [ProbeModule] });
  });
  afterAll(() => app?.close());

  it('refuses the resolver with RATE_LIMITED in the GraphQL response once its budget is spent', async () => {
    // Each request counts once at the door and once more at the limited resolver.
    const first = await app.graphql(`{ probeLimited }`);
    expect(first.body).toEqual({ data: { probeLimited: true } });
    const second = await app.graphql(`{ probeLimited }`);
    expect(second.status).toBe(200);
    expect(second.body.errors?.[0]).toMatchObject({
      path: ['probeLimited'],
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
    });
  });
});
