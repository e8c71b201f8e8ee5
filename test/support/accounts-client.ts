import type { TestApp } from './test-app.js';

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: { id: string; handle: string };
}

const PAYLOAD = `accessToken refreshToken user { id handle }`;

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Account operations as a client calls them, for tests of every lib. */
export function accountsClient(app: TestApp) {
  return {
    signUp: (
      input: { email: string; password?: string; handle: string; displayName?: string; inviteCode?: string },
      headers: Record<string, string> = {},
    ) =>
      app.graphql<{ signUp: Session }>(
        `mutation($input: SignUpInput!) { signUp(input: $input) { ${PAYLOAD} } }`,
        { input: { password: 'correct horse battery', displayName: input.handle, ...input } },
        headers,
      ),
    logIn: (email: string, password: string, headers: Record<string, string> = {}) =>
      app.graphql<{ logIn: Session }>(
        `mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { ${PAYLOAD} } }`,
        {
          e: email,
          p: password,
        },
        headers,
      ),
    refresh: (refreshToken: string) =>
      app.graphql<{ refreshSession: Session }>(
        `mutation($t: String!) { refreshSession(refreshToken: $t) { ${PAYLOAD} } }`,
        {
          t: refreshToken,
        },
      ),
    me: (accessToken: string) =>
      app.graphql<{
        me: { handle: string; email: string | null; roles: string[] | null; emailVerified: boolean | null } | null;
      }>(`{ me { handle email roles emailVerified } }`, undefined, bearer(accessToken)),
  };
}
