import type { AppConfig } from '@boardroom/core';

import { LocalStorageDriver } from './local-storage.driver.js';
import { S3StorageDriver } from './s3-storage.driver.js';
import type { StorageDriver } from './storage-driver.js';

/** The driver the configuration asks for: S3 when S3_BUCKET is set, local files otherwise. */
export function createStorageDriver(config: AppConfig): StorageDriver {
  return config.storage.driver === 's3'
    ? new S3StorageDriver(config.storage)
    : new LocalStorageDriver(config.storage.dir, config.publicUrl);
}
