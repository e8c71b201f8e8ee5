import { StorageDriver } from '@boardroom/media';

import { startS3rver, type RunningS3rver } from '../libs/media/src/testing/s3rver-harness.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// The controller's every answer is in libs/media/src/storage/media.controller.spec.ts;
// this proves the whole api wires the URLs from its configuration.
describe('media URLs (e2e)', () => {
  it('serves a locally stored object at its signed URL, and nothing at an altered one', async () => {
    const app = await startTestApp({ MEDIA_URL_TTL_SECONDS: '300' });
    try {
      const storage = app.app.get(StorageDriver);
      await storage.put('photos/p-1/1080.webp', Buffer.from('webp bytes'), { contentType: 'image/webp' });
      const url = await storage.url('photos/p-1/1080.webp');
      expect(url.startsWith(`${app.url}/media/`)).toBe(true);

      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/webp');
      expect(response.headers.get('cache-control')).toMatch(/^private, max-age=(29\d|300)$/);
      await expect(response.text()).resolves.toBe('webp bytes');
      expect((await fetch(url.replace('expires=', 'expires=1'))).status).toBe(403);
    } finally {
      await app.close();
    }
  });

  describe('with S3 storage', () => {
    const bucket = 'media-urls-e2e';
    let s3: RunningS3rver;
    let app: TestApp;
    // 127.0.0.1 and localhost reach the same server here, as minio:9000 and localhost:9000 do in Compose.
    let publicEndpoint: string;

    beforeAll(async () => {
      s3 = await startS3rver(bucket);
      publicEndpoint = s3.endpoint.replace('127.0.0.1', 'localhost');
      app = await startTestApp({
        S3_BUCKET: bucket,
        S3_ENDPOINT: s3.endpoint,
        S3_PUBLIC_ENDPOINT: publicEndpoint,
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
        S3_FORCE_PATH_STYLE: 'true',
        MEDIA_URL_TTL_SECONDS: '600',
      });
    });

    afterAll(async () => {
      await app?.close();
      await s3?.close();
    });

    it('presigns at S3_PUBLIC_ENDPOINT for MEDIA_URL_TTL_SECONDS, and the URL fetches the object', async () => {
      const storage = app.app.get(StorageDriver);
      await storage.put('photos/p-1/1080.webp', Buffer.from('s3 bytes'), { contentType: 'image/webp' });
      const url = await storage.url('photos/p-1/1080.webp');
      expect(url.startsWith(`${publicEndpoint}/${bucket}/photos/p-1/1080.webp?`)).toBe(true);
      expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('600');
      await expect((await fetch(url)).text()).resolves.toBe('s3 bytes');
      expect((await fetch(`${app.url}/media/photos/p-1/1080.webp`)).status).toBe(404);
    });
  });
});
