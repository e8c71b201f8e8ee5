import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { fromGlobalId, inTransaction } from '@boardroom/core';
import { ShareLedger } from '@boardroom/game';
import { accountsClient, bearer, type Session } from './accounts-client.js';
import type { TestApp } from './test-app.js';

export interface GraphQLError {
  message: string;
  extensions: { code: string; reason?: string; fields?: { field: string }[] } & Record<string, unknown>;
}

/** Users, their GraphQL calls and their shares in a brand (through the game's ledger), for the rewards' suites. */
export function employeesOf(app: () => TestApp) {
  const userIdOf = (session: Session) => fromGlobalId(session.user.id).localId;
  return {
    userIdOf,
    sql: <T = Record<string, unknown>>(query: string, parameters: unknown[] = []) =>
      app().app.get(DataSource).query<T[]>(query, parameters),
    newUser: async (handle: string) =>
      (await accountsClient(app()).signUp({ email: `${handle}@example.com`, handle })).body.data!.signUp,
    as: <T>(session: Session, query: string, variables: Record<string, unknown> = {}) =>
      app()
        .graphql<T>(query, variables, bearer(session.accessToken))
        .then((r) => r.body),
    errorOf: (body: { errors?: readonly unknown[] }) => (body.errors as GraphQLError[] | undefined)?.[0],
    /** Gives shares in the brand through the game's ledger (titles and the seat follow). */
    giveShares: (session: Session, brandId: string, shares: number) =>
      inTransaction(app().app.get(DataSource), (manager) =>
        app()
          .app.get(ShareLedger)
          .apply(manager, {
            userId: userIdOf(session),
            brandId,
            shares,
            reason: 'AWARD_BONUS',
            sourceType: 'award',
            sourceId: randomUUID(),
            idempotencyKey: `test:${randomUUID()}`,
            at: new Date(),
          }),
      ),
  };
}
