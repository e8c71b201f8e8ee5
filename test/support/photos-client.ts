import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bearer, type Session } from './accounts-client.js';
import type { GraphQLResponse, TestApp } from './test-app.js';

export const PHOTO_FIELDS = `id status rejectionReason width height url thumbnailUrl caption sharesAwarded sharesWithheld
  createdAt publishedAt duplicateOf { id } owner { handle } brand { slug }`;

export interface PhotoView {
  id: string;
  status: 'PROCESSING' | 'PUBLISHED' | 'REJECTED' | 'REMOVED';
  rejectionReason: string | null;
  width: number | null;
  height: number | null;
  url: string | null;
  thumbnailUrl: string | null;
  caption: string | null;
  sharesAwarded: number;
  sharesWithheld: string | null;
  createdAt: string;
  publishedAt: string | null;
  duplicateOf: { id: string } | null;
  owner: { handle: string };
  brand: { slug: string };
}

/** Photo operations as a client performs them: uploads are GraphQL multipart requests with the preflight header. */
export function photosClient(app: TestApp) {
  async function upload(
    session: Session,
    brandSlug: string,
    file: string | { name: string; bytes: Buffer },
    extra: { caption?: string; idempotencyKey?: string; headers?: Record<string, string> } = {},
  ): Promise<GraphQLResponse<{ uploadPhoto: PhotoView }>> {
    const { name, bytes } =
      typeof file === 'string' ? { name: path.basename(file), bytes: await readFile(file) } : file;
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({
        query: `mutation($brandSlug: String!, $file: Upload!, $caption: String, $key: String) {
          uploadPhoto(brandSlug: $brandSlug, file: $file, caption: $caption, idempotencyKey: $key) { ${PHOTO_FIELDS} }
        }`,
        variables: { brandSlug, file: null, caption: extra.caption ?? null, key: extra.idempotencyKey ?? null },
      }),
    );
    form.append('map', JSON.stringify({ 0: ['variables.file'] }));
    form.append('0', new Blob([bytes]), name);
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'apollo-require-preflight': 'true', ...bearer(session.accessToken), ...extra.headers },
      body: form,
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as never };
  }

  async function photo(session: Session | null, id: string): Promise<PhotoView | null> {
    const { body } = await app.graphql<{ photo: PhotoView | null }>(
      `query($id: ID!) { photo(id: $id) { ${PHOTO_FIELDS} } }`,
      { id },
      session ? bearer(session.accessToken) : {},
    );
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!.photo;
  }

  /** Polls until the photo has left PROCESSING (jobs run in the api process in tests). */
  async function settled(session: Session, id: string, timeoutMs = 30_000): Promise<PhotoView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = await photo(session, id);
      if (current && current.status !== 'PROCESSING') return current;
      if (Date.now() > deadline)
        throw new Error(`Photo ${id} still ${current?.status ?? 'missing'} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Uploads and waits until the photo is PUBLISHED or REJECTED. */
  async function publish(session: Session, brandSlug: string, file: string, caption?: string): Promise<PhotoView> {
    const { body } = await upload(session, brandSlug, file, { caption });
    if (!body.data?.uploadPhoto) throw new Error(`Upload refused: ${JSON.stringify(body.errors)}`);
    return settled(session, body.data.uploadPhoto.id);
  }

  return { upload, photo, settled, publish };
}
