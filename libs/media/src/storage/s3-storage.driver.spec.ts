import { Readable } from 'node:stream';

import { startS3rver, type RunningS3rver } from '../testing/s3rver-harness.js';
import { S3StorageDriver, type S3StorageConfig } from './s3-storage.driver.js';
import { storageDriverContract } from './storage-driver.contract.js';

describe('S3StorageDriver', () => {
  const bucket = 'boardroom-media';
  let s3: RunningS3rver;
  let driver: S3StorageDriver;

  const urls = { defaultExpiresInSeconds: 900 };
  const configFor = (bucketName: string, publicEndpoint?: string): S3StorageConfig => ({
    driver: 's3',
    bucket: bucketName,
    endpoint: s3.endpoint,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
    publicEndpoint,
  });

  beforeAll(async () => {
    s3 = await startS3rver(bucket);
    driver = new S3StorageDriver(configFor(bucket), urls);
  });

  afterAll(async () => {
    driver?.onModuleDestroy();
    await s3?.close();
  });

  describe('contract', () => storageDriverContract(() => driver));

  it('uploads a stream larger than one part in several parts', async () => {
    const part = Buffer.alloc(3 * 1024 * 1024, 7);
    const size = 4 * part.length;
    await expect(
      driver.put('big/blob.bin', Readable.from([part, part, part, part]), { contentType: 'application/octet-stream' }),
    ).resolves.toEqual({ bytes: size });
    let read = 0;
    for await (const chunk of await driver.get('big/blob.bin')) read += (chunk as Buffer).length;
    expect(read).toBe(size);
  });

  it('gives a presigned URL that a plain fetch can read, with the stored content type', async () => {
    await driver.put('public/note.txt', Buffer.from('signed hello'), { contentType: 'text/plain; charset=utf-8' });
    const url = await driver.url('public/note.txt', { expiresInSeconds: 120 });
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('120');

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    await expect(response.text()).resolves.toBe('signed hello');
  });

  it('presigns for the configured default lifetime when none is given', async () => {
    expect(new URL(await driver.url('public/note.txt')).searchParams.get('X-Amz-Expires')).toBe('900');
  });

  it('presigns against the public endpoint when one is set, and such a URL reads the object', async () => {
    // 127.0.0.1 and localhost reach the same server here, as minio:9000 and localhost:9000 do in Compose.
    const publicEndpoint = s3.endpoint.replace('127.0.0.1', 'localhost');
    const browserFacing = new S3StorageDriver(configFor(bucket, publicEndpoint), urls);
    try {
      await driver.put('public/photo.webp', Buffer.from('webp bytes'), { contentType: 'image/webp' });
      const url = await browserFacing.url('public/photo.webp');
      expect(url.startsWith(`${publicEndpoint}/${bucket}/public/photo.webp?`)).toBe(true);

      const response = await fetch(url);
      expect(response.status).toBe(200);
      await expect(response.text()).resolves.toBe('webp bytes');
    } finally {
      browserFacing.onModuleDestroy();
    }
  });

  describe('check', () => {
    it('passes for an existing bucket', async () => {
      await expect(driver.check()).resolves.toBeUndefined();
    });

    it('fails, naming the bucket, when the bucket does not exist', async () => {
      const missing = new S3StorageDriver(configFor('no-such-bucket'), urls);
      try {
        await expect(missing.check()).rejects.toThrow(
          `S3 bucket "no-such-bucket" at ${s3.endpoint} is not usable: the bucket does not exist`,
        );
      } finally {
        missing.onModuleDestroy();
      }
    });
  });
});
