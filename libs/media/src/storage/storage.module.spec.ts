import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { Test } from '@nestjs/testing';
import { AppConfigModule, loadConfig } from '@boardroom/core';

import { startS3rver } from '../testing/s3rver-harness.js';
import { LocalStorageDriver } from './local-storage.driver.js';
import { S3StorageDriver } from './s3-storage.driver.js';
import { StorageDriver } from './storage-driver.js';
import { StorageModule } from './storage.module.js';

async function driverFor(env: Record<string, string>): Promise<{ driver: StorageDriver; close(): Promise<void> }> {
  const moduleRef = await Test.createTestingModule({
    imports: [AppConfigModule.forRoot(loadConfig(env)), StorageModule],
  }).compile();
  await moduleRef.init();
  return { driver: moduleRef.get(StorageDriver), close: () => moduleRef.close() };
}

describe('StorageModule', () => {
  let tmp: string;

  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'boardroom-storage-module-'));
  });

  afterAll(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('provides local storage in STORAGE_DIR, with URLs under PUBLIC_URL', async () => {
    const dir = path.join(tmp, 'media');
    const { driver, close } = await driverFor({ STORAGE_DIR: dir, PUBLIC_URL: 'https://boardroom.example/' });
    try {
      expect(driver).toBeInstanceOf(LocalStorageDriver);
      await driver.put('k/v.txt', Buffer.from('v'), { contentType: 'text/plain' });
      await expect(fs.readFile(path.join(dir, 'k/v.txt'), 'utf8')).resolves.toBe('v');
      await expect(driver.url('k/v.txt')).resolves.toMatch(
        /^https:\/\/boardroom\.example\/media\/k\/v\.txt\?expires=\d+&signature=[\w-]{43}$/,
      );
    } finally {
      await close();
    }
  });

  it('provides S3 storage when S3_BUCKET is set, wired to the configured endpoint and credentials', async () => {
    const s3 = await startS3rver('module-bucket');
    try {
      const { driver, close } = await driverFor({
        DATA_DIR: tmp,
        S3_BUCKET: 'module-bucket',
        S3_ENDPOINT: s3.endpoint,
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
        S3_FORCE_PATH_STYLE: 'true',
      });
      try {
        expect(driver).toBeInstanceOf(S3StorageDriver);
        await expect(driver.check()).resolves.toBeUndefined();
      } finally {
        await close();
      }
    } finally {
      await s3.close();
    }
  });
});
