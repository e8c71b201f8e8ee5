import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@boardroom/core';

import { createStorageDriver } from './create-storage-driver.js';
import { MediaController } from './media.controller.js';
import { StorageDriver } from './storage-driver.js';
import { StorageHealth } from './storage.health.js';

/**
 * Provides the configured {@link StorageDriver} everywhere, and serves local
 * storage's signed URLs; needs {@link AppConfig} provided globally.
 */
@Global()
@Module({
  controllers: [MediaController],
  providers: [{ provide: StorageDriver, inject: [AppConfig], useFactory: createStorageDriver }, StorageHealth],
  exports: [StorageDriver],
})
export class StorageModule {}
