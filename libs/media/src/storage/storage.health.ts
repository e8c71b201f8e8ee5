import { Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import { HealthRegistry } from '@boardroom/core';
import { StorageDriver } from './storage-driver.js';

/** Registers object storage with the readiness check, where the process has one. */
@Injectable()
export class StorageHealth implements OnModuleInit {
  constructor(
    private readonly storage: StorageDriver,
    @Optional() private readonly registry?: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.registry?.register('storage', () => this.storage.check());
  }
}
