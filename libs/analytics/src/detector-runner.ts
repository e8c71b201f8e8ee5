import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock, EventConsumer, JobRegistry, JobScheduler, inTransaction } from '@boardroom/core';
import type { Detector } from './detector.js';
import { DETECTION_RULES } from './detection-rules.js';
import { DuplicatePhotosDetector } from './duplicates/duplicate-photos.detector.js';
import { FlagsRepository } from './flags/flags.repository.js';

declare module '@boardroom/core' {
  interface JobPayloads {
    'analytics.detect': { slot: string };
  }
}

/** The events-log consumer a detector reads through. */
export const detectorConsumer = (code: string) => `detector:${code}`;

export interface DetectorRunResult {
  code: string;
  version: string;
  /** Whether this run started over (first run, or a new version). */
  restarted: boolean;
  events: number;
}

/**
 * Runs the detectors over the events log, each from its own position, in batches of one short
 * transaction each (the events consumer's, so no batch is skipped or handled twice). Hourly on the
 * worker, and from the CLI's `detect`.
 */
@Injectable()
export class DetectorRunner implements OnModuleInit {
  private readonly logger = new Logger(DetectorRunner.name);
  readonly detectors: readonly Detector[];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly consumer: EventConsumer,
    private readonly flags: FlagsRepository,
    private readonly registry: JobRegistry,
    private readonly scheduler: JobScheduler,
    private readonly clock: Clock,
    duplicatePhotos: DuplicatePhotosDetector,
  ) {
    this.detectors = [duplicatePhotos];
  }

  onModuleInit(): void {
    this.registry.register('analytics.detect', async () => {
      for (const detector of this.detectors) await this.run(detector);
    });
    this.scheduler.schedule('analytics.detect', 'hourly', (slot) => ({ slot: slot.toISOString() }));
  }

  detector(code: string): Detector | undefined {
    return this.detectors.find((detector) => detector.code === code.toUpperCase());
  }

  /** Runs one detector until it has caught up with the log; `onBatch` gets the events read so far. */
  async run(detector: Detector, onBatch: (events: number) => void = () => undefined): Promise<DetectorRunResult> {
    const name = detectorConsumer(detector.code);
    const restarted = await inTransaction(this.dataSource, async (manager) => {
      if ((await this.flags.runVersion(manager, detector.code)) === detector.version) return false;
      // Under the consumer's lock: no batch of the old version runs between forgetting and restarting.
      await this.consumer.restart(name, manager);
      await this.flags.forgetDetector(manager, detector.code);
      await detector.reset(manager);
      await this.flags.startVersion(manager, detector, this.clock.now());
      return true;
    });
    if (restarted) this.logger.log(`Detector ${detector.code} v${detector.version}: evaluating the whole log`);
    let events = 0;
    for (;;) {
      const handled = await this.consumer.consumeBatch(
        name,
        async (batch, manager) => {
          const read = batch.filter((event) => detector.actions.includes(event.action));
          if (read.length > 0) await detector.handle(read, { manager, now: this.clock.now() });
          await this.flags.recordBatch(manager, detector.code, batch[batch.length - 1]!.id, batch.length);
        },
        DETECTION_RULES.batchSize,
      );
      events += handled;
      onBatch(events);
      if (handled === 0) break;
    }
    await this.flags.recordRun(this.dataSource.manager, detector.code, this.clock.now());
    return { code: detector.code, version: detector.version, restarted, events };
  }

  /** Events in the log: the length of a full run. */
  eventCount(): Promise<number> {
    return this.consumer.eventCount();
  }
}
