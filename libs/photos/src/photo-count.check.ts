import { Injectable, type OnModuleInit } from '@nestjs/common';
import { LedgerChecks } from '@boardroom/core';
import { PhotosRepository } from './photos.repository.js';

/**
 * `check-ledger` proves each brand's photo count (its popularity in search) equals its published photos,
 * those of banned owners aside (hidden with the ban).
 */
@Injectable()
export class PhotoCountCheck implements OnModuleInit {
  constructor(
    private readonly checks: LedgerChecks,
    private readonly photos: PhotosRepository,
  ) {}

  onModuleInit(): void {
    this.checks.register({
      name: 'brand photo counts',
      differences: async (manager) =>
        (await this.photos.photoCountDifferences(manager)).map(
          (row) => `brand ${row.slug}: photo_count ${row.stored}, published photos ${row.actual}`,
        ),
    });
  }
}
