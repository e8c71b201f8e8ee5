import { bearer, type Session } from './accounts-client.js';
import type { TestApp } from './test-app.js';

/**
 * GraphQL calls as a session (or anonymously): the raw body, its data (no errors expected), or its one error.
 * `app` is read at each call: suites start their app in beforeAll.
 */
export function graphqlCalls(app: () => TestApp) {
  const call = <T>(session: Session | null, query: string, variables: Record<string, unknown> = {}) =>
    app()
      .graphql<T>(query, variables, session ? bearer(session.accessToken) : {})
      .then(({ body }) => body);
  const as = async <T>(session: Session | null, query: string, variables: Record<string, unknown> = {}) => {
    const body = await call<T>(session, query, variables);
    expect(body.errors).toBeUndefined();
    return body.data!;
  };
  const errorOf = async (session: Session | null, query: string, variables: Record<string, unknown> = {}) => {
    const body = await call(session, query, variables);
    expect(body.errors).toHaveLength(1);
    return body.errors![0]!.extensions as { code: string; reason?: string };
  };
  return { call, as, errorOf };
}
