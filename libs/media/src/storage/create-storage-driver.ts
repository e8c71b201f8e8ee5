import type { AppConfig } from '@boardroom/core';

import { LocalStorageDriver } from './local-storage.driver.js';
import { createMediaUrlSigner } from './media-url-signer.js';
import { S3StorageDriver } from './s3-storage.driver.js';
import type { StorageDriver } from './storage-driver.js';

/** The driver the configuration asks for: S3 when S3_BUCKET is set, local files otherwise. */
export function createStorageDriver(config: AppConfig): StorageDriver {
  const defaultExpiresInSeconds = config.media.urlTtlSeconds;
  return config.storage.driver === 's3'
    ? new S3StorageDriver(config.storage, { defaultExpiresInSeconds })
    : new LocalStorageDriver(config.storage.dir, {
        publicBase: config.publicUrl,
        signer: createMediaUrlSigner(config),
        defaultExpiresInSeconds,
      });
}
