import { bearer, type Session } from './accounts-client.js';
import type { TestApp } from './test-app.js';

/** Creates a brand as `session` (confirming it is distinct from similar names) and returns its slug. */
export async function createBrand(app: TestApp, session: Session, name: string): Promise<string> {
  const { body } = await app.graphql<{ createBrand: { slug: string } }>(
    `mutation($input: CreateBrandInput!) { createBrand(input: $input) { slug } }`,
    { input: { name, confirmDistinct: true } },
    bearer(session.accessToken),
  );
  if (!body.data) throw new Error(`createBrand refused: ${JSON.stringify(body.errors)}`);
  return body.data.createBrand.slug;
}
