import { Module } from '@nestjs/common';
import { DetectorRunner } from './detector-runner.js';
import { DuplicatePhotosDetector } from './duplicates/duplicate-photos.detector.js';
import { PhotoHashBandsRepository } from './duplicates/photo-hash-bands.repository.js';
import { FlagsRepository } from './flags/flags.repository.js';

/** Fraud detection over the events log: the detectors, their runner (an hourly job) and the flags. */
@Module({
  providers: [FlagsRepository, PhotoHashBandsRepository, DuplicatePhotosDetector, DetectorRunner],
  exports: [DetectorRunner, FlagsRepository],
})
export class AnalyticsModule {}
