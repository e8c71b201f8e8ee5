import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock, EventConsumer, JobRegistry, JobScheduler, inTransaction } from '@boardroom/core';
import { DETECTORS, type Detector } from './detector.js';
import { FlagsRepository } from './flags.repository.js';

declare module '@boardroom/core' {
  interface JobPayloads {
    'analytics.detect': { slot: string };
  }
}

/** The events-log consumer of a detector: its position is stored under this name. */
export const detectorConsumer = (code: string): string => `detector:${code}`;

export interface DetectorRunResult {
  detector: string;
  version: string;
  events: number;
  /** Whether this run re-read the log from the start (first run, or a new version). */
  reevaluated: boolean;
  /** Open flags of an older version this run did not raise again, now deleted. */
  staleFlagsDeleted: number;
}

const BATCH_SIZE = 500;

/**
 * Runs the detectors over the events log: each from its own stored position through the events
 * consumer (settled events only, each batch and its position in one short transaction), hourly on the
 * worker and on demand from the CLI. A detector whose version changed starts again from the beginning.
 */
@Injectable()
export class DetectorRunner implements OnModuleInit {
  private readonly logger = new Logger(DetectorRunner.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DETECTORS) private readonly detectors: readonly Detector[],
    private readonly consumer: EventConsumer,
    private readonly flags: FlagsRepository,
    private readonly registry: JobRegistry,
    private readonly scheduler: JobScheduler,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.registry.register('analytics.detect', async () => {
      await this.runAll();
    });
    this.scheduler.schedule('analytics.detect', 'hourly', (slot) => ({ slot: slot.toISOString() }));
  }

  /** Every detector's code. */
  codes(): string[] {
    return this.detectors.map((detector) => detector.code);
  }

  async runAll(onBatch?: (detector: string, handled: number) => void): Promise<DetectorRunResult[]> {
    const results: DetectorRunResult[] = [];
    for (const detector of this.detectors) {
      results.push(await this.run(detector.code, (handled) => onBatch?.(detector.code, handled)));
    }
    return results;
  }

  /** Runs one detector until it has caught up with the log; `onBatch` gets the events handled so far. */
  async run(code: string, onBatch: (handled: number) => void = () => undefined): Promise<DetectorRunResult> {
    const detector = this.detectors.find((candidate) => candidate.code === code);
    if (!detector) throw new Error(`No detector "${code}". Detectors: ${this.codes().join(', ')}.`);
    const name = detectorConsumer(detector.code);
    const storedVersion = await this.flags.runVersion(this.dataSource.manager, detector.code);
    const reevaluated = storedVersion !== detector.version;
    if (reevaluated) {
      // Position and version together, so an interrupted re-run resumes rather than starting again.
      await inTransaction(this.dataSource, async (manager) => {
        await this.consumer.restart(name, manager);
        await this.flags.saveRun(manager, { ...this.runOf(detector), lastEventId: null });
      });
      this.logger.log(`Detector ${detector.code} re-reads the log in version ${detector.version}`);
    }
    let events = 0;
    for (;;) {
      const handled = await this.consumer.consumeBatch(
        name,
        async (batch, manager) => {
          await detector.handle(batch, { manager, now: this.clock.now() });
          await this.flags.saveRun(manager, { ...this.runOf(detector), lastEventId: batch[batch.length - 1]!.id });
        },
        BATCH_SIZE,
      );
      events += handled;
      onBatch(events);
      if (handled < BATCH_SIZE) break;
    }
    const staleFlagsDeleted = await inTransaction(this.dataSource, (manager) =>
      this.flags.deleteStale(manager, detector),
    );
    await detector.conclude?.({ dataSource: this.dataSource, now: this.clock.now() });
    return { detector: detector.code, version: detector.version, events, reevaluated, staleFlagsDeleted };
  }

  /** Events in the log: the length of a full re-read. */
  eventCount(): Promise<number> {
    return this.consumer.eventCount();
  }

  private runOf(detector: Detector): { detector: string; version: string; at: Date } {
    return { detector: detector.code, version: detector.version, at: this.clock.now() };
  }
}
