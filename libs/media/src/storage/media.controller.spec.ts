import fs from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppConfigModule, createValidationPipe, loadConfig, type AppConfig } from '@boardroom/core';

import { startS3rver, type RunningS3rver } from '../testing/s3rver-harness.js';
import { createMediaUrlSigner } from './media-url-signer.js';
import { StorageDriver } from './storage-driver.js';
import { StorageModule } from './storage.module.js';

interface RunningMedia {
  url: string;
  config: AppConfig;
  storage: StorageDriver;
  close(): Promise<void>;
}

/** StorageModule alone in a Nest app on a random port, as the api has it. */
async function startMediaApp(env: Record<string, string>): Promise<RunningMedia> {
  const config = loadConfig(env);
  const moduleRef = await Test.createTestingModule({
    imports: [AppConfigModule.forRoot(config), StorageModule],
  }).compile();
  const app: INestApplication = moduleRef.createNestApplication({ logger: false });
  app.useGlobalPipes(createValidationPipe());
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, config, storage: app.get(StorageDriver), close: () => app.close() };
}

/** The URL with one query parameter replaced, as someone editing it by hand would. */
function withParam(url: string, name: string, value: string): string {
  const changed = new URL(url);
  changed.searchParams.set(name, value);
  return changed.toString();
}

describe('MediaController over HTTP', () => {
  let tmp: string;

  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'boardroom-media-controller-'));
  });

  afterAll(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  describe('local storage', () => {
    let media: RunningMedia;
    const photo = Buffer.from([0x52, 0x49, 0x46, 0x46, 0x00, 0xff, 0x10, 0x57, 0x45, 0x42, 0x50]);

    beforeAll(async () => {
      media = await startMediaApp({ DATA_DIR: path.join(tmp, 'local') });
      await media.storage.put('photos/p-1/1080.webp', photo, { contentType: 'image/webp' });
    });

    afterAll(async () => {
      await media?.close();
    });

    /** The driver's URL for the key, pointed at the test server (PUBLIC_URL is not its random port). */
    async function urlOf(key: string, expiresInSeconds?: number): Promise<string> {
      const signed = new URL(await media.storage.url(key, { expiresInSeconds }));
      return `${media.url}${signed.pathname}${signed.search}`;
    }

    it('serves the exact bytes at a good URL, with the headers of a private, inert image', async () => {
      const response = await fetch(await urlOf('photos/p-1/1080.webp', 120));
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer())).toEqual(photo);
      expect(Object.fromEntries(response.headers)).toMatchObject({
        'content-type': 'image/webp',
        'content-length': String(photo.length),
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
        'content-disposition': 'inline',
      });
      const maxAge = Number(/^private, max-age=(\d+)$/.exec(response.headers.get('cache-control') ?? '')?.[1]);
      expect(maxAge).toBeGreaterThan(115);
      expect(maxAge).toBeLessThanOrEqual(120);
    });

    it('answers HEAD with the headers and no body', async () => {
      const response = await fetch(await urlOf('photos/p-1/1080.webp'), { method: 'HEAD' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-length')).toBe(String(photo.length));
      expect(response.headers.get('content-type')).toBe('image/webp');
      await expect(response.text()).resolves.toBe('');
    });

    it.each([
      ['photos/p-1/0.png', 'image/png'],
      ['photos/p-1/0.JPG', 'image/jpeg'],
      ['photos/p-1/0.jpeg', 'image/jpeg'],
      ['photos/p-1/0.avif', 'image/avif'],
      ['photos/p-1/0.html', 'application/octet-stream'],
      ['photos/p-1/no-extension', 'application/octet-stream'],
    ])('serves %s as %s', async (key, contentType) => {
      await media.storage.put(key, Buffer.from('<script>alert(1)</script>'), { contentType });
      const response = await fetch(await urlOf(key));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(contentType);
    });

    it('refuses a URL whose key, expiry or signature was changed, or that is unsigned', async () => {
      await media.storage.put('photos/p-2/1080.webp', photo, { contentType: 'image/webp' });
      const url = await urlOf('photos/p-1/1080.webp');
      const later = String(Number(new URL(url).searchParams.get('expires')) + 3600);
      const tampered = [
        url.replace('/p-1/', '/p-2/'),
        withParam(url, 'expires', later),
        withParam(url, 'signature', 'A'.repeat(43)),
        url.split('?')[0]!,
      ];
      for (const candidate of tampered) {
        const response = await fetch(candidate);
        expect(response.status).toBe(403);
        await expect(response.json()).resolves.toMatchObject({ message: 'This media URL is not valid.' });
      }
    });

    it('refuses an expired URL', async () => {
      const key = 'photos/p-1/1080.webp';
      const expires = Math.floor(Date.now() / 1000) - 1;
      const signature = createMediaUrlSigner(media.config).sign(key, expires);
      const response = await fetch(`${media.url}/media/${key}?expires=${expires}&signature=${signature}`);
      expect(response.status).toBe(403);
      await expect(response.json()).resolves.toMatchObject({ message: 'This media URL has expired.' });
    });

    it('stops serving a URL once its lifetime is over', async () => {
      const url = await urlOf('photos/p-1/1080.webp', 1);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      expect((await fetch(url)).status).toBe(403);
    });

    it('answers 404 for a well-signed URL of a missing object', async () => {
      const response = await fetch(await urlOf('photos/never-stored.webp'));
      expect(response.status).toBe(404);
    });
  });

  describe('S3 storage', () => {
    const bucket = 'media-controller-spec';
    let s3: RunningS3rver;
    let media: RunningMedia;

    beforeAll(async () => {
      s3 = await startS3rver(bucket);
      media = await startMediaApp({
        DATA_DIR: path.join(tmp, 's3'),
        S3_BUCKET: bucket,
        S3_ENDPOINT: s3.endpoint,
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
        S3_FORCE_PATH_STYLE: 'true',
      });
    });

    afterAll(async () => {
      await media?.close();
      await s3?.close();
    });

    it('serves nothing under /media, even with a local-looking signature', async () => {
      const key = 'photos/p-1/1080.webp';
      await media.storage.put(key, Buffer.from('s3 bytes'), { contentType: 'image/webp' });
      const expires = Math.floor(Date.now() / 1000) + 60;
      const signature = createMediaUrlSigner(media.config).sign(key, expires);
      const response = await fetch(`${media.url}/media/${key}?expires=${expires}&signature=${signature}`);
      expect(response.status).toBe(404);
    });
  });
});
